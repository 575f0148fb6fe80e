// pattern: a row fails when its value does not fully match the regular expression
// (`regexp_full_match`); nulls pass. Non-text columns are matched on their text form.
import { quoteLiteral } from '../../warehouse/identifiers.js';
import type { CheckKind } from '../check-kind.js';
import { isTextType } from './sql-values.js';

export const patternCheck: CheckKind<'pattern'> = {
  kind: 'pattern',
  columns: (rule) => [rule.column],
  describe: (rule) => `${rule.column} matches ${rule.regex}`,
  measure: (rule, sql) => {
    const column = sql.column(rule.column);
    const type = sql.columnType(rule.column);
    const text = type === undefined || isTextType(type) ? column : `CAST(${column} AS VARCHAR)`;
    return { type: 'rows', filter: `NOT regexp_full_match(${text}, ${quoteLiteral(rule.regex)})` };
  },
};
