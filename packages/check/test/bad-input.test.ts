// Every way the input of a check can be wrong, each with a stable code and a message that says
// what to do: no such base, no repository, a project outside it, a contract invalid at the base
// (a warning; the head is still checked in full), invalid at the head, binary and huge files.
import { afterEach, describe, expect, test } from 'vitest';
import { checkRepository } from '../src/index.js';
import { CheckError } from '../src/repository/check-error.js';
import { outline } from './support/outline.js';
import { createTempRepo, type TempRepo, tempDir } from './support/temp-repo.js';

const contract = (name: string, version: string, columns: Record<string, string>) =>
  [
    'apiVersion: pipectl/v1',
    'kind: Contract',
    `name: ${name}`,
    `version: ${version}`,
    'owner: team@example.com',
    'columns:',
    ...Object.entries(columns).flatMap(([column, type]) => [`  - name: ${column}`, `    type: ${type}`]),
    '',
  ].join('\n');

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

function baseRepo(): TempRepo {
  repo = createTempRepo();
  repo.write({
    'contracts/a.contract.yaml': contract('sales.a', '1.0.0', { id: 'bigint', amount: 'integer' }),
    'contracts/b.contract.yaml': contract('sales.b', '1.0.0', { id: 'bigint', note: 'varchar' }),
  });
  repo.commitAll('base');
  return repo;
}

async function rejection(promise: Promise<unknown>): Promise<CheckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CheckError);
  return error as CheckError;
}

describe('a check that cannot start', () => {
  test('a base the clone does not have names the fetch that gets it', async () => {
    const repo = baseRepo();
    repo.git('remote', 'add', 'origin', '/nonexistent/remote.git');
    const error = await rejection(
      checkRepository({ repoDir: repo.dir, base: 'origin/main', git: repo.runner }),
    );
    expect({ code: error.code, message: error.message, hint: error.hint }).toEqual({
      code: 'PIPE4001',
      message: 'the base revision "origin/main" does not exist in this clone',
      hint: 'fetch it first: `git fetch origin main`; in GitHub Actions, check out with `fetch-depth: 0` so the base branch and its history are there',
    });
  });

  test('a relative revision beyond the history asks for the history', async () => {
    const repo = baseRepo();
    const error = await rejection(checkRepository({ repoDir: repo.dir, base: 'HEAD~3', git: repo.runner }));
    expect(error.code).toBe('PIPE4001');
    expect(error.hint).toBe(
      'in GitHub Actions, check out with `fetch-depth: 0` so the base branch and its history are there',
    );
  });

  test('a directory outside any repository is not a repository', async () => {
    const outside = tempDir();
    try {
      const error = await rejection(checkRepository({ repoDir: outside.dir, base: 'main' }));
      expect(error.code).toBe('PIPE4002');
      expect(error.message).toBe(`"${outside.dir}" is not inside a git repository`);
    } finally {
      outside.remove();
    }
  });

  test('a project outside the repository is refused', async () => {
    const repo = baseRepo();
    const error = await rejection(
      checkRepository({ repoDir: repo.dir, projectDir: '..', base: 'HEAD', git: repo.runner }),
    );
    expect(error.code).toBe('PIPE4004');
  });
});

describe('bad files are reported, and the rest is still checked', () => {
  test('a contract invalid at the base is a warning, and the head is still checked in full', async () => {
    repo = createTempRepo();
    repo.write({
      'contracts/a.contract.yaml': contract('sales.a', '1.0.0', { id: 'bigint' }).replace(
        'type: bigint',
        'tpye: bigint',
      ),
      'contracts/b.contract.yaml': contract('sales.b', '1.0.0', { id: 'bigint', note: 'varchar' }),
    });
    repo.commitAll('base with a broken contract');
    repo.write({
      'contracts/a.contract.yaml': contract('sales.a', '1.1.0', { id: 'bigint', amount: 'integer' }),
      'contracts/b.contract.yaml': contract('sales.b', '1.0.1', { id: 'bigint' }),
      'contracts/c.contract.yaml': contract('sales.c', '1.0.0', { id: 'bigint', amount: 'intger' }),
    });
    const report = await checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
    expect(
      report.issues.map(
        (issue) =>
          `${issue.severity} ${issue.code} ${issue.file}:${issue.span?.line ?? '-'} ${issue.message}`,
      ),
    ).toMatchInlineSnapshot(`
        [
          "error PIPE1009 contracts/c.contract.yaml:10 column "amount" has an invalid type "intger": unknown type "intger"",
          "warning PIPE4003 contracts/a.contract.yaml:- "contracts/a.contract.yaml" is invalid at the base (HEAD), so its changes cannot be compared: PIPE1006 at contracts/a.contract.yaml:7:5 missing required field "type" in columns[0] (and 1 more)",
        ]
      `);
    expect(outline(report)).toMatchInlineSnapshot(`
      [
        "contracts/b.contract.yaml: sales.b changed, VERSION_BUMP_MISSING, FAILS",
        "  breaking FIELD_REMOVED columns.note @6 -> [] owners []",
      ]
    `);
    expect(report.summary).toMatchObject({ headErrors: 1, warnings: 1, unapprovedBreaking: 1, failed: true });
  });

  test('a contract invalid at the head is an error with its place, not a removal', async () => {
    const repo = baseRepo();
    repo.write({
      'contracts/a.contract.yaml': contract('sales.a', '1.0.0', { id: 'bigint', amount: 'integr' }),
    });
    const report = await checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
    expect(report.issues.map((issue) => [issue.code, issue.file, issue.span?.line, issue.span?.col])).toEqual(
      [['PIPE1009', 'contracts/a.contract.yaml', 10, 11]],
    );
    expect(report.contracts).toEqual([]);
    expect(report.summary).toMatchObject({ headErrors: 1, failed: false });
  });

  test('a binary contract file is skipped with a warning', async () => {
    const repo = baseRepo();
    repo.write({
      'contracts/c.contract.yaml': Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x00, 0x01, 0x02]),
      'contracts/b.contract.yaml': contract('sales.b', '1.1.0', {
        id: 'bigint',
        note: 'varchar',
        extra: 'varchar',
      }),
    });
    const report = await checkRepository({ repoDir: repo.dir, base: 'HEAD', git: repo.runner });
    expect(report.issues.map((issue) => `${issue.severity} ${issue.code} ${issue.message}`)).toEqual([
      'warning PIPE4005 "contracts/c.contract.yaml" in the working tree is skipped: it is binary (it holds NUL bytes), not YAML; its contract is not compared',
    ]);
    expect(outline(report)).toEqual([
      'contracts/b.contract.yaml: sales.b changed, version ok',
      '  compatible FIELD_ADDED_OPTIONAL columns.extra @11',
    ]);
  });

  test('a file over the size limit is skipped on either side, and its contract is not compared', async () => {
    const repo = baseRepo();
    const big = `${contract('sales.a', '1.0.0', { id: 'bigint', amount: 'integer' })}# ${'x'.repeat(600)}\n`;
    repo.write({ 'contracts/a.contract.yaml': big });
    repo.commitAll('a grows');
    repo.write({ 'contracts/a.contract.yaml': contract('sales.a', '2.0.0', { id: 'bigint' }) });
    const report = await checkRepository({
      repoDir: repo.dir,
      base: 'HEAD',
      git: repo.runner,
      maxFileBytes: 512,
    });
    expect(report.issues.map((issue) => `${issue.code} ${issue.message}`)).toEqual([
      'PIPE4005 "contracts/a.contract.yaml" at the base (HEAD) is skipped: it is 768 bytes, over the 512 bytes limit; its contract is not compared',
    ]);
    expect(report.contracts).toEqual([]);
  });
});
