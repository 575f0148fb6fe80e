// Which way a promise moved: stronger (admits fewer values, checks more), weaker, both (it now
// rejects some values it admitted and admits some it rejected), or not at all. Constraints,
// quality checks and the freshness SLA are all compared through these helpers.

export type Direction = 'same' | 'stronger' | 'weaker' | 'both';

/** Whether a bound limits values from below (min) or from above (max). */
export type BoundSide = 'lower' | 'upper';

/** The direction of several independent parts of one promise. */
export function combineDirections(directions: readonly Direction[]): Direction {
  const stronger = directions.some((d) => d === 'stronger' || d === 'both');
  const weaker = directions.some((d) => d === 'weaker' || d === 'both');
  return stronger && weaker ? 'both' : stronger ? 'stronger' : weaker ? 'weaker' : 'same';
}

/**
 * A bound added is stronger, removed is weaker; a lower bound raised (or an upper bound lowered)
 * is stronger. Bounds that cannot be compared (a number against a date) move both ways.
 */
export function boundDirection(before: unknown, after: unknown, side: BoundSide): Direction {
  if (before === undefined && after === undefined) return 'same';
  if (before === undefined) return 'stronger';
  if (after === undefined) return 'weaker';
  const order = compareBounds(before, after);
  if (order === undefined) return 'both';
  if (order === 0) return 'same';
  const raised = order < 0;
  return raised === (side === 'lower') ? 'stronger' : 'weaker';
}

/** A flag that promises more when set (`exclusive`, `severity: error`). */
export function flagDirection(before: boolean, after: boolean): Direction {
  return before === after ? 'same' : after ? 'stronger' : 'weaker';
}

/** A value that cannot be ordered (a regex, a query, a column name): any change moves both ways. */
export function opaqueDirection(before: unknown, after: unknown): Direction {
  return sameValue(before, after) ? 'same' : 'both';
}

/**
 * A set of allowed values: fewer is stronger. With `moreIsStronger` the reverse (values counted
 * as missing: more of them is stricter).
 */
export function setDirection(
  before: readonly unknown[],
  after: readonly unknown[],
  moreIsStronger = false,
): Direction {
  const b = new Set(before.map(valueKey));
  const a = new Set(after.map(valueKey));
  const lost = [...b].some((key) => !a.has(key));
  const gained = [...a].some((key) => !b.has(key));
  const shrank: Direction = lost && gained ? 'both' : lost ? 'stronger' : gained ? 'weaker' : 'same';
  if (!moreIsStronger) return shrank;
  return shrank === 'stronger' ? 'weaker' : shrank === 'weaker' ? 'stronger' : shrank;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]|$)/;

/** Orders two bounds: numbers as numbers, ISO dates and timestamps as instants, other text as text. */
export function compareBounds(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO_DATE.test(a) && ISO_DATE.test(b)) {
      const ta = Date.parse(a);
      const tb = Date.parse(b);
      if (!Number.isNaN(ta) && !Number.isNaN(tb)) return Math.sign(ta - tb);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

/** A key that tells scalars apart by type and value (`1` and `"1"` differ). */
export function valueKey(value: unknown): string {
  return `${typeof value}:${String(value)}`;
}

/** Deep equality for JSON-like values, ignoring object key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].every((key) => sameValue(ra[key], rb[key]));
}

/** Two lists hold the same items, ignoring order and repeats (tags, approvers). */
export function sameSet(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  return setDirection(a ?? [], b ?? []) === 'same';
}
