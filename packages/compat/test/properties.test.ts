// Properties of the differ and the classifier over generated contracts.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Change, checkCompatibility, diff } from '../src/index.js';
import { BASE_MODES, inversesOf, RULES, type RuleId } from '../src/rules/rule-catalog.js';
import { isAtLeastAsStrict } from '../src/rules/verdicts.js';
import { contractArbitrary } from './support/contract-arbitrary.js';

const RUNS = { numRuns: 300 };
const contracts = contractArbitrary();
const contractsWithoutRenames = contractArbitrary({ withRenames: false });

/** The change `diff(b, a)` reports for a change `diff(a, b)` reports: same path, an inverse rule. */
function mirrorOf(change: Change, reverse: readonly Change[]): Change | undefined {
  const inverses = inversesOf(change.rule);
  return reverse.find((candidate) => candidate.path === change.path && inverses.includes(candidate.rule));
}

/**
 * The symmetry law for a change (rule r) and its mirror (rule m): backward(r) = forward(m) and
 * forward(r) = backward(m); when one side is an appearance with a fallback, its removal mirror is
 * at least as strict instead.
 */
function expectSymmetric(rule: RuleId, mirror: RuleId): void {
  const r = RULES[rule];
  const m = RULES[mirror];
  if (r.symmetry === 'removal-stricter') {
    expect(isAtLeastAsStrict(m.verdicts.forward, r.verdicts.backward)).toBe(true);
    expect(isAtLeastAsStrict(m.verdicts.backward, r.verdicts.forward)).toBe(true);
  } else if (m.symmetry === 'removal-stricter') {
    expect(isAtLeastAsStrict(r.verdicts.forward, m.verdicts.backward)).toBe(true);
    expect(isAtLeastAsStrict(r.verdicts.backward, m.verdicts.forward)).toBe(true);
  } else {
    expect([rule, r.verdicts.backward]).toEqual([rule, m.verdicts.forward]);
    expect([rule, r.verdicts.forward]).toEqual([rule, m.verdicts.backward]);
  }
}

describe('properties', () => {
  test('diff(a, a) is empty', () => {
    fc.assert(
      fc.property(contracts, (a) => {
        expect(diff(a, a)).toEqual([]);
      }),
      RUNS,
    );
  });

  test('every change a -> b has a mirror b -> a at the same path, whose forward verdict is its backward verdict', () => {
    fc.assert(
      fc.property(contractsWithoutRenames, contractsWithoutRenames, (a, b) => {
        const forth = diff(a, b);
        const back = diff(b, a);
        expect(back).toHaveLength(forth.length);
        for (const change of forth) {
          const mirror = mirrorOf(change, back);
          expect(
            mirror,
            `${change.rule} at ${change.path} has no mirror in ${JSON.stringify(back.map((c) => `${c.rule} ${c.path}`))}`,
          ).toBeDefined();
          if (mirror) expectSymmetric(change.rule, mirror.rule);
        }
      }),
      RUNS,
    );
  });

  test('full is breaking exactly when backward or forward is', () => {
    fc.assert(
      fc.property(contracts, contracts, (a, b) => {
        const breaking = (mode: 'backward' | 'forward' | 'full') => checkCompatibility([a], b, mode).breaking;
        expect(breaking('full')).toBe(breaking('backward') || breaking('forward'));
        const review = (mode: 'backward' | 'forward' | 'full') =>
          checkCompatibility([a], b, mode).needsReview;
        if (review('backward') || review('forward')) expect(review('full') || breaking('full')).toBe(true);
      }),
      RUNS,
    );
  });

  test('a transitive mode is at least as strict as its base mode', () => {
    fc.assert(
      fc.property(fc.array(contracts, { minLength: 1, maxLength: 3 }), contracts, (history, next) => {
        for (const mode of BASE_MODES) {
          if (mode === 'none') continue;
          const latest = checkCompatibility(history, next, mode);
          const transitive = checkCompatibility(history, next, `${mode}_transitive`);
          expect(!latest.breaking || transitive.breaking).toBe(true);
          expect(!latest.needsReview || transitive.needsReview).toBe(true);
          for (const change of latest.changes) {
            const kept = transitive.changes.find((c) => c.rule === change.rule && c.path === change.path);
            expect(kept).toBeDefined();
            if (kept) expect(isAtLeastAsStrict(kept.verdict, change.verdict)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test('rule and path identify a change within one diff', () => {
    fc.assert(
      fc.property(contracts, contracts, (a, b) => {
        const keys = diff(a, b).map((change) => `${change.rule} ${change.path}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      RUNS,
    );
  });
});
