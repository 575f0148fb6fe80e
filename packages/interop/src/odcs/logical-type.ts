// DuckDB column types <-> ODCS logical types. pipectl's DuckDB type travels as `physicalType`, so a
// round trip is exact; `logicalType` is what other tools read, and what an import falls back on when
// the physicalType is not a DuckDB type (a Snowflake `NUMBER(38,0)`, an Avro `long`).
import { type DataType, formatDataType, parseDataType } from '@pipectl/spec';

export type OdcsLogicalType =
  | 'string'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'number'
  | 'integer'
  | 'object'
  | 'array'
  | 'boolean';

const INTEGERS = new Set([
  'tinyint',
  'smallint',
  'integer',
  'bigint',
  'hugeint',
  'utinyint',
  'usmallint',
  'uinteger',
  'ubigint',
  'uhugeint',
]);

/**
 * The ODCS logical type of a DuckDB type, or undefined when ODCS has none that fits (interval,
 * blob, bit, map: they travel as physicalType alone).
 */
export function logicalTypeOf(type: DataType): OdcsLogicalType | undefined {
  switch (type.kind) {
    case 'decimal':
      return 'number';
    case 'varchar':
      return 'string';
    case 'list':
    case 'array':
      return 'array';
    case 'struct':
      return 'object';
    case 'map':
      return undefined;
    case 'primitive': {
      const name = type.name;
      if (INTEGERS.has(name)) return 'integer';
      if (name === 'float' || name === 'double') return 'number';
      if (name === 'boolean') return 'boolean';
      if (name === 'date') return 'date';
      if (name === 'time' || name === 'timetz') return 'time';
      if (name.startsWith('timestamp')) return 'timestamp';
      if (name === 'uuid' || name === 'json') return 'string';
      return undefined;
    }
  }
}

/** The ODCS property shape of a logical type, for nested properties, array items and map entries. */
export interface LogicalShape {
  readonly logicalType?: unknown;
  readonly logicalTypeOptions?: Record<string, unknown> | undefined;
  readonly physicalType?: unknown;
  readonly items?: unknown;
  readonly properties?: unknown;
  readonly map?: unknown;
}

export type TypeFromOdcs =
  | { readonly ok: true; readonly type: string; readonly note?: string }
  | { readonly ok: false; readonly message: string };

/**
 * The DuckDB type for an ODCS property: its physicalType when DuckDB knows it, else one derived
 * from logicalType (and its options, items, properties or map).
 */
export function typeFromOdcs(shape: LogicalShape): TypeFromOdcs {
  const physical = typeof shape.physicalType === 'string' ? shape.physicalType : undefined;
  if (physical !== undefined) {
    const parsed = parseDataType(physical);
    if (parsed.ok) return { ok: true, type: physical };
  }
  const derived = typeFromLogical(shape);
  if (derived === undefined) {
    if (physical !== undefined)
      return {
        ok: false,
        message: `physicalType "${physical}" is not a DuckDB type and there is no logicalType to fall back on`,
      };
    return { ok: false, message: 'the property has neither a physicalType nor a logicalType' };
  }
  const type = formatDataType(derived);
  if (physical !== undefined)
    return {
      ok: true,
      type,
      note: `physicalType "${physical}" is not a DuckDB type; used "${type}" from logicalType "${String(shape.logicalType)}"`,
    };
  return { ok: true, type };
}

function typeFromLogical(shape: LogicalShape): DataType | undefined {
  const options = shape.logicalTypeOptions ?? {};
  switch (shape.logicalType) {
    case 'string':
      return options.format === 'uuid' ? { kind: 'primitive', name: 'uuid' } : { kind: 'varchar' };
    case 'integer':
      return { kind: 'primitive', name: INTEGER_FORMATS[String(options.format)] ?? 'integer' };
    case 'number':
      return { kind: 'primitive', name: options.format === 'f32' ? 'float' : 'double' };
    case 'boolean':
      return { kind: 'primitive', name: 'boolean' };
    case 'date':
      return { kind: 'primitive', name: 'date' };
    case 'time':
      return { kind: 'primitive', name: 'time' };
    case 'timestamp':
      return { kind: 'primitive', name: options.timezone === true ? 'timestamptz' : 'timestamp' };
    case 'array': {
      const element = isShape(shape.items) ? typeFromNested(shape.items) : undefined;
      return { kind: 'list', element: element ?? { kind: 'varchar' } };
    }
    case 'object': {
      const fields = Array.isArray(shape.properties)
        ? shape.properties.flatMap((p) => {
            const type = isShape(p) ? typeFromNested(p) : undefined;
            const name = isShape(p) ? (p as { name?: unknown }).name : undefined;
            return type && typeof name === 'string' ? [{ name, type }] : [];
          })
        : [];
      return fields.length > 0 ? { kind: 'struct', fields } : { kind: 'primitive', name: 'json' };
    }
    case 'map': {
      const map = isShape(shape.map) ? (shape.map as { key?: unknown; value?: unknown }) : {};
      const key = isShape(map.key) ? typeFromNested(map.key) : undefined;
      const value = isShape(map.value) ? typeFromNested(map.value) : undefined;
      return key && value ? { kind: 'map', key, value } : { kind: 'primitive', name: 'json' };
    }
    default:
      return undefined;
  }
}

function typeFromNested(shape: LogicalShape): DataType | undefined {
  const resolved = typeFromOdcs(shape);
  if (!resolved.ok) return undefined;
  const parsed = parseDataType(resolved.type);
  return parsed.ok ? parsed.type : undefined;
}

function isShape(value: unknown): value is LogicalShape {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INTEGER_FORMATS: Record<string, 'tinyint' | 'smallint' | 'integer' | 'bigint' | 'hugeint'> = {
  i8: 'tinyint',
  i16: 'smallint',
  i32: 'integer',
  i64: 'bigint',
  i128: 'hugeint',
};
