// Removing a contract, and the project's review policy, against real git repositories: a removal
// breaks unless it retires a deprecated contract; a removal something in the project still reads
// is breaking with the readers named (not an invalid head); review verdicts follow pipectl.yaml.
import { afterEach, describe, expect, test } from 'vitest';
import { checkRepository } from '../src/index.js';
import { outline } from './support/outline.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

const events = (extra: string[] = []) =>
  [
    'apiVersion: pipectl/v1',
    'kind: Contract',
    'name: raw.events',
    'version: 1.0.0',
    'owner: team@example.com',
    ...extra,
    'columns:',
    '  - name: id',
    '    type: bigint',
    '    primaryKey: true',
    '  - name: code',
    '    type: varchar',
    '    pattern: "^[0-9]{4}$"',
    '',
  ].join('\n');

const pipeline = [
  'apiVersion: pipectl/v1',
  'kind: Pipeline',
  'name: daily',
  'owner: team@example.com',
  'sources:',
  '  - name: events',
  '    kind: csv',
  '    path: data/events.csv',
  '    contract: raw.events',
  'steps:',
  '  - name: counts',
  '    produces: marts.counts',
  "    sql: select count(*) as n from {{ source('events') }}",
  '',
].join('\n');

const counts = [
  'apiVersion: pipectl/v1',
  'kind: Contract',
  'name: marts.counts',
  'version: 1.0.0',
  'owner: marts@example.com',
  'columns:',
  '  - name: n',
  '    type: bigint',
  '',
].join('\n');

const project = (lines: string[] = []) =>
  ['apiVersion: pipectl/v1', 'kind: Project', 'name: shop', ...lines, ''].join('\n');

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('removing a contract', () => {
  test('a removal something in the project still reads is breaking (exit 1), with its readers named, not an invalid head', async () => {
    repo = createTempRepo();
    repo.write({
      'pipectl.yaml': project(),
      'contracts/events.contract.yaml': events(),
      'contracts/counts.contract.yaml': counts,
      'pipelines/daily.pipeline.yaml': pipeline,
    });
    repo.commitAll('base');
    repo.git('rm', '--quiet', 'contracts/events.contract.yaml');
    const report = await checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
    expect(outline(report)).toMatchInlineSnapshot(`
      [
        "contracts/events.contract.yaml: raw.events removed, version ok, FAILS",
        "  breaking DATASET_REMOVED (dataset) @3 (base) -> [marts.counts] owners [marts@example.com, team@example.com]",
      ]
    `);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.summary).toMatchObject({ headErrors: 0, unapprovedBreaking: 1, failed: true });
    expect(report.issues.map((issue) => [issue.code, issue.severity, issue.file, issue.span?.line])).toEqual([
      ['PIPE4009', 'warning', 'pipelines/daily.pipeline.yaml', 9],
    ]);
  });

  test('a contract deprecated for a date that has come retires without breaking', async () => {
    repo = createTempRepo();
    const deprecation = ['deprecation:', '  date: "2026-06-30"', '  reason: read raw.events_v2'];
    repo.write({ 'pipectl.yaml': project(), 'contracts/events.contract.yaml': events(deprecation) });
    repo.commitAll('base');
    repo.git('rm', '--quiet', 'contracts/events.contract.yaml');
    const early = await checkRepository({
      repoDir: repo.dir,
      base: 'HEAD',
      git: repo.runner,
      today: '2026-06-29',
    });
    expect(early.contracts[0]?.changes.map((c) => [c.rule, c.verdict])).toEqual([
      ['DATASET_REMOVED', 'breaking'],
    ]);
    const due = await checkRepository({
      repoDir: repo.dir,
      base: 'HEAD',
      git: repo.runner,
      today: '2026-06-30',
    });
    expect(due.contracts[0]?.changes.map((c) => [c.rule, c.verdict])).toEqual([
      ['DATASET_RETIRED', 'compatible'],
    ]);
    expect(due.summary.failed).toBe(false);
  });
});

describe('the review policy in pipectl.yaml', () => {
  /** A head that changes the default of a column: FIELD_DEFAULT_CHANGED, review in every mode. */
  async function reviewUnder(policy: string[]) {
    repo = createTempRepo();
    repo.write({ 'pipectl.yaml': project(policy), 'contracts/events.contract.yaml': events() });
    repo.commitAll('base');
    repo.write({
      'contracts/events.contract.yaml': events()
        .replace('version: 1.0.0', 'version: 1.1.0')
        .replace('    type: varchar\n', "    type: varchar\n    default: '0000'\n"),
    });
    return checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
  }

  test('by default a review change fails the check', async () => {
    const report = await reviewUnder([]);
    expect(report.contracts[0]?.changes.map((c) => [c.rule, c.verdict, c.gate])).toEqual([
      ['FIELD_DEFAULT_CHANGED', 'review', 'fail'],
    ]);
    expect(report.summary).toMatchObject({ failingReview: 1, failed: true });
  });

  test('approve passes with a warning, allow passes quietly; a rule id wins over its class', async () => {
    const approve = await reviewUnder(['compatibility:', '  review:', '    default: approve']);
    expect([approve.contracts[0]?.changes[0]?.gate, approve.summary.failed]).toEqual(['warn', false]);
    repo?.remove();
    const allow = await reviewUnder([
      'compatibility:',
      '  review:',
      '    rules:',
      '      field: fail',
      '      FIELD_DEFAULT_CHANGED: allow',
    ]);
    expect([allow.contracts[0]?.changes[0]?.gate, allow.summary.failed]).toEqual(['notice', false]);
  });

  test('an unknown rule in the policy is a located PIPE4008 error', async () => {
    const report = await reviewUnder([
      'compatibility:',
      '  review:',
      '    rules:',
      '      FIELD_DEFAULT_CHANGD: allow',
    ]);
    expect(
      report.issues.map((issue) => [
        issue.code,
        issue.severity,
        issue.file,
        issue.span?.line,
        issue.span?.col,
      ]),
    ).toEqual([['PIPE4008', 'error', 'pipectl.yaml', 7, 29]]);
  });
});
