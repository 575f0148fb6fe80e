// "Did you mean" suggestions for misspelt names: keys, contract names, columns, steps.

/** Damerau-Levenshtein (optimal string alignment) distance between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[rows - 1] as number[])[cols - 1] as number;
}

/**
 * The closest candidate to `input`, if it is close enough to be a likely typo: within an edit
 * distance of a third of its length, or else one of the two a prefix of the other (`warning` and
 * `warn`), ignoring case.
 * @example closestName('amout', ['amount', 'order_id']) // 'amount'
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let prefixMatch: string | undefined;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(needle, lower);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
    const shorter = Math.min(lower.length, needle.length);
    if (prefixMatch === undefined && shorter >= 3 && (lower.startsWith(needle) || needle.startsWith(lower))) {
      prefixMatch = candidate;
    }
  }
  return bestDistance <= limit ? best : prefixMatch;
}

/** `did you mean "amount"?`, or undefined when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closestName(input, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}
