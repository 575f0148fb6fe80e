// checkRepository against real git repositories made for each test: the scenario branch (every
// kind of change a pull request makes to contracts), --changed-only, a head revision, renamed
// datasets, and transitive modes read from the file's history.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkRepository, type RepositoryCheckReport } from '../src/index.js';
import { outline } from './support/outline.js';
import { createTempRepo, scenarioRepo, type TempRepo } from './support/temp-repo.js';

describe('the compile cache', () => {
  test('a check through a cold and then a warm cache reports what one without it does', async () => {
    const repo = scenarioRepo();
    try {
      const options = { repoDir: repo.dir, projectDir: 'shop', base: 'main', git: repo.runner };
      const uncached = await checkRepository(options);
      expect(existsSync(join(repo.dir, 'shop', '.pipectl'))).toBe(false);
      const cold = await checkRepository({ ...options, cache: true });
      expect(existsSync(join(repo.dir, 'shop', '.pipectl', 'cache', 'compile.json'))).toBe(true);
      const warm = await checkRepository({ ...options, cache: true });
      expect(cold).toEqual(uncached);
      expect(warm).toEqual(uncached);
    } finally {
      repo.remove();
    }
  });
});

describe('the scenario branch checked against main', () => {
  let repo: TempRepo;
  let report: RepositoryCheckReport;
  beforeAll(async () => {
    repo = scenarioRepo();
    report = await checkRepository({ repoDir: repo.dir, projectDir: 'shop', base: 'main', git: repo.runner });
  });
  afterAll(() => repo.remove());

  test('names every change, its verdict, its line and the consumers it reaches', () => {
    expect(outline(report)).toMatchInlineSnapshot(`
      [
        "contracts/finance/refunds.contract.yaml (from contracts/raw/refunds.contract.yaml): raw.refunds moved, version ok",
        "contracts/raw/customers.contract.yaml: raw.customers changed, version ok",
        "  compatible FIELD_ADDED_OPTIONAL columns.segment @12",
        "contracts/raw/legacy_events.contract.yaml: raw.legacy_events removed, version ok, FAILS",
        "  breaking DATASET_REMOVED (dataset) @3 (base) -> [marts.order_events] owners [analytics@shop.example, finance@shop.example]",
        "contracts/raw/orders.contract.yaml: raw.orders changed, version ok, FAILS",
        "  breaking FIELD_REMOVED columns.coupon_code @7 -> [marts.order_events, marts.order_totals] owners [analytics@shop.example, finance@shop.example]",
        "contracts/raw/payments.contract.yaml: raw.payments changed, VERSION_BUMP_MISSING, FAILS",
        "  breaking FIELD_RENAMED columns.payment_status @12 -> [] owners []",
        "contracts/raw/scratch.contract.yaml: raw.scratch removed, version ok, FAILS",
        "  breaking DATASET_REMOVED (dataset) @3 (base) -> [] owners []",
        "contracts/raw/shipments.contract.yaml: raw.shipments changed, version ok",
        "  breaking waived FIELD_REMOVED columns.carrier_code @6 -> [] owners []",
        "  compatible METADATA_CHANGED except @13",
      ]
    `);
  });

  test('sums up: unapproved breaking changes and a missing major bump fail the check', () => {
    expect(report.summary).toEqual({
      contracts: 7,
      unchanged: 2,
      changes: 7,
      breaking: 5,
      review: 0,
      compatible: 2,
      waived: 1,
      unapprovedBreaking: 4,
      failingReview: 0,
      versionErrors: 1,
      headErrors: 0,
      warnings: 0,
      failed: true,
    });
    expect(report.issues).toEqual([]);
    expect(report.reviewPolicy).toEqual({ default: 'fail', rules: {} });
    expect(report.project).toBe('shop');
    expect(report.base).toEqual({ ref: 'main', commit: repo.git('rev-parse', 'main') });
    expect(report.head).toEqual({ ref: 'WORKTREE' });
  });

  test('a removed column reaches the downstream of its dataset, as a waiting run names it', () => {
    const orders = report.contracts.find((contract) => contract.dataset === 'raw.orders');
    expect(orders?.changes[0]?.impact).toMatchObject({
      target: 'raw.orders',
      graph: 'head',
      datasets: [
        { name: 'marts.order_events', owner: 'finance@shop.example', distance: 1 },
        { name: 'marts.order_totals', owner: 'finance@shop.example', distance: 1 },
      ],
      pipelines: [{ name: 'shop_daily', owner: 'analytics@shop.example' }],
      owners: ['analytics@shop.example', 'finance@shop.example'],
    });
  });

  test('a removed dataset that nothing reads any more still breaks: its consumers outside the project cannot be seen', () => {
    const scratch = report.contracts.find((contract) => contract.dataset === 'raw.scratch');
    expect(scratch?.changes[0]).toMatchObject({ rule: 'DATASET_REMOVED', verdict: 'breaking', gate: 'fail' });
    expect(scratch?.failed).toBe(true);
  });

  test('reads the base with one ls-tree and one cat-file, whatever the number of files', async () => {
    const calls: string[] = [];
    const git = {
      run: (args: readonly string[], options?: { input?: string }) => {
        calls.push(args[0] as string);
        return repo.runner.run(args, options);
      },
    };
    await checkRepository({ repoDir: repo.dir, projectDir: 'shop', base: 'main', git });
    expect(calls.sort()).toEqual(['cat-file', 'diff', 'ls-files', 'ls-tree', 'rev-parse', 'rev-parse']);
  });

  test('the report is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test('--changed-only reaches the same verdicts from the files git names', async () => {
    const changed = await checkRepository({
      repoDir: repo.dir,
      projectDir: 'shop',
      base: 'main',
      git: repo.runner,
      changedOnly: true,
    });
    expect(changed.contracts).toEqual(report.contracts);
    expect(changed.selection).toEqual({
      changedOnly: true,
      changedFiles: [
        'contracts/finance/refunds.contract.yaml',
        'contracts/raw/customers.contract.yaml',
        'contracts/raw/legacy_events.contract.yaml',
        'contracts/raw/orders.contract.yaml',
        'contracts/raw/payments.contract.yaml',
        'contracts/raw/refunds.contract.yaml',
        'contracts/raw/scratch.contract.yaml',
        'contracts/raw/shipments.contract.yaml',
        'pipelines/shop_daily.pipeline.yaml',
      ],
    });
  });

  test('a head revision is read from git, whatever is checked out', async () => {
    repo.git('checkout', '--quiet', 'main');
    try {
      const atRevision = await checkRepository({
        repoDir: repo.dir,
        projectDir: 'shop',
        base: 'main',
        head: 'feature',
        git: repo.runner,
      });
      expect(atRevision.contracts).toEqual(report.contracts);
      expect(atRevision.head).toEqual({ ref: 'feature', commit: repo.git('rev-parse', 'feature') });
    } finally {
      repo.git('checkout', '--quiet', 'feature');
    }
  });
});

const contract = (name: string, version: string, columns: string[], extra: string[] = []) =>
  [
    'apiVersion: pipectl/v1',
    'kind: Contract',
    `name: ${name}`,
    `version: ${version}`,
    'owner: team@example.com',
    ...extra,
    'columns:',
    '  - name: id',
    '    type: bigint',
    '    primaryKey: true',
    ...columns.flatMap((column) => [`  - name: ${column}`, '    type: varchar']),
    '',
  ].join('\n');

describe('pairing contracts across revisions', () => {
  let repo: TempRepo;
  afterAll(() => repo?.remove());

  test('with --changed-only and nothing changed under the project, nothing is loaded', async () => {
    repo = createTempRepo();
    repo.write({ 'contracts/a.contract.yaml': contract('sales.a', '1.0.0', ['x']), 'README.md': 'hello' });
    repo.commitAll('base');
    repo.write({ 'README.md': 'changed, but not a contract' });
    const report = await checkRepository({
      repoDir: repo.dir,
      base: 'HEAD',
      git: repo.runner,
      changedOnly: true,
    });
    expect(report.contracts).toEqual([]);
    expect(report.selection).toEqual({ changedOnly: true, changedFiles: [] });
    repo.remove();
  });

  test('a dataset renamed in a moved file is DATASET_RENAMED, paired through git rename detection', async () => {
    repo = createTempRepo();
    repo.write({ 'contracts/orders.contract.yaml': contract('sales.orders', '1.0.0', ['amount', 'note']) });
    repo.commitAll('base');
    mkdirSync(join(repo.dir, 'contracts/sales'));
    renameSync(
      join(repo.dir, 'contracts/orders.contract.yaml'),
      join(repo.dir, 'contracts/sales/orders.contract.yaml'),
    );
    repo.write({
      'contracts/sales/orders.contract.yaml': contract('sales.customer_orders', '2.0.0', ['amount', 'note']),
    });
    repo.git('add', '--all');
    const report = await checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
    expect(outline(report)).toMatchInlineSnapshot(`
      [
        "contracts/sales/orders.contract.yaml (from contracts/orders.contract.yaml): sales.customer_orders (was sales.orders) changed, version ok, FAILS",
        "  breaking DATASET_RENAMED name @3 -> [] owners []",
      ]
    `);
    repo.remove();
  });

  test('a *_transitive contract is compared with every version in its file history', async () => {
    repo = createTempRepo();
    const mode = ['compatibility: forward_transitive'];
    repo.write({ 'contracts/a.contract.yaml': contract('sales.a', '1.0.0', ['legacy'], mode) });
    repo.commitAll('1.0.0 with legacy');
    const waiver = ['except:', '  - rule: FIELD_REMOVED', '    reason: nobody read it'];
    repo.write({ 'contracts/a.contract.yaml': contract('sales.a', '2.0.0', [], [...mode, ...waiver]) });
    repo.commitAll('2.0.0 drops legacy, waived');
    repo.write({ 'contracts/a.contract.yaml': contract('sales.a', '2.1.0', ['note'], mode) });
    const report = await checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
    expect(report.contracts[0]?.comparedWith).toEqual(['1.0.0', '2.0.0']);
    expect(outline(report)).toMatchInlineSnapshot(`
      [
        "contracts/a.contract.yaml: sales.a changed, version ok, FAILS",
        "  compatible FIELD_ADDED_OPTIONAL columns.note @11 vs 2.0.0",
        "  compatible METADATA_CHANGED except @1 vs 2.0.0",
        "  breaking FIELD_REMOVED columns.legacy @7 vs 1.0.0 -> [] owners []",
      ]
    `);
    repo.remove();
  });
});
