// Known operational mistakes end as usage errors (exit 2) that say what to do, never as an internal
// error (exit 70): an impossible --date, a contracts folder outside the project, a file that is
// not UTF-8 text. The libraries' own tests cover the details; this checks the CLI's exit code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-user-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], cwd = dir) {
  const term = bufferTerminal();
  const code = await main(args, term, cwd);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

function project(name: string, files: Record<string, string | Buffer>): string {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('usage errors, not internal errors', () => {
  test.each(['2030-13-45', '2026-02-30', '2026-1-5', 'yesterday'])(
    'run --date %s is refused with the expected form',
    async (date) => {
      const { code, stderr } = await run(['run', 'shop', '--date', date]);
      expect(code).toBe(2);
      expect(stderr).toContain(`--date must be a calendar date written YYYY-MM-DD, got "${date}"`);
    },
  );

  test.each([
    [
      'a pipeline and --select',
      ['run', 'shop_staging', '--select', 'mart.*'],
      'give either a pipeline or --select/--exclude, not both',
    ],
    ['neither a pipeline nor --select', ['run'], 'name a pipeline to run, or select datasets with --select'],
    ['a selector naming nothing', ['run', '--select', 'mart.nothing_here'], 'mart.nothing_here'],
  ])('run with %s is refused before anything starts', async (_name, args, message) => {
    const { code, stderr } = await run([...args, '-p', repoRoot]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  test('contracts: / in pipectl.yaml is refused at its line, without reading the disk', async () => {
    const root = project('root-contracts', {
      'pipectl.yaml': 'apiVersion: pipectl/v1\nkind: Project\nname: shop\ncontracts: /\n',
    });
    const { code, stderr } = await run(['validate', root]);
    expect(code).toBe(2);
    expect(stderr).toContain('PIPE2012');
    expect(stderr).toContain('pipectl.yaml:4:12');
  });

  test('a contract with invalid UTF-8 is refused at the bad byte', async () => {
    const root = project('latin1', {
      'contracts/orders.contract.yaml': Buffer.concat([
        Buffer.from('apiVersion: pipectl/v1\nkind: Contract\nname: sales.orders\nowner: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
    });
    const { code, stderr } = await run(['validate', root]);
    expect(code).toBe(2);
    expect(stderr).toContain('PIPE1015');
    expect(stderr).toContain('contracts/orders.contract.yaml:4:11');
  });

  describe('--target on the commands that talk to Temporal', () => {
    const targets = [
      'apiVersion: pipectl/v1',
      'kind: Project',
      'name: shop',
      'targets:',
      '  prod:',
      '    warehouse:',
      '      kind: ducklake',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
      '      catalog: "postgres:host=db dbname=lake user=pipectl password=${PIPECTL_TEST_UNSET_PASSWORD}"',
      '      dataPath: /mnt/lake',
      '    temporal:',
      '      tls:',
      '        caFile: certs/missing-ca.pem',
      '',
    ].join('\n');

    test.each([['worker'], ['runs'], ['status', 'pipectl-shop-shop-2026-01-01'], ['deploy']])(
      '%s --target prd names the targets there are, at exit 2',
      async (...command) => {
        const root = project(`targets-${command[0]}`, { 'pipectl.yaml': targets });
        const { code, stderr } = await run([...command, '-p', root, '--target', 'prd']);
        expect(code).toBe(2);
        expect(stderr).toContain('PIPE1031');
        expect(stderr).toContain('unknown target "prd" (did you mean "prod"?)');
      },
    );

    test('a variable the target reads and is not set is shown at its line', async () => {
      const root = project('targets-unset', { 'pipectl.yaml': targets });
      const { code, stderr } = await run(['runs', '-p', root, '--target', 'prod']);
      expect(code).toBe(2);
      expect(stderr).toContain('PIPE2030');
      expect(stderr).toContain('PIPECTL_TEST_UNSET_PASSWORD');
      expect(stderr).toContain('pipectl.yaml:8:16');
    });

    test("an unreadable TLS certificate of the target's Temporal is a usage error", async () => {
      const root = project('targets-tls', { 'pipectl.yaml': targets });
      process.env.PIPECTL_TEST_UNSET_PASSWORD = 'x';
      try {
        const { code, stderr } = await run(['runs', '-p', root, '--target', 'prod']);
        expect(code).toBe(2);
        expect(stderr).toContain('PIPE6011 temporal.tls.caFile: cannot read');
      } finally {
        delete process.env.PIPECTL_TEST_UNSET_PASSWORD;
      }
    });
  });
});
