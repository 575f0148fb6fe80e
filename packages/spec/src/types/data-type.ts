// Column types, as DuckDB names them. Contracts write them as strings (`decimal(12,2)`,
// `varchar[]`, `struct(id bigint, tags varchar[])`); this module parses them into a small AST that
// the compatibility checker compares and the engine maps to DuckDB's DESCRIBE output.

import { closestName } from '../issues/did-you-mean.js';

export type PrimitiveTypeName =
  | 'boolean'
  | 'tinyint'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'hugeint'
  | 'utinyint'
  | 'usmallint'
  | 'uinteger'
  | 'ubigint'
  | 'uhugeint'
  | 'float'
  | 'double'
  | 'date'
  | 'time'
  | 'timetz'
  | 'timestamp_s'
  | 'timestamp_ms'
  | 'timestamp'
  | 'timestamp_ns'
  | 'timestamptz'
  | 'interval'
  | 'uuid'
  | 'blob'
  | 'json'
  | 'bit';

export type DataType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveTypeName }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'varchar'; readonly length?: number }
  | { readonly kind: 'list'; readonly element: DataType }
  | { readonly kind: 'array'; readonly element: DataType; readonly size: number }
  | { readonly kind: 'struct'; readonly fields: readonly StructField[] }
  | { readonly kind: 'map'; readonly key: DataType; readonly value: DataType };

export interface StructField {
  readonly name: string;
  readonly type: DataType;
}

/** Canonical names and the aliases DuckDB accepts for them. */
const PRIMITIVE_ALIASES: Readonly<Record<string, PrimitiveTypeName>> = {
  boolean: 'boolean',
  bool: 'boolean',
  logical: 'boolean',
  tinyint: 'tinyint',
  int1: 'tinyint',
  smallint: 'smallint',
  int2: 'smallint',
  short: 'smallint',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  signed: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  long: 'bigint',
  hugeint: 'hugeint',
  int128: 'hugeint',
  utinyint: 'utinyint',
  usmallint: 'usmallint',
  uinteger: 'uinteger',
  ubigint: 'ubigint',
  uhugeint: 'uhugeint',
  float: 'float',
  float4: 'float',
  real: 'float',
  double: 'double',
  float8: 'double',
  date: 'date',
  time: 'time',
  timetz: 'timetz',
  timestamp_s: 'timestamp_s',
  timestamp_ms: 'timestamp_ms',
  timestamp: 'timestamp',
  datetime: 'timestamp',
  timestamp_us: 'timestamp',
  timestamp_ns: 'timestamp_ns',
  timestamptz: 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  blob: 'blob',
  bytea: 'blob',
  binary: 'blob',
  varbinary: 'blob',
  json: 'json',
  bit: 'bit',
  bitstring: 'bit',
};

const DECIMAL_HINT =
  'write decimal(precision,scale) with precision 1..38 and scale at most the precision, e.g. decimal(12,2)';

const VARCHAR_ALIASES = new Set(['varchar', 'string', 'text', 'char', 'bpchar', 'nvarchar']);
const DECIMAL_ALIASES = new Set(['decimal', 'numeric', 'dec']);

/** Every type name a contract may use, for messages and editor docs. */
export const KNOWN_TYPE_NAMES: readonly string[] = [
  ...new Set([...Object.keys(PRIMITIVE_ALIASES), ...VARCHAR_ALIASES, ...DECIMAL_ALIASES, 'struct', 'map']),
].sort();

export class DataTypeSyntaxError extends Error {
  constructor(
    message: string,
    readonly input: string,
    /** 0-based character offset in `input` where parsing failed. */
    readonly offset: number,
    /** A type name close to an unknown one, e.g. `bigint` for `bignt`. */
    readonly suggestion?: string,
    /** What to write instead, when the parser knows. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DataTypeSyntaxError';
  }
}

export type ParseDataTypeResult =
  | { readonly ok: true; readonly type: DataType }
  | { readonly ok: false; readonly error: DataTypeSyntaxError };

/**
 * Parses a DuckDB type string, case-insensitively.
 * @example parseDataType('DECIMAL(12,2)') // { ok: true, type: { kind: 'decimal', precision: 12, scale: 2 } }
 */
export function parseDataType(input: string): ParseDataTypeResult {
  try {
    const parser = new TypeParser(input);
    const type = parser.parseType();
    parser.expectEnd();
    return { ok: true, type };
  } catch (error) {
    if (error instanceof DataTypeSyntaxError) return { ok: false, error };
    throw error;
  }
}

/** Canonical lowercase spelling: `decimal(12,2)`, `varchar[]`, `struct(id bigint, name varchar)`. */
export function formatDataType(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'varchar':
      return type.length === undefined ? 'varchar' : `varchar(${type.length})`;
    case 'list':
      return `${formatDataType(type.element)}[]`;
    case 'array':
      return `${formatDataType(type.element)}[${type.size}]`;
    case 'struct':
      return `struct(${type.fields.map((f) => `${quoteFieldName(f.name)} ${formatDataType(f.type)}`).join(', ')})`;
    case 'map':
      return `map(${formatDataType(type.key)}, ${formatDataType(type.value)})`;
  }
}

/** Two types are the same when their canonical spellings are. */
export function sameDataType(a: DataType, b: DataType): boolean {
  return formatDataType(a) === formatDataType(b);
}

/** DuckDB's reserved keywords (`duckdb_keywords()`): a struct field so named must be quoted. */
const RESERVED_WORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'default deferrable desc describe distinct do else end except false fetch for foreign from group having in ' +
    'initially intersect into lambda lateral leading limit not null offset on only or order pivot pivot_longer ' +
    'pivot_wider placing primary qualify references returning select show some summarize symmetric table then to ' +
    'trailing true union unique unpivot using variadic when where window with'
  ).split(' '),
);

function quoteFieldName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name)
    ? name
    : `"${name.replaceAll('"', '""')}"`;
}

class TypeParser {
  private pos = 0;

  constructor(private readonly input: string) {}

  parseType(): DataType {
    let type = this.parseBase();
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '[') break;
      this.pos++;
      this.skipSpace();
      if (this.peek() === ']') {
        this.pos++;
        type = { kind: 'list', element: type };
      } else {
        const sizeAt = this.pos;
        const size = this.parseInteger('an array size or "]"');
        if (size < 1)
          this.fail(
            `array size ${size} must be at least 1`,
            sizeAt,
            'write integer[] for a list of any length',
          );
        this.expect(']');
        type = { kind: 'array', element: type, size };
      }
    }
    return type;
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.input.length) {
      this.fail(`unexpected "${this.input.slice(this.pos)}" after the type`);
    }
  }

  /** A type without its trailing `[]`s: a primitive, varchar, decimal, struct, map or list. */
  private parseBase(): DataType {
    this.skipSpace();
    const start = this.pos;
    const word = this.parseWord();
    if (word === '')
      this.fail(`expected a type name such as integer, varchar, decimal(12,2), found ${this.found()}`);
    const name = word.toLowerCase();
    const zoned = this.parseWithTimeZone(name);
    if (zoned) return zoned;
    if (name === 'double') {
      const precision = /^\s+precision\b/i.exec(this.input.slice(this.pos));
      if (precision) this.pos += precision[0].length;
    }
    const primitive = PRIMITIVE_ALIASES[name];
    if (primitive !== undefined) return { kind: 'primitive', name: primitive };
    if (VARCHAR_ALIASES.has(name)) return this.parseVarchar();
    if (DECIMAL_ALIASES.has(name)) return this.parseDecimal();
    if (name === 'struct' || name === 'row') return this.parseStruct();
    if (name === 'map') return this.parseMap();
    if (name === 'list') {
      this.expect('(');
      const element = this.parseType();
      this.expect(')');
      return { kind: 'list', element };
    }
    const suggestion = closestName(name, KNOWN_TYPE_NAMES);
    throw new DataTypeSyntaxError(`unknown type "${word}"`, this.input, start, suggestion);
  }

  /** `timestamp with time zone` / `time with time zone` after their first word, if written so. */
  private parseWithTimeZone(name: string): DataType | undefined {
    if (name !== 'timestamp' && name !== 'time') return undefined;
    const withZone = /^\s+with\s+time\s+zone\b/i.exec(this.input.slice(this.pos));
    if (!withZone) return undefined;
    this.pos += withZone[0].length;
    return { kind: 'primitive', name: name === 'timestamp' ? 'timestamptz' : 'timetz' };
  }

  /** varchar's optional `(length)`. */
  private parseVarchar(): DataType {
    if (!this.tryConsume('(')) return { kind: 'varchar' };
    const length = this.parseInteger('a varchar length');
    this.expect(')');
    return { kind: 'varchar', length };
  }

  /** decimal's optional `(precision[, scale])`, checked against DuckDB's limits. */
  private parseDecimal(): DataType {
    // DuckDB's default for a bare DECIMAL is DECIMAL(18,3).
    if (!this.tryConsume('(')) return { kind: 'decimal', precision: 18, scale: 3 };
    this.skipSpace();
    const precisionAt = this.pos;
    const precision = this.parseInteger('a decimal precision', DECIMAL_HINT);
    let scale = 0;
    let scaleAt = this.pos;
    if (this.tryConsume(',')) {
      this.skipSpace();
      scaleAt = this.pos;
      scale = this.parseInteger('a decimal scale', DECIMAL_HINT);
    }
    this.expect(')', DECIMAL_HINT);
    if (precision < 1 || precision > 38) {
      this.fail(`decimal precision ${precision} is outside 1..38`, precisionAt, DECIMAL_HINT);
    }
    if (scale > precision) {
      this.fail(`decimal scale ${scale} is larger than its precision ${precision}`, scaleAt, DECIMAL_HINT);
    }
    return { kind: 'decimal', precision, scale };
  }

  /** struct's `(name type, ...)`, each field name once. */
  private parseStruct(): DataType {
    this.expect('(');
    const fields: StructField[] = [];
    do {
      this.skipSpace();
      const fieldAt = this.pos;
      const fieldName = this.parseFieldName();
      const type = this.parseType();
      // DuckDB compares field names case-insensitively: struct(a int, A int) is a duplicate.
      if (fields.some((f) => f.name.toLowerCase() === fieldName.toLowerCase())) {
        this.fail(`struct field "${fieldName}" appears twice`, fieldAt);
      }
      fields.push({ name: fieldName, type });
    } while (this.tryConsume(','));
    this.expect(')');
    return { kind: 'struct', fields };
  }

  /** map's `(key type, value type)`. */
  private parseMap(): DataType {
    this.expect('(');
    const key = this.parseType();
    this.expect(',');
    const value = this.parseType();
    this.expect(')');
    return { kind: 'map', key, value };
  }

  private parseFieldName(): string {
    if (this.peek() === '"') {
      this.pos++;
      let name = '';
      for (;;) {
        const ch = this.input[this.pos];
        if (ch === undefined) this.fail('unterminated quoted struct field name');
        this.pos++;
        if (ch === '"') {
          if (this.input[this.pos] === '"') {
            name += '"';
            this.pos++;
            continue;
          }
          return name;
        }
        name += ch;
      }
    }
    const word = this.parseWord();
    if (word === '') this.fail(`expected a struct field name, found ${this.found()}`);
    return word;
  }

  private parseWord(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.input.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  private parseInteger(what: string, hint?: string): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.input.slice(this.pos));
    if (!match) this.fail(`expected ${what}, found ${this.found()}`, this.pos, hint);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private tryConsume(ch: string): boolean {
    this.skipSpace();
    if (this.peek() === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(ch: string, hint?: string): void {
    if (!this.tryConsume(ch)) this.fail(`expected "${ch}", found ${this.found()}`, this.pos, hint);
  }

  /** What stands at the current position, for messages: `"x"` or `the end of the type`. */
  private found(): string {
    const rest = this.input.slice(this.pos).trim();
    if (rest === '') return 'the end of the type';
    return JSON.stringify(/^[A-Za-z_][A-Za-z0-9_]*|^\d+|^./.exec(rest)?.[0] ?? rest);
  }

  private peek(): string | undefined {
    return this.input[this.pos];
  }

  private skipSpace(): void {
    while (this.pos < this.input.length && /\s/.test(this.input[this.pos] as string)) this.pos++;
  }

  private fail(message: string, offset = this.pos, hint?: string): never {
    throw new DataTypeSyntaxError(message, this.input, offset, undefined, hint);
  }
}
