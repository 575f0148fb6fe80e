// When a contract's type and an observed type "match": when DuckDB stores them identically. The
// engine refuses to publish a step output whose storage type differs from its contract's, and the
// compiler types step SQL with the same rule, so validate and run agree. DESCRIBE
// reports DuckDB's own spelling (`VARCHAR` for varchar(64), `TIMESTAMP WITH TIME ZONE`, `DECIMAL(18,3)`
// for a bare decimal), so both sides go through the spec's type parser to one canonical spelling,
// with varchar lengths dropped (DuckDB does not keep them).
import { type DataType, formatDataType, parseDataType } from './data-type.js';

/**
 * The canonical spelling of how DuckDB stores a type.
 * @example storageType('varchar(64)') // 'varchar'
 * @example storageType('TIMESTAMP WITH TIME ZONE') // 'timestamptz'
 */
export function storageType(type: string): string {
  const parsed = parseDataType(type);
  // Types the spec does not model (ENUM, UNION, ...) compare by DuckDB's own spelling.
  if (!parsed.ok) return type.trim().replace(/\s+/g, ' ').toLowerCase();
  return formatDataType(stored(parsed.type));
}

/** Whether DuckDB would store values of both types identically. */
export function sameStorage(a: string, b: string): boolean {
  return storageType(a) === storageType(b);
}

function stored(type: DataType): DataType {
  switch (type.kind) {
    case 'varchar':
      return { kind: 'varchar' };
    case 'list':
      return { kind: 'list', element: stored(type.element) };
    case 'array':
      return { kind: 'array', element: stored(type.element), size: type.size };
    case 'map':
      return { kind: 'map', key: stored(type.key), value: stored(type.value) };
    case 'struct':
      // DuckDB matches struct fields case-insensitively and DESCRIBE keeps the declared case.
      return {
        kind: 'struct',
        fields: type.fields.map((f) => ({ name: f.name.toLowerCase(), type: stored(f.type) })),
      };
    default:
      return type;
  }
}
