// `pipectl diff` and `pipectl check` end to end, through `main` with a captured terminal: diff on
// fixture files, check on a real git repository built from the scenario fixtures of
// @pipectl/check (main holds the shop as published, the checked-out branch reshapes it), with the
// text, GitHub and JUnit outputs pinned exactly.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/compat/${name}`, import.meta.url));
const scenario = (name: string) =>
  fileURLToPath(new URL(`../../../packages/check/test/fixtures/scenario/${name}`, import.meta.url));

async function run(args: string[], cwd: string) {
  const term = bufferTerminal();
  const code = await main(args, term, cwd);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

// Commits with a fixed author and date, and no global or system git configuration.
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Pipectl Test',
  GIT_AUTHOR_EMAIL: 'test@pipectl.example',
  GIT_COMMITTER_NAME: 'Pipectl Test',
  GIT_COMMITTER_EMAIL: 'test@pipectl.example',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

let repo: string;
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' }).trim();

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'pipectl-check-cli-'));
  git('init', '--quiet', '--initial-branch=main');
  cpSync(scenario('main'), repo, { recursive: true });
  git('add', '--all');
  git('commit', '--quiet', '-m', 'shop as published');
  git('checkout', '--quiet', '-b', 'feature');
  cpSync(scenario('feature'), repo, { recursive: true });
  mkdirSync(join(repo, 'shop/contracts/finance'));
  git('mv', 'shop/contracts/raw/refunds.contract.yaml', 'shop/contracts/finance/refunds.contract.yaml');
  git(
    'rm',
    '--quiet',
    'shop/contracts/raw/legacy_events.contract.yaml',
    'shop/contracts/raw/scratch.contract.yaml',
  );
  git('commit', '--quiet', '-m', 'feature: reshape the shop contracts');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('pipectl diff', () => {
  test('compares two contract files: rule ids, verdicts, lines and the version bump', async () => {
    const { code, stdout, stderr } = await run(
      ['diff', 'orders.v1.contract.yaml', 'orders.v2.contract.yaml'],
      fixture('.'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatchInlineSnapshot(`
      "orders.v2.contract.yaml  sales.orders 1.4.0 -> 1.5.0 (forward)
        ~ breaking, waived   FIELD_REMOVED columns.legacy_code  varchar -> (none)  line 7
            column "legacy_code" (varchar) removed
            waived: never populated since 2023 (DATA-142)
        ✗ breaking           FIELD_TYPE_WIDENED columns.amount.type  decimal(12,2) -> decimal(18,2)  line 12
            column "amount" type widened from decimal(12,2) to decimal(18,2)
        ✓ compatible         FIELD_ADDED_OPTIONAL columns.channel  (none) -> varchar  line 16
            nullable column "channel" (varchar) added
        ✓ compatible         METADATA_CHANGED except  [] -> [{"rule":"FIELD_REMOVED","path":"columns.legacy…  line 19
            except changed
        ✗ VERSION_BUMP_MISSING version 1.4.0 -> 1.5.0 is a minor bump, but the changes need a major bump (FIELD_TYPE_WIDENED at columns.amount.type is breaking): use 2.0.0
      "
    `);
  });

  test('judges under --mode when given, and exits 0 when nothing breaks', async () => {
    const { code, stdout } = await run(
      [
        'diff',
        'orders.v1.contract.yaml',
        'orders.v2.contract.yaml',
        '--mode',
        'backward',
        '--format',
        'json',
      ],
      fixture('.'),
    );
    expect(code).toBe(0);
    const check = JSON.parse(stdout);
    expect(check).toMatchObject({
      dataset: 'sales.orders',
      mode: 'backward',
      breaking: false,
      failed: false,
    });
    expect(check.previousFile).toBeUndefined();
  });

  test('a file that is not a contract is bad input (exit 2), shown at its place', async () => {
    const { code, stdout, stderr } = await run(
      ['diff', 'orders.v1.contract.yaml', 'daily.pipeline.yaml'],
      fixture('.'),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatchInlineSnapshot(`
      "error PIPE4007 "daily.pipeline.yaml" holds a Pipeline, not a Contract
        --> daily.pipeline.yaml:2:7  kind
         |
       2 | kind: Pipeline
         |       ^^^^^^^^
         = help: pipectl diff compares two versions of one contract

      nothing compared: 1 error
      "
    `);
    const unknownMode = await run(
      ['diff', 'orders.v1.contract.yaml', 'orders.v2.contract.yaml', '--mode', 'fwd'],
      fixture('.'),
    );
    expect(unknownMode.code).toBe(2);
    expect(unknownMode.stderr).toContain('unknown compatibility mode "fwd"');
  });
});

describe('pipectl check --base', () => {
  const shop = () => join(repo, 'shop');

  test('text: grouped by contract, each change with its consumers and the version bump; exit 1', async () => {
    const { code, stdout, stderr } = await run(['check', '--base', 'main'], shop());
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout.replace(/\(\w{12}\)/, '(<commit>)')).toMatchInlineSnapshot(`
      "project shop: the working tree against main (<commit>)

      contracts/finance/refunds.contract.yaml  raw.refunds 1.0.0 -> 1.0.0 (forward)  moved from contracts/raw/refunds.contract.yaml
        no contract changes
        ✓ version 1.0.0 -> 1.0.0 no changes, no bump needed

      contracts/raw/customers.contract.yaml  raw.customers 1.0.0 -> 1.1.0 (forward)
        ✓ compatible         FIELD_ADDED_OPTIONAL columns.segment  (none) -> varchar  line 12
            nullable column "segment" (varchar) added
        ✓ version 1.0.0 -> 1.1.0 matches the changes (minor needed)

      contracts/raw/legacy_events.contract.yaml  raw.legacy_events 1.0.0 (removed) (forward)
        ✗ breaking           DATASET_REMOVED (dataset)  raw.legacy_events -> (none)  line 3 (base)
            dataset "raw.legacy_events" removed (was version 1.0.0): it was not deprecated first (declare \`deprecation\` with a date in a released version, then remove it on or after that date)
            breaks marts.order_events (finance@shop.example); pipeline shop_daily (analytics@shop.example) (lineage at the base)

      contracts/raw/orders.contract.yaml  raw.orders 1.0.0 -> 2.0.0 (forward)
        ✗ breaking           FIELD_REMOVED columns.coupon_code  varchar -> (none)  line 7
            column "coupon_code" (varchar) removed
            breaks marts.order_events (finance@shop.example), marts.order_totals (finance@shop.example); pipeline shop_daily (analytics@shop.example)
        ✓ version 1.0.0 -> 2.0.0 matches the changes (major needed)

      contracts/raw/payments.contract.yaml  raw.payments 1.0.0 -> 1.1.0 (forward)
        ✗ breaking           FIELD_RENAMED columns.payment_status  status -> payment_status  line 12
            column "status" renamed to "payment_status"
            no consumers in the lineage graph
        ✗ VERSION_BUMP_MISSING version 1.0.0 -> 1.1.0 is a minor bump, but the changes need a major bump (FIELD_RENAMED at columns.payment_status is breaking): use 2.0.0

      contracts/raw/scratch.contract.yaml  raw.scratch 0.1.0 (removed) (forward)
        ✗ breaking           DATASET_REMOVED (dataset)  raw.scratch -> (none)  line 3 (base)
            dataset "raw.scratch" removed (was version 0.1.0): it was not deprecated first (declare \`deprecation\` with a date in a released version, then remove it on or after that date)
            no consumers in the lineage graph

      contracts/raw/shipments.contract.yaml  raw.shipments 1.0.0 -> 1.1.0 (forward)
        ~ breaking, waived   FIELD_REMOVED columns.carrier_code  varchar -> (none)  line 6
            column "carrier_code" (varchar) removed
            waived: never populated; readers confirmed in LOG-7
            no consumers in the lineage graph
        ✓ compatible         METADATA_CHANGED except  [] -> [{"rule":"FIELD_REMOVED","path":"columns.carrie…  line 13
            except changed
        ✓ version 1.0.0 -> 1.1.0 matches the changes (minor needed)

      ✗ 4 unapproved breaking changes, 1 version error: 7 changes in 7 contracts (5 breaking, 1 waived, 0 review, 2 compatible); 2 unchanged
      "
    `);
  });

  test('github: one workflow command per finding, on the repository-relative file and line', async () => {
    const { code, stdout } = await run(['check', '--base', 'main', '--format', 'github'], shop());
    expect(code).toBe(1);
    expect(stdout).toMatchInlineSnapshot(`
      "::error file=shop/contracts/raw/legacy_events.contract.yaml,line=3,col=7,title=DATASET_REMOVED::raw.legacy_events: dataset "raw.legacy_events" removed (was version 1.0.0): it was not deprecated first (declare \`deprecation\` with a date in a released version, then remove it on or after that date) (breaking under forward)%0Abreaks marts.order_events (finance@shop.example); pipeline shop_daily (analytics@shop.example)
      ::error file=shop/contracts/raw/orders.contract.yaml,line=7,col=1,title=FIELD_REMOVED::raw.orders: column "coupon_code" (varchar) removed (breaking under forward)%0Abreaks marts.order_events (finance@shop.example), marts.order_totals (finance@shop.example); pipeline shop_daily (analytics@shop.example)
      ::error file=shop/contracts/raw/payments.contract.yaml,line=12,col=5,title=FIELD_RENAMED::raw.payments: column "status" renamed to "payment_status" (breaking under forward)
      ::error file=shop/contracts/raw/payments.contract.yaml,line=4,col=10,title=VERSION_BUMP_MISSING::raw.payments: version 1.0.0 -> 1.1.0 is a minor bump, but the changes need a major bump (FIELD_RENAMED at columns.payment_status is breaking): use 2.0.0
      ::error file=shop/contracts/raw/scratch.contract.yaml,line=3,col=7,title=DATASET_REMOVED::raw.scratch: dataset "raw.scratch" removed (was version 0.1.0): it was not deprecated first (declare \`deprecation\` with a date in a released version, then remove it on or after that date) (breaking under forward)
      ::notice file=shop/contracts/raw/shipments.contract.yaml,line=6,col=1,title=FIELD_REMOVED::raw.shipments: column "carrier_code" (varchar) removed (breaking under forward)%0Awaived: never populated; readers confirmed in LOG-7
      pipectl check: 4 unapproved breaking, 1 waived, 0 review, 2 compatible, 1 version errors, 0 errors in 7 changed contracts (2 unchanged)
      "
    `);
  });

  test('junit: one testsuite per contract, one testcase per change, failures for breaking; written with --output', async () => {
    const { code, stdout } = await run(
      ['check', '--base', 'main', '--format', 'junit', '--output', '../report.xml'],
      shop(),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('✗ 4 unapproved breaking changes, 1 version error');
    expect(readFileSync(join(repo, 'report.xml'), 'utf8')).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="pipectl check" tests="12" failures="5" errors="0">
        <testsuite name="raw.refunds" tests="1" failures="0" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/finance/refunds.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="moved"/>
          </properties>
          <testcase name="version 1.0.0 -&gt; 1.0.0" classname="raw.refunds" file="shop/contracts/finance/refunds.contract.yaml" line="4">
            <system-out>version 1.0.0 -&gt; 1.0.0 no changes, no bump needed</system-out>
          </testcase>
        </testsuite>
        <testsuite name="raw.customers" tests="2" failures="0" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/raw/customers.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="changed"/>
          </properties>
          <testcase name="FIELD_ADDED_OPTIONAL columns.segment" classname="raw.customers" file="shop/contracts/raw/customers.contract.yaml" line="12">
            <system-out>nullable column &quot;segment&quot; (varchar) added
      compatible under forward: columns.segment (none) -&gt; varchar</system-out>
          </testcase>
          <testcase name="version 1.0.0 -&gt; 1.1.0" classname="raw.customers" file="shop/contracts/raw/customers.contract.yaml" line="4">
            <system-out>version 1.0.0 -&gt; 1.1.0 matches the changes (minor needed)</system-out>
          </testcase>
        </testsuite>
        <testsuite name="raw.legacy_events" tests="1" failures="1" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/raw/legacy_events.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="removed"/>
          </properties>
          <testcase name="DATASET_REMOVED (dataset)" classname="raw.legacy_events" file="shop/contracts/raw/legacy_events.contract.yaml" line="3">
            <failure message="dataset &quot;raw.legacy_events&quot; removed (was version 1.0.0): it was not deprecated first (declare \`deprecation\` with a date in a released version, then remove it on or after that date)" type="DATASET_REMOVED">breaking under forward: (dataset) raw.legacy_events -&gt; (none)
      breaks marts.order_events (finance@shop.example); pipeline shop_daily (analytics@shop.example)</failure>
          </testcase>
        </testsuite>
        <testsuite name="raw.orders" tests="2" failures="1" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/raw/orders.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="changed"/>
          </properties>
          <testcase name="FIELD_REMOVED columns.coupon_code" classname="raw.orders" file="shop/contracts/raw/orders.contract.yaml" line="7">
            <failure message="column &quot;coupon_code&quot; (varchar) removed" type="FIELD_REMOVED">breaking under forward: columns.coupon_code varchar -&gt; (none)
      breaks marts.order_events (finance@shop.example), marts.order_totals (finance@shop.example); pipeline shop_daily (analytics@shop.example)</failure>
          </testcase>
          <testcase name="version 1.0.0 -&gt; 2.0.0" classname="raw.orders" file="shop/contracts/raw/orders.contract.yaml" line="4">
            <system-out>version 1.0.0 -&gt; 2.0.0 matches the changes (major needed)</system-out>
          </testcase>
        </testsuite>
        <testsuite name="raw.payments" tests="2" failures="2" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/raw/payments.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="changed"/>
          </properties>
          <testcase name="FIELD_RENAMED columns.payment_status" classname="raw.payments" file="shop/contracts/raw/payments.contract.yaml" line="12">
            <failure message="column &quot;status&quot; renamed to &quot;payment_status&quot;" type="FIELD_RENAMED">breaking under forward: columns.payment_status status -&gt; payment_status</failure>
          </testcase>
          <testcase name="version 1.0.0 -&gt; 1.1.0" classname="raw.payments" file="shop/contracts/raw/payments.contract.yaml" line="4">
            <failure message="version 1.0.0 -&gt; 1.1.0 is a minor bump, but the changes need a major bump (FIELD_RENAMED at columns.payment_status is breaking): use 2.0.0" type="VERSION_BUMP_MISSING">required: major bump; suggested: 2.0.0</failure>
          </testcase>
        </testsuite>
        <testsuite name="raw.scratch" tests="1" failures="1" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/raw/scratch.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="removed"/>
          </properties>
          <testcase name="DATASET_REMOVED (dataset)" classname="raw.scratch" file="shop/contracts/raw/scratch.contract.yaml" line="3">
            <failure message="dataset &quot;raw.scratch&quot; removed (was version 0.1.0): it was not deprecated first (declare \`deprecation\` with a date in a released version, then remove it on or after that date)" type="DATASET_REMOVED">breaking under forward: (dataset) raw.scratch -&gt; (none)</failure>
          </testcase>
        </testsuite>
        <testsuite name="raw.shipments" tests="3" failures="0" errors="0" skipped="0">
          <properties>
            <property name="file" value="shop/contracts/raw/shipments.contract.yaml"/>
            <property name="mode" value="forward"/>
            <property name="status" value="changed"/>
          </properties>
          <testcase name="FIELD_REMOVED columns.carrier_code" classname="raw.shipments" file="shop/contracts/raw/shipments.contract.yaml" line="6">
            <system-out>column &quot;carrier_code&quot; (varchar) removed
      breaking under forward: columns.carrier_code varchar -&gt; (none)
      waived: never populated; readers confirmed in LOG-7</system-out>
          </testcase>
          <testcase name="METADATA_CHANGED except" classname="raw.shipments" file="shop/contracts/raw/shipments.contract.yaml" line="13">
            <system-out>except changed
      compatible under forward: except [] -&gt; [{&quot;rule&quot;:&quot;FIELD_REMOVED&quot;,&quot;path&quot;:&quot;columns.carrie…</system-out>
          </testcase>
          <testcase name="version 1.0.0 -&gt; 1.1.0" classname="raw.shipments" file="shop/contracts/raw/shipments.contract.yaml" line="4">
            <system-out>version 1.0.0 -&gt; 1.1.0 matches the changes (minor needed)</system-out>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
  });

  test('a removed contract something still reads is a failed check (exit 1, readers named), not an invalid project', async () => {
    git('checkout', '--quiet', '-b', 'drop-read-contract', 'main');
    try {
      git('rm', '--quiet', 'shop/contracts/raw/legacy_events.contract.yaml');
      git('commit', '--quiet', '-m', 'drop a contract the pipeline still reads');
      const head = ['--head', 'drop-read-contract'];
      const { code, stdout, stderr } = await run(['check', '--base', 'main', ...head], shop());
      expect(code).toBe(1);
      expect(stderr).toContain(
        'warning PIPE4009 reads "raw.legacy_events", whose contract this change removes',
      );
      expect(stderr).toContain('--> pipelines/shop_daily.pipeline.yaml:13:15');
      expect(stdout).toContain('note: still read in the project (pipelines/shop_daily.pipeline.yaml:13:15)');
    } finally {
      git('checkout', '--quiet', 'feature');
    }
  });

  test('json: the report itself', async () => {
    const { stdout } = await run(['check', '--base', 'main', '--format', 'json'], shop());
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({
      unapprovedBreaking: 4,
      failingReview: 0,
      versionErrors: 1,
      failed: true,
    });
    expect(report.contracts).toHaveLength(7);
  });

  test('--select reports the selected contracts, and the breaking changes reaching them; the exit code follows', async () => {
    const reached = await run(
      ['check', '--base', 'main', '--select', 'marts.order_totals', '--format', 'json'],
      shop(),
    );
    expect(reached.code).toBe(1);
    const report = JSON.parse(reached.stdout);
    expect(report.selection.datasets).toEqual(['marts.order_totals']);
    // raw.orders is not selected, but its removed column breaks marts.order_totals.
    expect(report.contracts.map((c: { dataset: string }) => c.dataset)).toEqual(['raw.orders']);
    expect(report.summary).toMatchObject({ contracts: 1, unchanged: 1, unapprovedBreaking: 1, failed: true });

    const compatible = await run(['check', '--base', 'main', '--select', 'raw.customers'], shop());
    expect(compatible.stderr).toBe('');
    expect(compatible.code).toBe(0);
    expect(compatible.stdout).toContain('raw.customers 1.0.0 -> 1.1.0');
    expect(compatible.stdout).not.toContain('raw.orders');

    const excluded = await run(
      [
        'check',
        '--base',
        'main',
        '--select',
        'raw.*',
        '--exclude',
        'raw.orders',
        'raw.payments',
        '--format',
        'json',
      ],
      shop(),
    );
    expect(JSON.parse(excluded.stdout).contracts.map((c: { dataset: string }) => c.dataset)).toEqual([
      'raw.refunds',
      'raw.customers',
      'raw.shipments',
    ]);
    expect(excluded.code).toBe(0);
  });

  test('a selector that names nothing is bad input (exit 2) with what there is', async () => {
    const { code, stderr } = await run(['check', '--base', 'main', '--select', 'raw.ordrs'], shop());
    expect(code).toBe(2);
    expect(stderr).toContain('raw.ordrs');
  });

  test('a base the clone does not have is bad input (exit 2) with the fetch to run', async () => {
    const { code, stdout, stderr } = await run(['check', '--base', 'origin/main'], shop());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatchInlineSnapshot(`
      "error: PIPE4001 the base revision "origin/main" does not exist in this clone
        = help: fetch it first: \`git fetch origin main\` (this clone has no remote "origin": add it first); in GitHub Actions, check out with \`fetch-depth: 0\` so the base branch and its history are there
      "
    `);
  });

  test('a project invalid at the head exits 2 with the located problems', async () => {
    const file = join(repo, 'shop/contracts/raw/customers.contract.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('type: varchar\n', 'type: varchr\n'));
    try {
      const { code, stderr } = await run(['check', '--base', 'main'], shop());
      expect(code).toBe(2);
      expect(stderr).toContain('error PIPE1009');
      expect(stderr).toContain('--> contracts/raw/customers.contract.yaml:11:11');
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('output escaping', () => {
  test.each([
    ['a % sign', '100% done', '100%25 done'],
    ['line breaks', 'one\r\ntwo', 'one%0D%0Atwo'],
  ])('GitHub data escapes %s', async (_what, text, escaped) => {
    const { escapeData } = await import('../src/render/compat-github.js');
    expect(escapeData(text)).toBe(escaped);
  });

  test('GitHub properties also escape : and ,', async () => {
    const { workflowCommand } = await import('../src/render/compat-github.js');
    expect(workflowCommand('error', { file: 'a,b:c.yaml', line: 3, col: 1 }, 'T:1,2', 'x%\ny')).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=3,col=1,title=T%3A1%2C2::x%25%0Ay',
    );
  });

  test('JUnit text escapes the XML entities and drops forbidden control characters', async () => {
    const { renderJunitXml } = await import('../src/render/junit-xml.js');
    const text = `<a href="x">Tom & 'Jerry'</a>\u0001\t`;
    const xml = renderJunitXml({ name: text }, [
      {
        attributes: { name: 's' },
        cases: [{ attributes: { name: 'c' }, child: { tag: 'system-out', text } }],
      },
    ]);
    const escaped = '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;\t';
    expect(xml).toContain(`<testsuites name="${escaped}">`);
    expect(xml).toContain(`<system-out>${escaped}</system-out>`);
  });
});
