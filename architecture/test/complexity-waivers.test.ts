// Lint holds every function to a cognitive complexity of 25 (biome.json,
// `noExcessiveCognitiveComplexity`); tests are exempt. The functions written before the limit
// carried a `biome-ignore` for it until they were split; none is left, and this list stays empty:
// a function over the limit is split by phase (parse, check, map, render ...), not waived.
import { describe, expect, it } from 'vitest';
import { readBiomeConfig } from '../src/biome-config.js';
import { COMPLEXITY_WAIVER, complexityWaivers } from '../src/complexity-waivers.js';
import { REPOSITORY_ROOT } from '../src/workspace.js';

/** Waived functions per file: none since the last ones were split (2026-12-03); it stays empty. */
const WAIVED: Record<string, number> = {};

describe('the complexity limit', () => {
  it('is on in lint at 25, off only for tests', () => {
    const config = readBiomeConfig(REPOSITORY_ROOT) as {
      linter: { rules: { complexity?: { noExcessiveCognitiveComplexity?: unknown } } };
    };
    expect(config.linter.rules.complexity?.noExcessiveCognitiveComplexity).toEqual({
      level: 'error',
      options: { maxAllowedComplexity: 25 },
    });
  });

  it('is waived only where the list says, and the list only shrinks', () => {
    const found = Object.fromEntries(complexityWaivers());
    const problems: string[] = [];
    for (const [file, count] of Object.entries(found)) {
      const allowed = WAIVED[file] ?? 0;
      if (count > allowed)
        problems.push(
          `${file} has ${count} \`${COMPLEXITY_WAIVER}\` (allowed ${allowed}): split the new function by phase instead of waiving it`,
        );
    }
    for (const [file, allowed] of Object.entries(WAIVED)) {
      const count = found[file] ?? 0;
      if (count < allowed)
        problems.push(`${file} has ${count} waivers now: lower its WAIVED count to ${count}`);
    }
    expect(problems).toEqual([]);
  });
});
