// unique: a row fails when another row has the same value (or combination of values); rows with a
// null in the key are not compared. The fused scan only screens (keys minus distinct keys, 0 when
// unique); when that finds duplicates, the failing rows are counted with the duplicated keys from
// one uncorrelated subquery.
import type { CheckKind } from '../check-kind.js';
import type { RuleOf } from '../check-spec.js';

function keyOf(rule: RuleOf<'unique'>): readonly string[] {
  return rule.columns ?? (rule.column !== undefined ? [rule.column] : []);
}

export const uniqueCheck: CheckKind<'unique'> = {
  kind: 'unique',
  columns: keyOf,
  describe: (rule) => {
    const key = keyOf(rule);
    return key.length === 1 ? `${key[0]} is unique` : `(${key.join(', ')}) is unique together`;
  },
  measure: (rule, sql) => {
    const key = keyOf(rule);
    if (key.length === 0) throw new Error('a unique check needs "column" or "columns"');
    const outer = key.map((name) => sql.column(name));
    const inner = key.map((name) => sql.column(name, 'd'));
    const tuple = (parts: readonly string[]) =>
      parts.length === 1 ? (parts[0] as string) : `(${parts.join(', ')})`;
    const notNull = (parts: readonly string[]) => parts.map((part) => `${part} IS NOT NULL`).join(' AND ');
    const duplicates =
      `SELECT ${inner.join(', ')} FROM ${sql.relation} AS d WHERE ${notNull(inner)} ` +
      `GROUP BY ALL HAVING count(*) > 1`;
    // Exact (0 iff no duplicates) and much cheaper than finding the duplicated keys: one hash
    // aggregate inside the fused scan, no second pass and no join.
    const screen =
      key.length === 1
        ? `count(${outer[0]}) - count(DISTINCT ${outer[0]})`
        : `count(*) FILTER (WHERE ${notNull(outer)}) - count(DISTINCT ${tuple(outer)}) FILTER (WHERE ${notNull(outer)})`;
    return {
      type: 'rows',
      filter: `(${notNull(outer)} AND ${tuple(outer)} IN (${duplicates}))`,
      sampleOrder: outer.join(', '),
      screen,
    };
  },
};
