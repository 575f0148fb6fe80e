// Durations as people write them in YAML: `90s`, `15m`, `26h`, `1d`, `1h30m`, `500ms`.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The pattern a duration string must match; also used by the JSON Schema. */
export const DURATION_PATTERN = '^(\\d+(ms|s|m|h|d|w))+$';

const PART = /(\d+)(ms|s|m|h|d|w)/g;

/**
 * Milliseconds in a duration string, or undefined when it is not one.
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(input: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(input)) return undefined;
  let total = 0;
  for (const match of input.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total;
}
