// row_count: the number of rows lies between `min` and `max`, inclusive. Judged as a whole.

import { toCount } from '../../report/json-safe.js';
import type { CheckKind } from '../check-kind.js';
import { formatCount } from '../threshold.js';

export const rowCountCheck: CheckKind<'row_count'> = {
  kind: 'row_count',
  columns: () => [],
  describe: (rule) => `row count ${boundsText(rule.min, rule.max)}`,
  measure: (rule) => ({
    type: 'relation',
    aggregates: ['count(*)'],
    judge: ([count]) => {
      const rows = toCount(count);
      const passed =
        (rule.min === undefined || rows >= rule.min) && (rule.max === undefined || rows <= rule.max);
      return {
        passed,
        expected: `${boundsText(rule.min, rule.max)} ${rule.min === 1 && rule.max === undefined ? 'row' : 'rows'}`,
        observed: `${formatCount(rows)} ${rows === 1 ? 'row' : 'rows'}`,
        value: rows,
      };
    },
  }),
};

function boundsText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${formatCount(min)} and ${formatCount(max)}`;
  if (min !== undefined) return `at least ${formatCount(min)}`;
  if (max !== undefined) return `at most ${formatCount(max)}`;
  return 'any number of';
}
