// Known operational mistakes end as usage errors (exit 2) that say what to do, never as an internal
// error (exit 70): an impossible --date, a contracts folder outside the project, a file that is
// not UTF-8 text. The libraries' own tests cover the details; this checks the CLI's exit code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';

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
});
