// The fused scan: every check over one relation becomes a column of one SELECT, so the relation is
// read once. Row checks are `count(*) FILTER (WHERE <failing>)` (or their cheaper screen, with an
// `exact` follow-up only when it finds something), relation checks add their aggregates, and custom
// queries are counted by scalar subqueries outside the scan (so they cannot bind to its columns).
// Identical expressions are computed once. Pure: SQL text out.
import type { Measurement } from './check-kind.js';

export interface MeasuredCheck {
  readonly id: string;
  readonly measurement: Measurement;
}

export interface ScanPlan {
  readonly sql: string;
  /** Per check id, the result columns holding its values (`__m0` is always the row count). */
  readonly slots: ReadonlyMap<string, readonly string[]>;
  /** Checks whose value is a screen (0 when no row fails) rather than their failing-row count. */
  readonly screened: ReadonlySet<string>;
}

export const ROW_COUNT_SLOT = '__m0';

/**
 * One SELECT measuring every check over `relation` (aliased `r`).
 * @example planScan('"s"."t"', [{ id: 'not_null_a', measurement: { type: 'rows', filter: 'r."a" IS NULL' } }]).sql
 * // SELECT scan.* FROM (SELECT count(*) AS __m0, count(*) FILTER (WHERE r."a" IS NULL) AS __m1 FROM "s"."t" AS r) AS scan
 */
export function planScan(
  relation: string,
  checks: readonly MeasuredCheck[],
  options: { readonly exact?: boolean } = {},
): ScanPlan {
  const inner = new Map<string, string>([['count(*)', ROW_COUNT_SLOT]]);
  const outer = new Map<string, string>();
  let next = 1;
  const slotOf = (expression: string, into: Map<string, string>): string => {
    const known = inner.get(expression) ?? outer.get(expression);
    if (known !== undefined) return known;
    const slot = `__m${next++}`;
    into.set(expression, slot);
    return slot;
  };

  const slots = new Map<string, readonly string[]>();
  const screened = new Set<string>();
  const place: Place = (expression, where) => slotOf(expression, where === 'scan' ? inner : outer);
  for (const { id, measurement } of checks) {
    const screen = !options.exact && measurement.type === 'rows' ? measurement.screen : undefined;
    if (screen !== undefined) {
      screened.add(id);
      slots.set(id, [place(screen, 'scan')]);
    } else slots.set(id, slotsOf(measurement, place));
  }

  const list = (entries: Map<string, string>) =>
    [...entries].map(([expression, slot]) => `    ${expression} AS ${slot}`).join(',\n');
  const scan = `  SELECT\n${list(inner)}\n  FROM ${relation} AS r`;
  const sql =
    outer.size === 0
      ? `SELECT scan.* FROM (\n${scan}\n) AS scan`
      : `SELECT scan.*,\n${list(outer)}\nFROM (\n${scan}\n) AS scan`;
  return { sql, slots, screened };
}

type Place = (expression: string, where: 'scan' | 'outside') => string;

function slotsOf(measurement: Measurement, place: Place): string[] {
  switch (measurement.type) {
    case 'rows':
      return [place(`count(*) FILTER (WHERE ${measurement.filter})`, 'scan')];
    case 'relation':
      return measurement.aggregates.map((aggregate) => place(aggregate, 'scan'));
    case 'query':
      return [place(`(SELECT count(*) FROM (\n${measurement.query}\n))`, 'outside')];
  }
}
