// Compares two DuckDB types, recursively: scalars by the values they hold (value-domain.ts),
// lists and arrays by their elements, maps by key and value, structs field by field. Each
// difference carries the path below the column type (`['city']`, `['element']`, `['value']`).
import { type DataType, sameDataType } from '@pipectl/spec';
import { type Domain, domainOf, holdsAll } from './value-domain.js';

type StructType = Extract<DataType, { kind: 'struct' }>;

/** How one type relates to another it replaced. */
export type TypeRelation = 'same' | 'widened' | 'narrowed' | 'changed';

export interface TypeDifference {
  /** Below the column type: struct field names, `element` (list/array), `key`, `value` (map). */
  readonly path: readonly string[];
  /** `added` and `removed` are struct fields; the others compare a type with its replacement. */
  readonly kind: 'widened' | 'narrowed' | 'changed' | 'added' | 'removed';
  readonly before?: DataType;
  readonly after?: DataType;
}

/**
 * How `after` relates to `before` at the top, ignoring what nested comparisons find below:
 * widened when `after` holds every value of `before` (and more), narrowed for the reverse.
 * @example relateTypes(integer, bigint) // 'widened'
 */
export function relateTypes(before: DataType, after: DataType): TypeRelation {
  if (sameDataType(before, after)) return 'same';
  const differences = compareTypes(before, after);
  const kinds = new Set(differences.map((d) => d.kind));
  if (kinds.has('changed') || kinds.has('added') || kinds.has('removed')) return 'changed';
  if (kinds.has('widened') && kinds.has('narrowed')) return 'changed';
  if (kinds.has('widened')) return 'widened';
  if (kinds.has('narrowed')) return 'narrowed';
  return 'same';
}

/** Every difference between two types, outermost first; empty when they are the same. */
export function compareTypes(before: DataType, after: DataType): TypeDifference[] {
  const out: TypeDifference[] = [];
  compareAt([], before, after, out);
  return out;
}

/** The differences of `after` from `before` at `path` and below, appended to `out`. */
function compareAt(path: readonly string[], before: DataType, after: DataType, out: TypeDifference[]): void {
  if (sameDataType(before, after)) return;
  const scalarBefore = domainOf(before);
  const scalarAfter = domainOf(after);
  if (scalarBefore && scalarAfter) {
    const kind = scalarRelation(scalarBefore, scalarAfter);
    if (kind !== 'same') out.push({ path, kind, before, after });
    return;
  }
  if (before.kind === 'struct' && after.kind === 'struct') {
    compareStructs(path, before, after, out);
    return;
  }
  if (before.kind === 'map' && after.kind === 'map') {
    compareAt([...path, 'key'], before.key, after.key, out);
    compareAt([...path, 'value'], before.value, after.value, out);
    return;
  }
  const sequence = sequenceRelation(before, after);
  if (sequence && 'element' in before && 'element' in after) {
    // A fixed-size array always fits a list; a list fits an array only when it has that size.
    if (sequence !== 'same') out.push({ path, kind: sequence, before, after });
    compareAt([...path, 'element'], before.element, after.element, out);
    return;
  }
  out.push({ path, kind: 'changed', before, after });
}

/** How two scalar types' values relate: the same values, more, fewer, or neither. */
function scalarRelation(before: Domain, after: Domain): TypeRelation {
  const widened = holdsAll(after, before);
  const narrowed = holdsAll(before, after);
  // Written differently, same values (varchar(5) and varchar(20)): no difference in the data.
  if (widened && narrowed) return 'same';
  if (widened) return 'widened';
  return narrowed ? 'narrowed' : 'changed';
}

/** Two structs field by field: removed, added, and each kept field compared below its name. */
function compareStructs(
  path: readonly string[],
  before: StructType,
  after: StructType,
  out: TypeDifference[],
): void {
  // DuckDB matches struct fields by name, case-insensitively.
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  for (const field of before.fields) {
    const next = after.fields.find((f) => same(f.name, field.name));
    if (next) compareAt([...path, next.name], field.type, next.type, out);
    else out.push({ path: [...path, field.name], kind: 'removed', before: field.type });
  }
  for (const field of after.fields) {
    if (!before.fields.some((f) => same(f.name, field.name)))
      out.push({ path: [...path, field.name], kind: 'added', after: field.type });
  }
}

/** The container relation between two list/array types, or undefined when either is not one. */
function sequenceRelation(before: DataType, after: DataType): TypeRelation | undefined {
  if (before.kind === 'list' && after.kind === 'list') return 'same';
  if (before.kind === 'array' && after.kind === 'array')
    return before.size === after.size ? 'same' : 'changed';
  if (before.kind === 'array' && after.kind === 'list') return 'widened';
  if (before.kind === 'list' && after.kind === 'array') return 'narrowed';
  return undefined;
}
