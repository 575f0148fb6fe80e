// missing_count: a row fails when the column is null or equals one of `missingValues` (compared as
// text, so "" and "N/A" work on any column).
import type { CheckKind } from '../check-kind.js';
import { isTextType, showValues, valueList } from './sql-values.js';

export const missingCountCheck: CheckKind<'missing_count'> = {
  kind: 'missing_count',
  columns: (rule) => [rule.column],
  describe: (rule) =>
    rule.missingValues.length === 0
      ? `${rule.column} is not null`
      : `${rule.column} is not null or one of (${showValues(rule.missingValues.map((v) => JSON.stringify(v)))})`,
  measure: (rule, sql) => {
    const column = sql.column(rule.column);
    if (rule.missingValues.length === 0) return { type: 'rows', filter: `${column} IS NULL` };
    const type = sql.columnType(rule.column);
    const text = type === undefined || isTextType(type) ? column : `CAST(${column} AS VARCHAR)`;
    return {
      type: 'rows',
      filter: `(${column} IS NULL OR ${text} IN (${valueList(rule.missingValues, 'VARCHAR')}))`,
    };
  },
};
