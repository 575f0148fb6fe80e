// `pipectl export odcs`, `pipectl import odcs` and `pipectl import dbt` end to end, through `main`
// with a captured terminal, on projects `pipectl init` writes into temporary directories.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDocument } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pythonBin, pythonToolsSkipReason } from '../../../test-support/python-tools.js';
import { bufferTerminal, main } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const interopFixtures = join(repoRoot, 'packages', 'interop', 'test', 'fixtures');

async function run(args: string[], cwd = repoRoot) {
  const term = bufferTerminal();
  const code = await main(args, term, cwd);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

/** Every contract of a project, as pipectl reads it, by dataset name. */
function contractsOf(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.contract.yaml')) {
        const parsed = parseDocument(entry.name, readFileSync(path, 'utf8'));
        if (parsed.document?.kind === 'Contract') out[parsed.document.value.name] = parsed.document.value;
      }
    }
  };
  walk(join(dir, 'contracts'));
  return out;
}

const skip = pythonToolsSkipReason();

let workdir: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-interop-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('pipectl export odcs and import odcs', () => {
  test("the init template's contracts round-trip through ODCS to identical contracts", async () => {
    const source = join(workdir, 'source');
    const target = join(workdir, 'target');
    expect((await run(['init', source, '--name', 'signups'])).code).toBe(0);
    expect((await run(['init', target, '--name', 'signups'])).code).toBe(0);
    const odcs = join(workdir, 'odcs');

    const exported = await run(['export', 'odcs', '-p', source, '--out', odcs]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('exported 2 contracts as ODCS v3.2.0');
    expect(readdirSync(odcs).sort()).toEqual(['analytics.daily_signups.odcs.yaml', 'raw.signups.odcs.yaml']);
    if (skip === undefined) {
      // The peer's own command line, as a user runs it on what we wrote.
      for (const file of readdirSync(odcs)) {
        const lint = await promisify(execFile)(pythonBin('datacontract'), ['lint', join(odcs, file)], {
          env: { ...process.env, DO_NOT_TRACK: '1' },
        });
        expect(lint.stdout).toContain('Data contract is valid');
      }
    }

    const refused = await run(['import', 'odcs', odcs, '-p', target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('PIPE7006');
    expect(refused.stderr).toContain('nothing imported');

    const imported = await run(['import', 'odcs', odcs, '-p', target, '--force']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported 2 contracts');
    expect(contractsOf(target)).toEqual(contractsOf(source));
    expect((await run(['validate', target])).code).toBe(0);
  });

  test('export odcs prints one document to stdout, and refuses a dataset without a contract', async () => {
    const dir = join(workdir, 'stdout');
    await run(['init', dir]);
    const one = await run(['export', 'odcs', 'raw.signups', '-p', dir]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^apiVersion: v3\.2\.0\nkind: DataContract\nid: raw\.signups\n/);
    const missing = await run(['export', 'odcs', 'raw.signup', '-p', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PIPE7007');
  });

  test('import odcs writes contracts that validate, and lists what it did not carry', async () => {
    const dir = join(workdir, 'checkout');
    await run(['init', dir]);
    const result = await run([
      'import',
      'odcs',
      join(interopFixtures, 'odcs'),
      '-p',
      dir,
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.written.map((w: { file: string }) => w.file).sort()).toEqual([
      'contracts/checkout/customers.contract.yaml',
      'contracts/checkout/line_items.contract.yaml',
      'contracts/checkout/orders.contract.yaml',
    ]);
    expect(report.errors).toBe(0);
    expect(report.warnings).toBeGreaterThan(0);
    expect(report.issues.every((i: { code: string }) => /^PIPE700[23]$/.test(i.code))).toBe(true);
    const validate = await run(['validate', dir]);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
  });

  test('an error in an ODCS file is shown at file:line:col and nothing is written', async () => {
    const dir = join(workdir, 'broken');
    await run(['init', dir]);
    const file = join(dir, 'broken.odcs.yaml');
    writeFileSync(
      file,
      'apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nteam: { name: t }\nschema:\n  - name: orders\n    properties:\n      - name: total\n        physicalType: MONEY\n',
    );
    const result = await run(['import', 'odcs', 'broken.odcs.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error PIPE7003 property "total": physicalType "MONEY" is not a DuckDB type',
    );
    expect(result.stderr).toContain('--> broken.odcs.yaml:10:23  schema[0].properties[0].physicalType');
    expect(existsSync(join(dir, 'contracts', 'imported'))).toBe(false);
  });
});

describe.skipIf(skip !== undefined)(`pipectl import dbt${skip ? ` (skipped: ${skip})` : ''}`, () => {
  test('imports the models of a manifest dbt parse wrote into contracts that validate', async () => {
    const dbt = join(workdir, 'dbt-shop');
    cpSync(join(interopFixtures, 'dbt-shop'), dbt, { recursive: true });
    await promisify(execFile)(pythonBin('dbt'), ['parse', '--profiles-dir', dbt, '--project-dir', dbt], {
      cwd: dbt,
      env: { ...process.env, DO_NOT_TRACK: '1' },
    });
    const dir = join(workdir, 'from-dbt');
    await run(['init', dir]);
    const result = await run([
      'import',
      'dbt',
      join(dbt, 'target', 'manifest.json'),
      '-p',
      dir,
      '--owner',
      'shop-analytics',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imported 3 contracts');
    expect(result.stderr).toContain('warning PIPE7011');
    const contracts = contractsOf(dir);
    expect(Object.keys(contracts).sort()).toEqual([
      'analytics.daily_signups',
      'main_marts.customer_orders',
      'main_staging.stg_customers',
      'main_staging.stg_orders',
      'raw.signups',
    ]);
    expect(contracts['main_marts.customer_orders']).toMatchObject({ owner: 'shop-analytics' });
    expect((await run(['validate', dir])).code).toBe(0);
  });
});
