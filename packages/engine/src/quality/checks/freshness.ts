// freshness: the newest value of a timestamp (or date) column is at most `maxAge` old when the
// check runs; an empty relation fails. Measured as `epoch(max(col))` in the fused scan: instants
// in UTC (the warehouse's TimeZone is UTC, never the machine's), so a value more than five minutes
// ahead of the clock fails as a clock or time zone error instead of passing as "0s old".
import { parseDuration } from '@pipectl/spec';
import type { CheckKind } from '../check-kind.js';

/** Clocks of two hosts drift by seconds; a value further ahead than this is an error. */
const FUTURE_TOLERANCE_SECONDS = 300;

export const freshnessCheck: CheckKind<'freshness'> = {
  kind: 'freshness',
  columns: (rule) => [rule.column],
  describe: (rule) => `newest ${rule.column} at most ${rule.maxAge} old`,
  measure: (rule, sql) => ({
    type: 'relation',
    aggregates: [`epoch(max(${sql.column(rule.column)}))`],
    judge: ([newest], { now }) => {
      const maxAgeSeconds = (parseDuration(rule.maxAge) ?? 0) / 1000;
      const expected = `newest ${rule.column} at most ${rule.maxAge} old`;
      if (newest === null || newest === undefined) {
        return { passed: false, expected, observed: 'no rows with a value', value: null };
      }
      const ageSeconds = Math.round(now.getTime() / 1000 - Number(newest));
      const at = new Date(Number(newest) * 1000).toISOString();
      // A newest value ahead of the clock is a time zone or clock error, not fresh data.
      if (ageSeconds < -FUTURE_TOLERANCE_SECONDS) {
        return {
          passed: false,
          expected,
          observed: `newest ${at} is ${formatAge(-ageSeconds)} in the future: a clock or time zone error upstream (timestamps are compared in UTC)`,
          value: ageSeconds,
        };
      }
      return {
        passed: ageSeconds <= maxAgeSeconds,
        expected,
        observed: `newest ${at} (${formatAge(Math.max(0, ageSeconds))} old)`,
        value: Math.max(0, ageSeconds),
      };
    },
  }),
};

/** `3d 4h`, `26h 5m`, `42s`: the two largest units. */
export function formatAge(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
