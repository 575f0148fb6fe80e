// not_null: a row fails when the column is null. Fused as `count(*) FILTER (WHERE col IS NULL)`.
import type { CheckKind } from '../check-kind.js';

export const notNullCheck: CheckKind<'not_null'> = {
  kind: 'not_null',
  columns: (rule) => [rule.column],
  describe: (rule) => `${rule.column} is not null`,
  measure: (rule, sql) => ({ type: 'rows', filter: `${sql.column(rule.column)} IS NULL` }),
};
