// The version policy: breaking -> major, other schema and promise changes -> minor, metadata -> patch;
// 0.x shifts by one (a minor bump counts as major); a missing bump is an error, an excessive one a warning.
import { describe, expect, test } from 'vitest';
import type { ClassifiedChange } from '../src/index.js';
import type { RuleId, Verdict } from '../src/rules/rule-catalog.js';
import { checkVersionBump, type VersionBump } from '../src/version/check-version-bump.js';
import { compareSemver, parseSemver } from '../src/version/semver.js';

function change(rule: RuleId, verdict: Verdict, waived = false): ClassifiedChange {
  return {
    rule,
    path: 'columns.x',
    message: rule,
    verdict,
    ...(waived ? { waived: { reason: 'agreed' } } : {}),
  };
}

const BREAKING = [change('FIELD_REMOVED', 'breaking')];
const ADDITIVE = [change('FIELD_ADDED_OPTIONAL', 'compatible')];
const METADATA = [change('METADATA_CHANGED', 'compatible')];
const REMOVAL_UNDER_BACKWARD = [change('FIELD_REMOVED', 'compatible')];

// biome-ignore format: one case per line reads as a table
const CASES: readonly (readonly [string, string, string, readonly ClassifiedChange[], VersionBump, string, string])[] = [
  // description, previous, next, changes, required, finding, suggested
  ['a breaking change with a major bump', '1.4.2', '2.0.0', BREAKING, 'major', 'ok', '2.0.0'],
  ['a breaking change with a minor bump', '1.4.2', '1.5.0', BREAKING, 'major', 'VERSION_BUMP_MISSING', '2.0.0'],
  ['a breaking change without a bump', '1.4.2', '1.4.2', BREAKING, 'major', 'VERSION_BUMP_MISSING', '2.0.0'],
  ['a waived breaking change with a minor bump', '1.4.2', '1.5.0', [change('FIELD_REMOVED', 'breaking', true)], 'minor', 'ok', '1.5.0'],
  ['an additive change with a minor bump', '1.4.2', '1.5.0', ADDITIVE, 'minor', 'ok', '1.5.0'],
  ['an additive change with a patch bump', '1.4.2', '1.4.3', ADDITIVE, 'minor', 'VERSION_BUMP_MISSING', '1.5.0'],
  ['an additive change with a major bump', '1.4.2', '2.0.0', ADDITIVE, 'minor', 'VERSION_BUMP_EXCESSIVE', '1.5.0'],
  ['a metadata change with a patch bump', '1.4.2', '1.4.3', METADATA, 'patch', 'ok', '1.4.3'],
  ['a metadata change with a minor bump', '1.4.2', '1.5.0', METADATA, 'patch', 'VERSION_BUMP_EXCESSIVE', '1.4.3'],
  ['a metadata change without a bump', '1.4.2', '1.4.2', METADATA, 'patch', 'VERSION_BUMP_MISSING', '1.4.3'],
  ['no change and no bump', '1.4.2', '1.4.2', [], 'none', 'ok', '1.4.2'],
  ['no change and a patch bump', '1.4.2', '1.4.3', [], 'none', 'VERSION_BUMP_EXCESSIVE', '1.4.2'],
  // A major bump is never excessive for a change that breaks under some mode.
  ['a removal compatible under backward, with a major bump', '1.4.2', '2.0.0', REMOVAL_UNDER_BACKWARD, 'minor', 'ok', '1.5.0'],
  ['a version going backwards', '1.4.2', '1.4.1', METADATA, 'patch', 'VERSION_DOWNGRADED', '1.4.3'],
  ['a version that is not semver', '1.4.2', 'v1.5', ADDITIVE, 'minor', 'VERSION_INVALID', '1.5.0'],
  // 0.x: a minor bump counts as major, a patch bump as minor.
  ['0.x: a breaking change with a minor bump', '0.3.1', '0.4.0', BREAKING, 'major', 'ok', '0.4.0'],
  ['0.x: a breaking change with a patch bump', '0.3.1', '0.3.2', BREAKING, 'major', 'VERSION_BUMP_MISSING', '0.4.0'],
  ['0.x: an additive change with a patch bump', '0.3.1', '0.3.2', ADDITIVE, 'minor', 'ok', '0.3.2'],
  ['0.x: an additive change with a minor bump', '0.3.1', '0.4.0', ADDITIVE, 'minor', 'VERSION_BUMP_EXCESSIVE', '0.3.2'],
  ['0.x: the first stable release', '0.3.1', '1.0.0', ADDITIVE, 'minor', 'ok', '0.3.2'],
  // Prereleases promise nothing: moving on from one satisfies any change.
  ['a breaking change between release candidates', '2.0.0-rc.1', '2.0.0-rc.2', BREAKING, 'major', 'ok', '2.0.0'],
  ['a breaking change releasing a candidate', '2.0.0-rc.2', '2.0.0', BREAKING, 'major', 'ok', '2.0.0'],
];

describe('checkVersionBump', () => {
  test.each(CASES)('%s (%s -> %s)', (_, previous, next, changes, required, finding, suggested) => {
    const check = checkVersionBump(previous, next, changes);
    expect(check.required).toBe(required);
    expect(check.finding?.code ?? 'ok').toBe(finding);
    expect(check.suggested).toBe(suggested);
    expect(check.ok).toBe(check.finding?.severity !== 'error');
  });

  test('messages say what was done, what is needed, and what to use', () => {
    const messages = [
      checkVersionBump('1.4.2', '1.5.0', BREAKING),
      checkVersionBump('1.4.2', '2.0.0', ADDITIVE),
      checkVersionBump('1.4.2', '1.4.1', METADATA),
      checkVersionBump('1.4.2', '1.5.0', ADDITIVE),
    ].map((check) => check.message);
    expect(messages).toMatchInlineSnapshot(`
      [
        "version 1.4.2 -> 1.5.0 is a minor bump, but the changes need a major bump (FIELD_REMOVED at columns.x is breaking): use 2.0.0",
        "version 1.4.2 -> 2.0.0 is a major bump, but the changes need only a minor bump (1.5.0)",
        "version goes backwards from 1.4.2 to 1.4.1: use 1.4.3 or later",
        "version 1.4.2 -> 1.5.0 matches the changes (minor needed)",
      ]
    `);
  });
});

describe('semver', () => {
  const ORDERED = [
    '0.9.0',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.2.0',
    '1.10.0',
    '2.0.0',
  ];

  test.each(ORDERED.slice(1).map((version, i) => [ORDERED[i] as string, version]))(
    '%s < %s',
    (lower, higher) => {
      const a = parseSemver(lower);
      const b = parseSemver(higher);
      if (!a || !b) throw new Error('unparseable');
      expect(compareSemver(a, b)).toBe(-1);
      expect(compareSemver(b, a)).toBe(1);
      expect(compareSemver(a, a)).toBe(0);
    },
  );

  test.each(['1', '1.2', '01.2.3', 'v1.2.3', '1.2.3-', ''])('%j is not semver', (text) => {
    expect(parseSemver(text)).toBeUndefined();
  });
});
