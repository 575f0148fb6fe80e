// Every rule id has a before/after fixture that produces exactly that rule, with its verdicts
// under the four base modes written out here as the golden table. Adding a rule to RULES without
// a fixture and a golden row fails.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { diffContracts } from '../src/diff/diff-contracts.js';
import {
  BASE_MODES,
  type BaseMode,
  inversesOf,
  RULE_IDS,
  RULES,
  type RuleId,
  type Verdict,
} from '../src/rules/rule-catalog.js';
import { isAtLeastAsStrict, stricterVerdict } from '../src/rules/verdicts.js';
import { checkVersionBump } from '../src/version/check-version-bump.js';
import { FIXTURES_DIR, loadFixture } from './support/fixtures.js';

const VERDICT: Readonly<Record<string, Verdict>> = { B: 'breaking', R: 'review', N: 'compatible' };

/** Golden verdicts: backward forward full none (B breaking, R review, N compatible). */
const EXPECTED: Readonly<Record<RuleId, string>> = {
  DATASET_ADDED: 'N N N N',
  DATASET_REMOVED: 'B B B N',
  DATASET_RETIRED: 'N N N N',
  DATASET_DEPRECATION_CHANGED: 'N N N N',
  DATASET_RENAMED: 'B B B N',
  FIELD_ADDED_OPTIONAL: 'N N N N',
  FIELD_ADDED_REQUIRED_WITH_DEFAULT: 'N N N N',
  FIELD_ADDED_REQUIRED: 'B N B N',
  FIELD_REMOVED: 'N B B N',
  FIELD_RENAMED: 'N B B N',
  FIELD_TYPE_WIDENED: 'N B B N',
  FIELD_TYPE_NARROWED: 'B N B N',
  FIELD_TYPE_CHANGED: 'B B B N',
  FIELD_REQUIRED_ADDED: 'B N B N',
  FIELD_REQUIRED_REMOVED: 'N B B N',
  FIELD_DEFAULT_CHANGED: 'R R R N',
  ENUM_VALUE_ADDED: 'N B B N',
  ENUM_VALUE_REMOVED: 'B N B N',
  CONSTRAINT_TIGHTENED: 'B N B N',
  CONSTRAINT_RELAXED: 'N B B N',
  PATTERN_CHANGED: 'R R R N',
  UNIQUE_ADDED: 'B N B N',
  UNIQUE_REMOVED: 'N B B N',
  PRIMARY_KEY_CHANGED: 'N N N N',
  RELATIONSHIP_ADDED: 'R N R N',
  RELATIONSHIP_REMOVED: 'N R R N',
  CLASSIFICATION_ADDED: 'N N N N',
  CLASSIFICATION_REMOVED: 'B B B N',
  CLASSIFICATION_CHANGED: 'R R R N',
  QUALITY_STRENGTHENED: 'R N R N',
  QUALITY_WEAKENED: 'N R R N',
  SLA_STRENGTHENED: 'R N R N',
  SLA_WEAKENED: 'N R R N',
  COMPATIBILITY_MODE_CHANGED: 'R R R N',
  METADATA_CHANGED: 'N N N N',
};

function expectedVerdicts(rule: RuleId): Record<BaseMode, Verdict> {
  const [backward, forward, full, none] = EXPECTED[rule]
    .split(' ')
    .map((letter) => VERDICT[letter] as Verdict);
  return { backward, forward, full, none } as Record<BaseMode, Verdict>;
}

describe('each rule id', () => {
  test.each(RULE_IDS)('%s is produced by its fixture, and only it', (rule) => {
    const { before, after } = loadFixture(rule);
    expect(
      before ?? after,
      `fixtures/${rule}/ needs before.contract.yaml and/or after.contract.yaml`,
    ).toBeDefined();
    const changes = diffContracts(before, after);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.map((change) => change.rule)).toEqual(changes.map(() => rule));
  });

  test.each(RULE_IDS)('%s has its golden verdicts under backward, forward, full and none', (rule) => {
    const { before, after } = loadFixture(rule);
    const changes = diffContracts(before, after);
    const verdicts = Object.fromEntries(
      BASE_MODES.map((mode) => [mode, classify(changes, mode)[0]?.verdict]),
    );
    expect(verdicts).toEqual(expectedVerdicts(rule));
  });

  test.each(RULE_IDS)('%s: its fixture bumps the version as the policy asks', (rule) => {
    const { before, after } = loadFixture(rule);
    if (!before || !after) return;
    const changes = classify(diffContracts(before, after), before.compatibility);
    const check = checkVersionBump(before.version, after.version, changes);
    expect([check.message, check.finding]).toEqual([check.message, undefined]);
  });

  test('every fixture directory names a rule id', () => {
    const directories = readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(directories.sort()).toEqual([...RULE_IDS].sort());
  });

  test('rule ids are UPPER_SNAKE_CASE', () => {
    for (const rule of RULE_IDS) expect(rule).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });
});

describe('the laws of the table', () => {
  test.each(RULE_IDS)('%s: none is compatible', (rule) => {
    expect(RULES[rule].verdicts.none).toBe('compatible');
  });

  test.each(RULE_IDS)('%s: full is the stricter of backward and forward', (rule) => {
    const { backward, forward, full } = RULES[rule].verdicts;
    expect(full).toBe(stricterVerdict(backward, forward));
  });

  test.each(RULE_IDS)('%s: the inverse of its inverse includes it', (rule) => {
    for (const inverse of inversesOf(rule)) expect(inversesOf(inverse)).toContain(rule);
  });

  // The symmetry law: backward(a -> b) = forward(b -> a). See docs/compatibility.md.
  test.each(RULE_IDS.flatMap((rule) => inversesOf(rule).map((inverse) => [rule, inverse] as const)))(
    '%s mirrored by %s: backward of one is forward of the other',
    (rule, inverse) => {
      const r = RULES[rule].verdicts;
      const i = RULES[inverse].verdicts;
      // A rename is declared only by the new version: its mirror is another change.
      if (RULES[rule].symmetry === 'one-sided') return;
      if (RULES[rule].symmetry === 'removal-stricter') {
        expect(isAtLeastAsStrict(i.forward, r.backward)).toBe(true);
        expect(isAtLeastAsStrict(i.backward, r.forward)).toBe(true);
      } else if (RULES[inverse].symmetry === 'removal-stricter') {
        expect(isAtLeastAsStrict(r.forward, i.backward)).toBe(true);
        expect(isAtLeastAsStrict(r.backward, i.forward)).toBe(true);
      } else {
        expect(r.backward).toBe(i.forward);
        expect(r.forward).toBe(i.backward);
      }
    },
  );
});
