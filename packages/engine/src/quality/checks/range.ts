// range: a row fails when its value is below `min` or above `max` (or equal to a bound when
// `exclusive`); nulls pass. Bounds may be numbers or ISO date/timestamp strings.
import type { CheckKind } from '../check-kind.js';
import { sqlValue } from './sql-values.js';

export const rangeCheck: CheckKind<'range'> = {
  kind: 'range',
  columns: (rule) => [rule.column],
  describe: (rule) => {
    const [lo, hi] = rule.exclusive ? ['>', '<'] : ['>=', '<='];
    const parts = [
      ...(rule.min !== undefined ? [`${rule.column} ${lo} ${rule.min}`] : []),
      ...(rule.max !== undefined ? [`${rule.column} ${hi} ${rule.max}`] : []),
    ];
    return parts.length > 0 ? parts.join(' and ') : `${rule.column} in any range`;
  },
  measure: (rule, sql) => {
    const column = sql.column(rule.column);
    const [below, above] = rule.exclusive ? ['<=', '>='] : ['<', '>'];
    const outside = [
      ...(rule.min !== undefined ? [`${column} ${below} ${sqlValue(rule.min)}`] : []),
      ...(rule.max !== undefined ? [`${column} ${above} ${sqlValue(rule.max)}`] : []),
    ];
    return { type: 'rows', filter: outside.length > 0 ? `(${outside.join(' OR ')})` : 'FALSE' };
  },
};
