// relationships: a row fails when its non-null value is not found in the referenced column. The
// referenced keys come from one uncorrelated subquery (a hash join DuckDB builds once), so the check
// rides in the fused scan. Null keys of the referenced side are left out, or NOT IN would say null.
import { quoteIdent } from '../../warehouse/identifiers.js';
import type { CheckKind, RequiredColumn } from '../check-kind.js';
import type { RuleOf } from '../check-spec.js';

function target(rule: RuleOf<'relationships'>): RequiredColumn {
  const dot = rule.to.lastIndexOf('.');
  return { dataset: rule.to.slice(0, dot), column: rule.to.slice(dot + 1) };
}

export const relationshipsCheck: CheckKind<'relationships'> = {
  kind: 'relationships',
  columns: (rule) => [rule.column],
  requires: (rule) => [target(rule)],
  describe: (rule) => `${rule.column} exists in ${rule.to}`,
  measure: (rule, sql) => {
    const column = sql.column(rule.column);
    const to = target(rule);
    const key = `t.${quoteIdent(to.column)}`;
    const keys = `SELECT ${key} FROM ${sql.relationOf(to.dataset)} AS t WHERE ${key} IS NOT NULL`;
    return { type: 'rows', filter: `(${column} IS NOT NULL AND ${column} NOT IN (${keys}))` };
  },
};
