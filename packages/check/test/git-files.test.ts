// Reading a project at a git revision without a checkout: what the ProjectFiles answer, that the
// working tree does not leak in, and that a whole project costs one ls-tree and one cat-file.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '@pipectl/compiler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseBatchOutput } from '../src/git/cat-file-batch.js';
import { parseNameStatus } from '../src/git/changed-files.js';
import { createGitFiles } from '../src/git/git-files.js';
import type { Git } from '../src/git/git-runner.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

let repo: TempRepo;
beforeAll(() => {
  repo = createTempRepo();
  repo.copy('scenario/main');
  repo.write({
    'shop/.hidden/secret.contract.yaml': 'not listed',
    'shop/pipelines/sql/extra.sql': 'select 1',
  });
  symlinkSync('../raw/orders.contract.yaml', join(repo.dir, 'shop/contracts/marts/alias.yaml'));
  repo.commitAll('base');
  // Working-tree edits that a read at HEAD must not see.
  repo.write({ 'shop/contracts/raw/orders.contract.yaml': 'edited in the working tree' });
});
afterAll(() => repo.remove());

/** A Git that counts the commands it runs, by their first argument. */
function countingGit(inner: Git): Git & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  return {
    calls,
    run(args, options) {
      const name = args[0] as string;
      calls[name] = (calls[name] ?? 0) + 1;
      return inner.run(args, options);
    },
  };
}

describe('a project at a revision', () => {
  test('lists, tells kinds, reads and sizes files as they were committed', async () => {
    const files = await createGitFiles({
      git: repo.runner,
      repoRoot: repo.dir,
      commit: 'HEAD',
      scope: 'shop',
    });
    const shop = join(repo.dir, 'shop');
    const listed = (await files.list(join(shop, 'contracts')))
      .map((path) => path.slice(shop.length + 1))
      .sort();
    expect(listed).toEqual([
      'contracts/marts/alias.yaml',
      'contracts/marts/order_events.contract.yaml',
      'contracts/marts/order_totals.contract.yaml',
      'contracts/raw/customers.contract.yaml',
      'contracts/raw/legacy_events.contract.yaml',
      'contracts/raw/orders.contract.yaml',
      'contracts/raw/payments.contract.yaml',
      'contracts/raw/refunds.contract.yaml',
      'contracts/raw/scratch.contract.yaml',
      'contracts/raw/shipments.contract.yaml',
    ]);
    expect(await files.kind(join(shop, 'contracts'))).toBe('directory');
    expect(await files.kind(join(shop, 'pipectl.yaml'))).toBe('file');
    expect(await files.kind(join(shop, 'nothing.yaml'))).toBeUndefined();
    const orders = await files.read(join(shop, 'contracts/raw/orders.contract.yaml'));
    expect(orders).toContain('name: raw.orders');
    expect(await files.read(join(shop, 'contracts/marts/alias.yaml'))).toBe(orders);
    expect(await files.size(join(shop, 'pipelines/sql/extra.sql'))).toBe(8);
    await expect(files.read(join(shop, 'nothing.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('paths outside the scope are looked up when asked for', async () => {
    repo.write({ 'shared/notes.sql': 'select 2' });
    const files = await createGitFiles({
      git: repo.runner,
      repoRoot: repo.dir,
      commit: 'HEAD',
      scope: 'shop',
    });
    expect(await files.kind(join(repo.dir, 'shop'))).toBe('directory');
    expect(await files.kind(join(repo.dir, 'shared/notes.sql'))).toBeUndefined(); // not committed
    expect(await files.kind(join(repo.dir, '..'))).toBeUndefined();
  });

  test('with the project files prefetched, loads a whole project with one ls-tree and one cat-file', async () => {
    const git = countingGit(repo.runner);
    const prefetch = (path: string) => /\.(yaml|sql)$/.test(path);
    const files = await createGitFiles({ git, repoRoot: repo.dir, commit: 'HEAD', scope: 'shop', prefetch });
    const loaded = await loadProject(join(repo.dir, 'shop'), { files });
    expect(loaded.issues).toEqual([]);
    expect(loaded.contracts).toHaveLength(9);
    expect(git.calls).toEqual({ 'ls-tree': 1, 'cat-file': 1 });
  });
});

describe('git output parsers', () => {
  test.each([
    ['M\0a.yaml\0', [{ status: 'modified', path: 'a.yaml' }]],
    [
      'A\0new file.yaml\0D\0old.yaml\0',
      [
        { status: 'added', path: 'new file.yaml' },
        { status: 'deleted', path: 'old.yaml' },
      ],
    ],
    ['R087\0raw/a.yaml\0sales/a.yaml\0', [{ status: 'renamed', from: 'raw/a.yaml', path: 'sales/a.yaml' }]],
    ['', []],
  ])('name-status %j', (output, expected) => {
    expect(parseNameStatus(output)).toEqual(expected);
  });

  test('cat-file --batch: contents by size, including newlines, and missing objects', () => {
    const output = Buffer.from('abc blob 4\na\nb\n\nHEAD:x missing\ndef blob 0\n\n');
    const objects = parseBatchOutput(output, 3);
    expect(objects.map((o) => (o.found ? o.content.toString() : 'missing'))).toEqual([
      'a\nb\n',
      'missing',
      '',
    ]);
  });
});
