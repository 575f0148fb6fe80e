// checkCompatibility: one report per dataset, against the latest version or, for transitive modes,
// against every earlier one.
import { describe, expect, test } from 'vitest';
import { checkCompatibility } from '../src/index.js';
import { contractYaml } from './support/fixtures.js';

// v1 has `legacy_code`; v2 drops it (with a major bump); v3 adds a nullable `note`.
const v1 = contractYaml(
  `
  columns:
    - name: id
      type: bigint
      primaryKey: true
    - name: legacy_code
      type: varchar
    - name: amount
      type: decimal(12,2)
`,
  { version: '1.0.0' },
);
const v2 = contractYaml(
  `
  columns:
    - name: id
      type: bigint
      primaryKey: true
    - name: amount
      type: decimal(12,2)
`,
  { version: '2.0.0' },
);
const v3 = contractYaml(
  `
  columns:
    - name: id
      type: bigint
      primaryKey: true
    - name: amount
      type: decimal(12,2)
    - name: note
      type: varchar
`,
  { version: '2.1.0' },
);

describe('checkCompatibility', () => {
  test('compares with the latest version only, under the mode it promised', () => {
    const report = checkCompatibility([v1, v2], v3);
    expect(report).toMatchObject({
      dataset: 'sales.orders',
      mode: 'forward',
      fromVersion: '2.0.0',
      toVersion: '2.1.0',
      comparedWith: ['2.0.0'],
      breaking: false,
      needsReview: false,
      versionCheck: { ok: true, required: 'minor', actual: 'minor' },
    });
    expect(
      report.changes.map((change) => [change.rule, change.path, change.verdict, change.against]),
    ).toEqual([['FIELD_ADDED_OPTIONAL', 'columns.note', 'compatible', '2.0.0']]);
  });

  test('a transitive mode also compares with every earlier version', () => {
    const report = checkCompatibility([v1, v2], v3, 'forward_transitive');
    expect(report.fromVersion).toBe('1.0.0');
    expect(report.comparedWith).toEqual(['1.0.0', '2.0.0']);
    expect(
      report.changes.map((change) => [change.rule, change.path, change.verdict, change.against]),
    ).toEqual([
      ['FIELD_ADDED_OPTIONAL', 'columns.note', 'compatible', '2.0.0'],
      ['FIELD_REMOVED', 'columns.legacy_code', 'breaking', '1.0.0'],
    ]);
    expect(report.breaking).toBe(true);
    // The version bump is judged against the latest version.
    expect(report.versionCheck).toMatchObject({ ok: true, required: 'minor' });
  });

  test('the same rule at the same path found against several versions is kept once, at its strictest', () => {
    const narrower = contractYaml(
      `
      columns:
        - name: id
          type: bigint
          primaryKey: true
        - name: amount
          type: decimal(10,2)
    `,
      { version: '3.0.0' },
    );
    const report = checkCompatibility([v2, v3], narrower, 'backward_transitive');
    const narrowed = report.changes.filter((change) => change.rule === 'FIELD_TYPE_NARROWED');
    expect(narrowed).toHaveLength(1);
    expect(narrowed[0]).toMatchObject({ path: 'columns.amount.type', verdict: 'breaking', against: '2.1.0' });
  });

  test('a breaking change blocks, and the version check names the bump it needs', () => {
    const report = checkCompatibility([v1], { ...v2, version: '1.1.0' });
    expect(report.breaking).toBe(true);
    expect(report.versionCheck).toMatchObject({
      ok: false,
      required: 'major',
      suggested: '2.0.0',
      finding: { code: 'VERSION_BUMP_MISSING' },
    });
  });

  test('a waived breaking change does not block', () => {
    const waived = {
      ...v2,
      except: [{ rule: 'FIELD_REMOVED', path: 'columns.legacy_code', reason: 'never populated' }],
    };
    const report = checkCompatibility([v1], waived);
    expect(report.breaking).toBe(false);
    expect(report.changes.find((change) => change.rule === 'FIELD_REMOVED')).toMatchObject({
      verdict: 'breaking',
      waived: { reason: 'never populated' },
    });
  });

  test('review verdicts set needsReview', () => {
    const defaulted = contractYaml(
      `
      columns:
        - name: id
          type: bigint
          primaryKey: true
        - name: amount
          type: decimal(12,2)
          default: 0
    `,
      { version: '2.1.0' },
    );
    const report = checkCompatibility([v2], defaulted);
    expect(report).toMatchObject({
      breaking: false,
      needsReview: true,
      versionCheck: { ok: true, required: 'minor' },
    });
  });

  test('mode none never blocks', () => {
    const report = checkCompatibility([v1], { ...v2, version: '1.1.0' }, 'none');
    expect(report.breaking).toBe(false);
    expect(report.versionCheck.ok).toBe(true);
  });

  test('a new dataset is DATASET_ADDED with nothing to bump from', () => {
    const report = checkCompatibility([], v1);
    expect(report.changes.map((change) => change.rule)).toEqual(['DATASET_ADDED']);
    expect(report).toMatchObject({
      breaking: false,
      comparedWith: [],
      toVersion: '1.0.0',
      versionCheck: { ok: true },
    });
    expect(report.fromVersion).toBeUndefined();
  });

  test('a removed dataset is DATASET_REMOVED, breaking under its mode', () => {
    const report = checkCompatibility([v1, v2], undefined);
    expect(report.changes.map((change) => change.rule)).toEqual(['DATASET_REMOVED']);
    expect(report).toMatchObject({ dataset: 'sales.orders', breaking: true, fromVersion: '2.0.0' });
    expect(report.toVersion).toBeUndefined();
  });
});
