// The type lattice: how a column type relates to the type replacing it. Widened means the new type
// holds every value of the old one exactly; narrowed the reverse; changed when neither holds the other.
import { parseDataType } from '@pipectl/spec';
import { describe, expect, test } from 'vitest';
import { compareTypes, relateTypes, type TypeRelation } from '../src/types/compare-types.js';

function type(text: string) {
  const parsed = parseDataType(text);
  if (!parsed.ok) throw parsed.error;
  return parsed.type;
}

const PAIRS: readonly (readonly [string, string, TypeRelation])[] = [
  // Integers: a wider range holds every value.
  ['tinyint', 'smallint', 'widened'],
  ['smallint', 'integer', 'widened'],
  ['integer', 'bigint', 'widened'],
  ['bigint', 'hugeint', 'widened'],
  ['bigint', 'integer', 'narrowed'],
  ['int', 'integer', 'same'],
  ['INT4', 'integer', 'same'],
  // Unsigned fits a wider signed type, not one of the same width; signed never fits unsigned.
  ['utinyint', 'smallint', 'widened'],
  ['uinteger', 'bigint', 'widened'],
  ['ubigint', 'hugeint', 'widened'],
  ['uinteger', 'integer', 'changed'],
  ['integer', 'uinteger', 'changed'],
  ['integer', 'ubigint', 'changed'],
  ['smallint', 'utinyint', 'narrowed'],
  ['utinyint', 'uinteger', 'widened'],
  // Binary floating point.
  ['float', 'double', 'widened'],
  ['double', 'float', 'narrowed'],
  ['real', 'float8', 'widened'],
  // Integers into floating point only while exact (2^24 for float, 2^53 for double).
  ['smallint', 'float', 'widened'],
  ['integer', 'float', 'changed'],
  ['integer', 'double', 'widened'],
  ['uinteger', 'double', 'widened'],
  ['bigint', 'double', 'changed'],
  ['double', 'integer', 'narrowed'],
  // Integers into decimals need enough integer digits (p - s).
  ['integer', 'decimal(10,0)', 'widened'],
  ['integer', 'decimal(12,2)', 'widened'],
  ['integer', 'decimal(11,2)', 'changed'],
  ['bigint', 'decimal(18,0)', 'narrowed'],
  ['bigint', 'decimal(19,0)', 'widened'],
  ['ubigint', 'decimal(20,0)', 'widened'],
  ['decimal(4,0)', 'smallint', 'widened'],
  ['decimal(5,0)', 'smallint', 'narrowed'],
  ['decimal(4,1)', 'integer', 'changed'],
  // Decimals: widened when neither the integer digits nor the scale shrink.
  ['decimal(10,2)', 'decimal(12,2)', 'widened'],
  ['decimal(10,2)', 'decimal(12,4)', 'widened'],
  ['decimal(10,2)', 'decimal(11,3)', 'widened'],
  ['decimal(12,2)', 'decimal(10,2)', 'narrowed'],
  ['decimal(10,2)', 'decimal(10,4)', 'changed'],
  ['decimal', 'decimal(18,3)', 'same'],
  ['numeric(12,2)', 'decimal(12,2)', 'same'],
  // Decimals into floating point while they round-trip (15 significant digits for double).
  ['decimal(12,2)', 'double', 'widened'],
  ['decimal(18,2)', 'double', 'changed'],
  ['decimal(6,2)', 'float', 'widened'],
  ['double', 'decimal(12,2)', 'narrowed'],
  // Text: DuckDB keeps no varchar length (it stores VARCHAR and never enforces n), so a length
  // changes nothing in the data; `maxLength` is the promise that is checked.
  ['varchar(32)', 'varchar(64)', 'same'],
  ['varchar(64)', 'varchar(32)', 'same'],
  ['varchar(64)', 'varchar', 'same'],
  ['varchar', 'varchar(255)', 'same'],
  ['text', 'string', 'same'],
  ['json', 'varchar', 'widened'],
  ['varchar', 'json', 'narrowed'],
  ['varchar(10)', 'json', 'narrowed'],
  // Timestamps: a finer precision holds every coarser value; timestamptz is its own type.
  ['timestamp_s', 'timestamp_ms', 'widened'],
  ['timestamp_ms', 'timestamp', 'widened'],
  ['timestamp', 'timestamp_ns', 'widened'],
  ['timestamp_ns', 'timestamp_s', 'narrowed'],
  ['datetime', 'timestamp', 'same'],
  ['timestamp', 'timestamptz', 'changed'],
  ['timestamp with time zone', 'timestamptz', 'same'],
  ['date', 'timestamp', 'changed'],
  // Across families, a change.
  ['integer', 'varchar', 'changed'],
  ['boolean', 'integer', 'changed'],
  ['uuid', 'varchar', 'changed'],
  ['blob', 'varchar', 'changed'],
  // Lists and arrays follow their elements; a fixed-size array fits a list.
  ['integer[]', 'bigint[]', 'widened'],
  ['bigint[]', 'integer[]', 'narrowed'],
  ['list(varchar)', 'varchar[]', 'same'],
  ['integer[3]', 'integer[]', 'widened'],
  ['integer[]', 'integer[3]', 'narrowed'],
  ['integer[3]', 'integer[4]', 'changed'],
  ['integer[3]', 'bigint[]', 'widened'],
  ['integer[]', 'varchar[]', 'changed'],
  ['integer[][]', 'bigint[][]', 'widened'],
  ['integer', 'integer[]', 'changed'],
  // Maps follow key and value; widening one and narrowing the other is a change.
  ['map(varchar, integer)', 'map(varchar, bigint)', 'widened'],
  ['map(varchar(8), integer)', 'map(varchar, integer)', 'same'],
  ['map(varchar, bigint)', 'map(varchar, integer)', 'narrowed'],
  ['map(varchar(8), bigint)', 'map(varchar, integer)', 'narrowed'],
  // Structs field by field; a field added or removed is a change of the whole type.
  ['struct(a integer, b varchar)', 'struct(a bigint, b varchar)', 'widened'],
  ['struct(a integer, b varchar)', 'struct(b varchar, a integer)', 'same'],
  ['struct(City varchar)', 'struct(city varchar)', 'same'],
  ['struct(a integer)', 'struct(a integer, b varchar)', 'changed'],
  ['struct(a integer, b varchar)', 'struct(a integer)', 'changed'],
  ['struct(a integer, b bigint)', 'struct(a bigint, b integer)', 'changed'],
  ['struct(a integer)', 'map(varchar, integer)', 'changed'],
];

describe('relateTypes', () => {
  test.each(PAIRS)('%s -> %s is %s', (before, after, relation) => {
    expect(relateTypes(type(before), type(after))).toBe(relation);
  });

  test.each(PAIRS)('%s -> %s mirrors %s -> %s', (before, after) => {
    const mirror: Record<TypeRelation, TypeRelation> = {
      same: 'same',
      widened: 'narrowed',
      narrowed: 'widened',
      changed: 'changed',
    };
    expect(relateTypes(type(after), type(before))).toBe(mirror[relateTypes(type(before), type(after))]);
  });
});

describe('compareTypes', () => {
  test('names each nested difference by its path below the column type', () => {
    const differences = compareTypes(
      type('struct(city integer, zip varchar, geo struct(lat float, lon float), tags varchar[])'),
      type('struct(city bigint, geo struct(lat double, lon float), tags integer[], country varchar)'),
    );
    expect(differences.map((d) => [d.path.join('.'), d.kind])).toEqual([
      ['city', 'widened'],
      ['zip', 'removed'],
      ['geo.lat', 'widened'],
      ['tags.element', 'changed'],
      ['country', 'added'],
    ]);
  });

  test('reports a container change and its element change separately', () => {
    const differences = compareTypes(type('integer[3]'), type('bigint[]'));
    expect(differences.map((d) => [d.path.join('.'), d.kind])).toEqual([
      ['', 'widened'],
      ['element', 'widened'],
    ]);
  });

  test('map keys and values are compared on their own paths', () => {
    const differences = compareTypes(type('map(smallint, bigint)'), type('map(integer, integer)'));
    expect(differences.map((d) => [d.path.join('.'), d.kind])).toEqual([
      ['key', 'widened'],
      ['value', 'narrowed'],
    ]);
  });
});
