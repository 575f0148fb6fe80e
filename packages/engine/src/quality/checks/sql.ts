// sql: a custom read-only query; each row it returns is a failing row. `{{ this }}` is the relation
// under test. The text is checked to be one SELECT by DuckDB's own parser before it runs (see
// read-only-sql.ts); here it is only placed where the runner asks.
import type { CheckKind } from '../check-kind.js';

export const sqlCheck: CheckKind<'sql'> = {
  kind: 'sql',
  columns: () => [],
  describe: (rule) => (rule.description ?? rule.name ?? 'custom query').split('\n')[0] ?? 'custom query',
  measure: (rule, sql) => ({ type: 'query', query: sql.renderThis(rule.query) }),
};
