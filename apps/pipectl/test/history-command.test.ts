// `pipectl history <dataset>`: the registry's publications of a dataset, numbered oldest first, on
// the embedded DuckDB file and on a local DuckLake (where each version is a snapshot that time
// travel still reads). Publications are made by the engine itself, as a run's steps make them.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicationHistory, recordPublication, relationAtVersion } from '@pipectl/engine';
import { openProject } from '@pipectl/project';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';
import { publishProject } from './support/publish-project.js';

async function run(args: string[]) {
  const term = bufferTerminal();
  const code = await main(args, term, workdir);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

let workdir: string;
let project: string;

/** Runs the project's pipeline on `target` once, as run `runId`, appending `extra` rows first. */
async function publish(target: string, runId: string, extra: string): Promise<void> {
  if (extra) appendFileSync(join(project, 'data/signups.csv'), extra);
  await publishProject(project, target, runId);
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-history-'));
  project = join(workdir, 'demo');
  expect((await run(['init', project])).code).toBe(0);
  appendFileSync(
    join(project, 'pipectl.yaml'),
    [
      'targets:',
      '  dev:',
      '    warehouse: { kind: duckdb, path: .pipectl/warehouse.duckdb }',
      '  lake:',
      '    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }',
      '',
    ].join('\n'),
  );
  await publish('dev', 'run-1', '');
  await publish('lake', 'run-1', '');
  await publish('dev', 'run-2', '9001,late@example.com,team,2026-01-05T10:00:00Z\n');
  await publish('lake', 'run-2', '');
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('pipectl history', () => {
  test('lists every publication of a dataset, oldest first, numbered from 1', async () => {
    const { code, stdout, stderr } = await run([
      'history',
      'analytics.daily_signups',
      '-p',
      project,
      '--target',
      'dev',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'analytics.daily_signups  2 published versions in demo/.pipectl/warehouse.duckdb',
    );
    expect(stdout).toMatch(/^ {2}#1 +1\.0\.0 .* run-1$/m);
    expect(stdout).toMatch(/^ {2}#2 +1\.0\.0 .* run-2$/m);
  });

  test('--format json and --last give the newest versions with their numbers', async () => {
    const { code, stdout } = await run([
      'history',
      'analytics.daily_signups',
      '-p',
      project,
      '--target',
      'dev',
      '--last',
      '1',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const history = JSON.parse(stdout);
    expect(history.versions).toHaveLength(1);
    expect(history.versions[0]).toMatchObject({ version: 2, runId: 'run-2', contractVersion: '1.0.0' });
  });

  test('on a lakehouse each version is a snapshot, and time travel reads the old data', async () => {
    const { code, stdout } = await run([
      'history',
      'analytics.daily_signups',
      '-p',
      project,
      '--target',
      'lake',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const { versions } = JSON.parse(stdout) as {
      versions: { version: number; snapshotId?: number; rowsWritten: number }[];
    };
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const [first, second] = versions;
    expect(first?.snapshotId).toBeTypeOf('number');
    expect(second?.snapshotId).toBeGreaterThan(first?.snapshotId ?? Number.POSITIVE_INFINITY);
    // The lake published run-2 after the extra signup was appended: version 1 counts one fewer.
    const warehouse = await (await openProject(project, { target: 'lake' })).openWarehouse({ readable: [] });
    try {
      const count = async (snapshot: number) => {
        const relation = relationAtVersion(warehouse, 'analytics.daily_signups', snapshot);
        const rows = await warehouse.all<{ n: bigint }>(`SELECT sum(signups) AS n FROM ${relation}`);
        return Number(rows[0]?.n);
      };
      expect((await count(second?.snapshotId ?? 0)) - (await count(first?.snapshotId ?? 0))).toBe(1);
    } finally {
      warehouse.close();
    }
  });

  test('a signed approval shows who decided, with the key that signed', async () => {
    // A registry row as a run with signed approvals records it (the runtime's tests make real ones).
    const warehouse = await (await openProject(project, { target: 'dev' })).openWarehouse({ readable: [] });
    try {
      const [last] = await publicationHistory(warehouse, 'analytics.daily_signups', 1);
      if (!last) throw new Error('nothing published');
      const { publishedAt: _at, snapshotId: _snapshot, ...version } = last;
      await recordPublication(warehouse, {
        ...version,
        runId: 'run-3',
        approval: {
          by: 'alice',
          decision: 'approved',
          comment: 'ok',
          signature: {
            fingerprint: 'SHA256:abc',
            signedAt: '2026-12-03T10:00:00Z',
            signature: 'sig',
            message: 'm',
          },
        },
      });
    } finally {
      warehouse.close();
    }
    const { code, stdout } = await run([
      'history',
      'analytics.daily_signups',
      '-p',
      project,
      '--target',
      'dev',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}#3 .* approved by alice \(signed SHA256:abc\) "ok" .* run-3$/m);
  });

  test('a source dataset has no publications of its own: the history says so', async () => {
    const { code, stdout } = await run(['history', 'raw.signups', '-p', project, '--target', 'dev']);
    expect(code).toBe(0);
    expect(stdout).toContain('raw.signups  0 published versions');
  });

  test('an unknown dataset is a usage error with the closest name', async () => {
    const { code, stderr } = await run(['history', 'raw.signup', '-p', project, '--target', 'dev']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown dataset "raw.signup"');
    expect(stderr).toContain('raw.signups');
  });
});
