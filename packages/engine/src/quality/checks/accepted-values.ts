// accepted_values: a row fails when the column holds a value outside `values`; nulls pass.
import type { CheckKind } from '../check-kind.js';
import { showValues, valueList } from './sql-values.js';

export const acceptedValuesCheck: CheckKind<'accepted_values'> = {
  kind: 'accepted_values',
  columns: (rule) => [rule.column],
  describe: (rule) => `${rule.column} in (${showValues(rule.values)})`,
  measure: (rule, sql) => {
    const column = sql.column(rule.column);
    return {
      type: 'rows',
      filter: `(${column} IS NOT NULL AND ${column} NOT IN (${valueList(rule.values, sql.columnType(rule.column))}))`,
    };
  },
};
