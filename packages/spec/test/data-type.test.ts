// Column types: DuckDB's spellings parse into one AST and print in one canonical form.
import { describe, expect, test } from 'vitest';
import {
  type DataType,
  formatDataType,
  KNOWN_TYPE_NAMES,
  parseDataType,
  sameDataType,
} from '../src/index.js';

function canonical(input: string): string {
  const result = parseDataType(input);
  if (!result.ok) throw new Error(`${input}: ${result.error.message}`);
  return formatDataType(result.type);
}

describe('parseDataType and formatDataType', () => {
  test.each([
    // Primitives and their aliases.
    ['integer', 'integer'],
    ['INT', 'integer'],
    ['INT4', 'integer'],
    ['signed', 'integer'],
    ['int1', 'tinyint'],
    ['short', 'smallint'],
    ['int8', 'bigint'],
    ['LONG', 'bigint'],
    ['int128', 'hugeint'],
    ['uhugeint', 'uhugeint'],
    ['bool', 'boolean'],
    ['logical', 'boolean'],
    ['real', 'float'],
    ['float4', 'float'],
    ['float8', 'double'],
    ['DOUBLE PRECISION', 'double'],
    ['double   precision', 'double'],
    ['datetime', 'timestamp'],
    ['timestamp_us', 'timestamp'],
    ['TIMESTAMP_NS', 'timestamp_ns'],
    ['timestamp with time zone', 'timestamptz'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamptz'],
    ['time with time zone', 'timetz'],
    ['bytea', 'blob'],
    ['varbinary', 'blob'],
    ['bitstring', 'bit'],
    ['uuid', 'uuid'],
    ['json', 'json'],
    ['interval', 'interval'],
    // Strings.
    ['TEXT', 'varchar'],
    ['string', 'varchar'],
    ['bpchar', 'varchar'],
    ['varchar(64)', 'varchar(64)'],
    ['VARCHAR ( 64 )', 'varchar(64)'],
    ['char(10)', 'varchar(10)'],
    // Decimals: a bare DECIMAL or NUMERIC is DuckDB's DECIMAL(18,3).
    ['NUMERIC', 'decimal(18,3)'],
    ['decimal', 'decimal(18,3)'],
    ['numeric(10)', 'decimal(10,0)'],
    ['DEC(4,1)', 'decimal(4,1)'],
    ['decimal(12, 2)', 'decimal(12,2)'],
    ['decimal(38,38)', 'decimal(38,38)'],
    // Lists and fixed-size arrays.
    ['integer[]', 'integer[]'],
    ['integer [ ]', 'integer[]'],
    ['integer[3]', 'integer[3]'],
    ['varchar[][]', 'varchar[][]'],
    ['boolean[3][]', 'boolean[3][]'],
    ['list(integer)', 'integer[]'],
    ['varchar(64)[]', 'varchar(64)[]'],
    ['double precision[]', 'double[]'],
    ['timestamp with time zone[]', 'timestamptz[]'],
    // Structs and maps.
    ['struct(a integer, b struct(c varchar[]))', 'struct(a integer, b struct(c varchar[]))'],
    ['row(a int)', 'struct(a integer)'],
    ['struct(a int,b int)', 'struct(a integer, b integer)'],
    ['struct("my field" integer, "Upper" varchar)', 'struct("my field" integer, "Upper" varchar)'],
    ['struct("a""b" int)', 'struct("a""b" integer)'],
    ['struct("select" int)', 'struct("select" integer)'],
    ['struct(sku varchar, qty integer)[]', 'struct(sku varchar, qty integer)[]'],
    ['map(varchar, integer)', 'map(varchar, integer)'],
    ['MAP(VARCHAR, INTEGER[])', 'map(varchar, integer[])'],
    ['map(varchar, struct(x double))', 'map(varchar, struct(x double))'],
  ])('%s is %s', (input, expected) => {
    expect(canonical(input)).toBe(expected);
    // The canonical form is a fixed point.
    expect(canonical(expected)).toBe(expected);
  });

  // What DuckDB 1.5 prints in DESCRIBE for columns declared with the contract spellings above
  // (checked against @duckdb/node-api: CREATE TABLE t (c <type>); DESCRIBE t). The engine reads
  // these back, so each must parse to the same type as the contract's spelling.
  test.each([
    ['INT4', 'INTEGER'],
    ['TEXT', 'VARCHAR'],
    ['timestamp with time zone', 'TIMESTAMP WITH TIME ZONE'],
    ['timestamptz', 'TIMESTAMP WITH TIME ZONE'],
    ['timetz', 'TIME WITH TIME ZONE'],
    ['DOUBLE PRECISION', 'DOUBLE'],
    ['NUMERIC', 'DECIMAL(18,3)'],
    ['numeric(10)', 'DECIMAL(10,0)'],
    ['decimal(12,2)', 'DECIMAL(12,2)'],
    ['integer[]', 'INTEGER[]'],
    ['integer[3]', 'INTEGER[3]'],
    ['integer[2][3]', 'INTEGER[2][3]'],
    ['varchar[][]', 'VARCHAR[][]'],
    ['struct(a integer, b struct(c varchar[]))', 'STRUCT(a INTEGER, b STRUCT(c VARCHAR[]))'],
    ['struct(a int, b varchar)', 'STRUCT(a INTEGER, b VARCHAR)'],
    ['row(a integer)', 'STRUCT(a INTEGER)'],
    ['struct("my field" integer, "Upper" varchar)', 'STRUCT("my field" INTEGER, Upper VARCHAR)'],
    ['struct("a""b" int)', 'STRUCT("a""b" INTEGER)'],
    ['struct("select" int)', 'STRUCT("select" INTEGER)'],
    ['struct(type int)', 'STRUCT("type" INTEGER)'],
    ['map(varchar, integer)', 'MAP(VARCHAR, INTEGER)'],
    ['map(varchar, integer[])', 'MAP(VARCHAR, INTEGER[])'],
    ['datetime', 'TIMESTAMP'],
    ['timestamp_us', 'TIMESTAMP'],
    ['timestamp_ms', 'TIMESTAMP_MS'],
    ['bytea', 'BLOB'],
    ['bitstring', 'BIT'],
    ['int128', 'HUGEINT'],
    ['utinyint', 'UTINYINT'],
    ['bool', 'BOOLEAN'],
    ['real', 'FLOAT'],
  ])('the contract type %s reads back from DuckDB as %s', (declared, described) => {
    const a = parseDataType(declared);
    const b = parseDataType(described);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(sameDataType(a.type, b.type)).toBe(true);
  });

  test('DuckDB drops a varchar length, so varchar(64) and VARCHAR are different types', () => {
    // DESCRIBE prints VARCHAR for a varchar(64) column: comparing observed schemas must allow this.
    const declared = parseDataType('varchar(64)');
    const described = parseDataType('VARCHAR');
    expect(declared.ok && described.ok && sameDataType(declared.type, described.type)).toBe(false);
  });

  test('parses into a small AST', () => {
    expect(parseDataType('struct(id bigint, tags varchar[], price decimal(12,2))')).toEqual({
      ok: true,
      type: {
        kind: 'struct',
        fields: [
          { name: 'id', type: { kind: 'primitive', name: 'bigint' } },
          { name: 'tags', type: { kind: 'list', element: { kind: 'varchar' } } },
          { name: 'price', type: { kind: 'decimal', precision: 12, scale: 2 } },
        ],
      },
    } satisfies { ok: true; type: DataType });
    expect(parseDataType('map(varchar, integer[2])')).toEqual({
      ok: true,
      type: {
        kind: 'map',
        key: { kind: 'varchar' },
        value: { kind: 'array', element: { kind: 'primitive', name: 'integer' }, size: 2 },
      },
    });
  });

  test('every known type name parses', () => {
    for (const name of KNOWN_TYPE_NAMES) {
      const input = name === 'struct' ? 'struct(a int)' : name === 'map' ? 'map(int, int)' : name;
      expect(parseDataType(input).ok, input).toBe(true);
    }
  });
});

describe('type errors', () => {
  test.each([
    ['bignt', 0, 'unknown type "bignt"', 'bigint'],
    ['intgeer', 0, 'unknown type "intgeer"', 'integer'],
    ['TIMESTAMPTZZ', 0, 'unknown type "TIMESTAMPTZZ"', 'timestamptz'],
    ['struct(a integr)', 9, 'unknown type "integr"', 'integer'],
    ["enum('a', 'b')", 0, 'unknown type "enum"', undefined],
    [
      '',
      0,
      'expected a type name such as integer, varchar, decimal(12,2), found the end of the type',
      undefined,
    ],
    ['decimal(12,', 11, 'expected a decimal scale, found the end of the type', undefined],
    ['decimal(12,2', 12, 'expected ")", found the end of the type', undefined],
    ['decimal(x)', 8, 'expected a decimal precision, found "x"', undefined],
    ['decimal(40,2)', 8, 'decimal precision 40 is outside 1..38', undefined],
    ['decimal(0)', 8, 'decimal precision 0 is outside 1..38', undefined],
    ['decimal(5,6)', 10, 'decimal scale 6 is larger than its precision 5', undefined],
    ['varchar(', 8, 'expected a varchar length, found the end of the type', undefined],
    ['integer[0]', 8, 'array size 0 must be at least 1', undefined],
    ['integer[', 8, 'expected an array size or "]", found the end of the type', undefined],
    ['struct()', 7, 'expected a struct field name, found ")"', undefined],
    ['struct(a int, A int)', 14, 'struct field "A" appears twice', undefined],
    ['struct("a int)', 14, 'unterminated quoted struct field name', undefined],
    ['map(varchar)', 11, 'expected ",", found ")"', undefined],
    ['integer integer', 8, 'unexpected "integer" after the type', undefined],
  ])('%j fails at offset %i: %s', (input, offset, message, suggestion) => {
    const result = parseDataType(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ name: 'DataTypeSyntaxError', input, offset, message, suggestion });
  });

  test('decimal errors carry a hint on how to write one', () => {
    const result = parseDataType('decimal(40,2)');
    expect(result.ok ? undefined : result.error.hint).toMatch(/precision 1\.\.38/);
  });
});
