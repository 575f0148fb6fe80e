// How many failing rows a check tolerates: `maxFailing` as a row count (`10`) or a percentage of
// the rows of the relation under test (`'0.5%'`). On 2,000 rows, `1%` lets 20 pass and 21 fail.

export type Threshold =
  | { readonly unit: 'rows'; readonly value: number }
  | { readonly unit: 'percent'; readonly value: number };

/** The threshold a `maxFailing` value means. */
export function thresholdOf(maxFailing: number | string): Threshold {
  if (typeof maxFailing === 'number') return { unit: 'rows', value: maxFailing };
  return { unit: 'percent', value: Number(maxFailing.replace('%', '')) };
}

/**
 * The most failing rows allowed among `rowCount` rows.
 * @example allowedFailing({ unit: 'percent', value: 1 }, 2000) // 20
 */
export function allowedFailing(threshold: Threshold, rowCount: number): number {
  if (threshold.unit === 'rows') return threshold.value;
  // The epsilon keeps 0.1% of 3000 at 3 despite binary floating point.
  return Math.floor((threshold.value * rowCount) / 100 + 1e-9);
}

/** `0 failing rows`, `at most 10 failing rows`, `at most 1% failing rows (20 of 2,000)`. */
export function describeThreshold(threshold: Threshold, rowCount: number): string {
  if (threshold.unit === 'rows') {
    return threshold.value === 0 ? 'no failing rows' : `at most ${formatCount(threshold.value)} failing rows`;
  }
  const allowed = allowedFailing(threshold, rowCount);
  return `at most ${threshold.value}% failing rows (${formatCount(allowed)} of ${formatCount(rowCount)})`;
}

/** `12,345`: counts as people read them. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
