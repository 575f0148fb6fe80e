// Two column patterns compared by example: values drawn from each pattern (fast-check's
// `stringMatching`, with a fixed seed so a diff is reproducible) and tried on the other. One value
// the new pattern admits and the old one rejects proves the constraint relaxed; one the old
// admits and the new rejects proves it tightened. Finding none proves nothing, so that direction
// stays PATTERN_CHANGED (review). Values are full matches, as the engine's `regexp_full_match`;
// a pattern JavaScript cannot read (RE2-only syntax) is never "proven" anything.
import { createRequire } from 'node:module';
import type * as FastCheck from 'fast-check';

/** How many values are drawn from each pattern. */
const SAMPLES = 200;
const SEED = 20261203;

export interface PatternWitnesses {
  /** A value the new pattern admits and the old one rejects. */
  readonly relaxedBy?: string;
  /** A value the old pattern admits and the new one rejects. */
  readonly tightenedBy?: string;
}

/** Full-match regex of a pattern, or undefined when JavaScript cannot read it. */
function fullMatch(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

/** fast-check, loaded on first use: most diffs change no pattern, and loading it costs start-up time. */
let fastCheck: typeof FastCheck | undefined;
function loadFastCheck(): typeof FastCheck {
  fastCheck ??= createRequire(import.meta.url)('fast-check') as typeof FastCheck;
  return fastCheck;
}

function samples(regex: RegExp): readonly string[] {
  const fc = loadFastCheck();
  try {
    return fc.sample(fc.stringMatching(regex), { seed: SEED, numRuns: SAMPLES });
  } catch {
    return [];
  }
}

/**
 * Values that prove how `after` relates to `before`, where some exist among the samples.
 * @example patternWitnesses('^[a-z]+$', '^[A-Z]+$') // { relaxedBy: 'Q', tightenedBy: 'e' }
 */
export function patternWitnesses(before: string, after: string): PatternWitnesses {
  const old = fullMatch(before);
  const next = fullMatch(after);
  if (!old || !next) return {};
  const relaxedBy = samples(next).find((value) => !old.test(value));
  const tightenedBy = samples(old).find((value) => !next.test(value));
  return {
    ...(relaxedBy === undefined ? {} : { relaxedBy }),
    ...(tightenedBy === undefined ? {} : { tightenedBy }),
  };
}
