// `pipectl test` end to end: the repository's default project passes, a project with a failing gate
// exits 1 with the failing rows shown, and bad input exits 2.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function run(args: string[], cwd = repoRoot) {
  const term = bufferTerminal();
  const code = await main(args, term, cwd);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

/** Output without what changes from run to run: timings and the scratch file's name. */
const stable = (text: string) =>
  text.replace(/\d+ ms/g, 'N ms').replace(/[\w/.-]*\.pipectl\/test\/[\w-]+\.(duckdb|ducklake)/g, '<scratch>');

let workdir: string;
let project: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-test-command-'));
  project = join(workdir, 'failing-gate');
  cpSync(fixture('failing-gate'), project, { recursive: true });
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('pipectl test', () => {
  test('the default project passes every error gate, upstream pipelines first', async () => {
    const { code, stdout, stderr } = await run(['test', 'shop_marts']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('shop_staging  (upstream, run first)');
    expect(stdout).toMatch(/✓ source customers → raw\.customers {2}\(json, 60 rows/);
    expect(stdout).toMatch(/✓ step fct_order_items → mart\.fct_order_items {2}\(incremental, \d+ rows/);
    expect(stdout).toMatch(/✓ plausible_basket +0 failing of \d+ rows/);
    expect(stdout).toMatch(/^passed: 2 pipelines, 9 of 9 steps built; \d+ checks: \d+ passed, 0 failed$/m);
    // The scratch warehouse is gone.
    expect(
      readdirSync(join(repoRoot, '.pipectl', 'test')).filter((f) => f.startsWith('shop_marts-')),
    ).toEqual([]);
  });

  test('--select builds the selected datasets and what they need, nothing else', async () => {
    const { code, stdout, stderr } = await run(['test', '--select', 'staging.orders']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // stg_orders reads raw.orders; its relationships check points into staging.customers.
    expect(stdout).toMatch(/✓ source orders → raw\.orders/);
    expect(stdout).toMatch(/✓ step stg_orders → staging\.orders/);
    expect(stdout).toMatch(/✓ step stg_customers → staging\.customers/);
    expect(stdout).not.toContain('order_items');
    expect(stdout).not.toContain('shop_marts');
    expect(stdout).not.toContain('upstream, run first');
    expect(stdout).toMatch(/^passed: 1 pipeline, 2 of 2 steps built;/m);
  });

  test('a selector that names nothing, or no pipeline and no selection, is a usage error', async () => {
    const typo = await run(['test', '--select', '+mart.daily_revenu']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('"+mart.daily_revenu" selects nothing');
    expect(typo.stderr).toContain('did you mean "mart.daily_revenue"?');
    const neither = await run(['test']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('name a pipeline to test, or select datasets with --select');
    const outside = await run(['test', 'shop_marts', '--select', 'raw.orders']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('the selection names no dataset that pipeline "shop_marts" writes');
  });

  test('the task-analytics example validates and its pipeline passes every error gate', async () => {
    const example = join(workdir, 'task-analytics');
    cpSync(join(repoRoot, 'examples/task-analytics'), example, { recursive: true });
    const validate = await run(['validate', example]);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const tested = await run(['test', 'task_analytics', '-p', example]);
    expect(tested.stderr).toBe('');
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(
      /^passed: 1 pipeline, (\d+) of \1 steps built; \d+ checks: \d+ passed, 0 failed$/m,
    );
  });

  test('a failing error gate exits 1 and shows the failing rows; quarantine and warnings are reported', async () => {
    const { code, stdout, stderr } = await run(['test', 'payments', '-p', project]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stable(stdout)).toMatchInlineSnapshot(`
      "pipectl test payments  scratch <scratch>

      payments  N ms
        ✓ source payments → raw.payments  (csv, 4 rows)
            ✓ not_null_payment_id  0 failing of 4 rows
            ✓ unique_payment_id    0 failing of 4 rows
        ✗ step clean_payments → mart.payments  (table, 1 quarantined, N ms)
            ✓ not_null_payment_id  0 failing of 3 rows
            ✓ unique_payment_id    0 failing of 3 rows
            ✓ not_null_amount      0 failing of 3 rows
            ✗ range_amount         fail 1 failing of 3 rows (33.33%); expected no failing rows (amount >= 0)
                {"payment_id":2,"amount":-5,"currency":"USD"}
            ✓ not_null_currency    0 failing of 3 rows
            ⇢ known_currency       1 row quarantined (currency in (EUR, USD))
                {"payment_id":3,"amount":7.5,"currency":"XYZ"}
            ! enough_payments      warn 3 rows; expected at least 10 rows (row count at least 10)

      failed: 1 pipeline, 0 of 1 step built; 9 checks: 6 passed, 1 warned, 1 quarantined, 1 failed
      "
    `);
    expect(readdirSync(join(project, '.pipectl', 'test'))).toEqual([]);
  });

  test('--format junit and json report the same checks, as pipectl verify does', async () => {
    const junit = await run(['test', 'payments', '-p', project, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="pipectl test payments" tests="9" failures="1" errors="0">
        <testsuite name="raw.payments" tests="2" failures="0" errors="0" skipped="0">
          <properties>
            <property name="pipeline" value="payments"/>
            <property name="source" value="payments"/>
          </properties>
          <testcase name="not_null_payment_id" classname="raw.payments"/>
          <testcase name="unique_payment_id" classname="raw.payments"/>
        </testsuite>
        <testsuite name="mart.payments" tests="7" failures="1" errors="0" skipped="0">
          <properties>
            <property name="pipeline" value="payments"/>
            <property name="step" value="clean_payments"/>
          </properties>
          <testcase name="not_null_payment_id" classname="mart.payments"/>
          <testcase name="unique_payment_id" classname="mart.payments"/>
          <testcase name="not_null_amount" classname="mart.payments"/>
          <testcase name="range_amount" classname="mart.payments">
            <failure message="1 failing of 3 rows (33.33%); expected no failing rows" type="range">1 failing of 3 rows (33.33%); expected no failing rows (amount &gt;= 0)
      {&quot;payment_id&quot;:2,&quot;amount&quot;:-5,&quot;currency&quot;:&quot;USD&quot;}</failure>
          </testcase>
          <testcase name="not_null_currency" classname="mart.payments"/>
          <testcase name="known_currency" classname="mart.payments">
            <system-out>quarantined: 1 failing of 4 rows (25%); expected no failing rows (currency in (EUR, USD))
      {&quot;payment_id&quot;:3,&quot;amount&quot;:7.5,&quot;currency&quot;:&quot;XYZ&quot;}</system-out>
          </testcase>
          <testcase name="enough_payments" classname="mart.payments">
            <system-out>warn: 3 rows; expected at least 10 rows (row count at least 10)</system-out>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
    const json = await run(['test', 'payments', '-p', project, '--format', 'json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { passed: boolean; pipelines: { steps: unknown[] }[] };
    expect(parsed.passed).toBe(false);
    expect(parsed.pipelines[0]?.steps).toHaveLength(1);
    const file = join(workdir, 'payments.xml');
    const written = await run(['test', 'payments', '-p', project, '--format', 'junit', '--output', file]);
    expect(written.stdout).toContain('failed: 1 pipeline');
    // The path is shown relative to the working directory when that is shorter (../ from a clone in /tmp).
    expect(written.stdout).toMatch(/^wrote \S*payments\.xml$/m);
    expect(readFileSync(file, 'utf8')).toBe(junit.stdout);
  });

  test('--keep keeps the scratch warehouse and says where it is', async () => {
    const { stdout } = await run(['test', 'payments', '-p', project, '--keep']);
    const kept = /kept (.*\.duckdb)/.exec(stdout)?.[1] ?? '';
    expect(existsSync(resolve(repoRoot, kept))).toBe(true);
    rmSync(join(project, '.pipectl'), { recursive: true, force: true });
  });

  test('on a pipe, progress is plain lines on stderr: each source and step, the rows read, built and checked', async () => {
    const term = bufferTerminal({ progress: true });
    const code = await main(['test', 'payments', '-p', project], term, repoRoot);
    expect(code).toBe(1);
    expect(term.stderr).not.toContain('\u001b');
    expect(term.stderr.split('\n').filter(Boolean)).toEqual([
      '- source payments: reading into raw.payments',
      '- source payments: 4 rows read, checking',
      expect.stringMatching(/^- source payments: 4 rows checked by \d+ checks$/),
      '✓ source payments: loaded',
      '- step payments/clean_payments: building mart.payments',
      '- step payments/clean_payments: 4 rows built, checking',
      expect.stringMatching(/^- step payments\/clean_payments: 3 rows checked by \d+ checks$/),
      expect.stringMatching(/^✗ step payments\/clean_payments: failed \(quality gate failed: .+\)$/),
    ]);
    // The report on stdout is the same as without progress.
    const quiet = await run(['test', 'payments', '-p', project]);
    expect(stable(term.stdout)).toBe(stable(quiet.stdout));
    const silenced = bufferTerminal({ progress: true });
    await main(['test', 'payments', '-p', project, '--quiet'], silenced, repoRoot);
    expect(silenced.stderr).toBe('');
  });

  test('colours pass, warn and fail', async () => {
    const term = bufferTerminal({ color: true });
    await main(['test', 'payments', '-p', project], term, repoRoot);
    expect(term.stdout).toContain('\u001b[32m✓\u001b[39m');
    expect(term.stdout).toContain('\u001b[31m✗\u001b[39m');
    expect(term.stdout).toContain('\u001b[33m!\u001b[39m');
  });

  test('an unknown pipeline exits 2 with a suggestion', async () => {
    const { code, stderr } = await run(['test', 'payment', '-p', project]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown pipeline "payment" (did you mean "payments"?)');
  });

  test('an invalid project exits 2 with its problems', async () => {
    const { code, stderr } = await run(['test', 'orders', '-p', fixture('broken-project')]);
    expect(code).toBe(2);
    expect(stderr).toContain('not tested');
  });

  describe('--target', () => {
    let targeted: string;
    beforeAll(() => {
      targeted = join(workdir, 'failing-gate-targets');
      cpSync(fixture('failing-gate'), targeted, { recursive: true });
      appendFileSync(
        join(targeted, 'pipectl.yaml'),
        [
          'targets:',
          '  prod:',
          '    warehouse:',
          '      kind: ducklake',
          '      catalog: postgres:host=lake.internal dbname=lake user=pipectl',
          '      dataPath: /mnt/lake',
          '',
        ].join('\n'),
      );
    });

    test('a DuckLake target is tested on a scratch DuckLake, with the same verdicts as on the file', async () => {
      const onFile = await run(['test', 'payments', '-p', targeted]);
      const onLake = await run(['test', 'payments', '-p', targeted, '--target', 'prod']);
      expect(onLake.stderr).toBe('');
      expect(onLake.code).toBe(1);
      expect(onLake.stdout).toMatch(/scratch .*\.pipectl\/test\/payments-[\w-]+\.ducklake/);
      expect(stable(onLake.stdout)).toBe(stable(onFile.stdout));
      expect(readdirSync(join(targeted, '.pipectl', 'test'))).toEqual([]);
    });

    test('an unknown target exits 2 naming the targets there are', async () => {
      const { code, stderr } = await run(['test', 'payments', '-p', targeted, '--target', 'prd']);
      expect(code).toBe(2);
      expect(stderr).toContain('PIPE1031');
      expect(stderr).toContain('unknown target "prd" (did you mean "prod"?)');
    });
  });
});
