// `pipectl verify`: the contracts' checks against data already published, read-only, end to end
// through the CLI. The `pipectl init` project is published by the engine on the embedded DuckDB
// file and on a local DuckLake; a copy of the file is then damaged by hand (a value the contract
// refuses, a column of another type) as a production table might be. Each run proves it wrote
// nothing: the file's bytes, the registry, the lake's snapshots are unchanged. Then a real
// PostgreSQL table through --table.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { openWarehouse } from '@pipectl/engine';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  postgresBinDir,
  startPostgresServer,
  type TestPostgresServer,
} from '../../../test-support/postgres-server.js';
import { bufferTerminal, main } from '../src/index.js';
import { publishProject } from './support/publish-project.js';

async function run(args: string[]) {
  const term = bufferTerminal();
  const code = await main(args, term, workdir);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

let workdir: string;
let project: string;
const file = (name: string) => join(project, '.pipectl', name);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** What verify must leave as it found: the file's bytes and its registry's rows. */
async function fingerprint(path: string) {
  const bytes = sha(path);
  const warehouse = await openWarehouse(path, { readOnly: true });
  try {
    const registry = await warehouse.all('SELECT count(*)::INTEGER AS n FROM _pipectl.published_versions');
    return { bytes, wal: existsSync(`${path}.wal`), registry };
  } finally {
    warehouse.close();
  }
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-verify-'));
  project = join(workdir, 'demo');
  expect((await run(['init', project])).code).toBe(0);
  appendFileSync(
    join(project, 'pipectl.yaml'),
    [
      'targets:',
      '  dev:',
      '    warehouse: { kind: duckdb, path: .pipectl/warehouse.duckdb }',
      '  broken:',
      '    warehouse: { kind: duckdb, path: .pipectl/broken.duckdb }',
      '  lake:',
      '    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }',
      '  nowhere:',
      '    warehouse: { kind: duckdb, path: .pipectl/never.duckdb }',
      '',
    ].join('\n'),
  );
  await publishProject(project, 'dev', 'run-1');
  await publishProject(project, 'lake', 'run-1');
  // A manual "fix" gone wrong on a copy: a plan the contract refuses, a count stored as text.
  copyFileSync(file('warehouse.duckdb'), file('broken.duckdb'));
  const broken = await openWarehouse(file('broken.duckdb'));
  await broken.run(`UPDATE raw.signups SET plan = 'gold' WHERE signup_id = 1;
    ALTER TABLE analytics.daily_signups ALTER signups TYPE VARCHAR;
    CHECKPOINT;`);
  broken.close();
}, 120_000);
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('pipectl verify on a target', () => {
  test('every contract passes on the published warehouse; nothing is written', async () => {
    const before = await fingerprint(file('warehouse.duckdb'));
    const { code, stdout, stderr } = await run(['verify', '-p', project, '--target', 'dev']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const shown = stdout.replace(/\d+ ms/g, 'N ms');
    expect(shown).toContain('pipectl verify  target dev: demo/.pipectl/warehouse.duckdb (read-only)');
    expect(shown).toContain('analytics.daily_signups  ("analytics"."daily_signups", 5 rows)  N ms');
    expect(shown).toContain('✓ schema');
    expect(shown).toContain('✓ accepted_values_plan');
    expect(shown).toContain('✓ row_count'); // the step's gate, checked on the published table
    expect(shown).toMatch(/passed: 2 datasets; \d+ checks: \d+ passed, 0 failed/);
    expect(await fingerprint(file('warehouse.duckdb'))).toEqual(before);
  });

  test('a failing check and a drifted column fail the run (exit 1), drift first', async () => {
    const before = await fingerprint(file('broken.duckdb'));
    const { code, stdout } = await run(['verify', '-p', project, '--target', 'broken']);
    expect(code).toBe(1);
    const daily = stdout.slice(stdout.indexOf('analytics.daily_signups'));
    expect(daily.split('\n').slice(1, 4).join('\n')).toMatchInlineSnapshot(`
      "      ✗ schema_type_signups      fail VARCHAR; expected bigint (column "signups" is bigint)
                column "signups" is VARCHAR in "analytics"."daily_signups", bigint in contract analytics.daily_signups
                = help: cast the column back to bigint (or rebuild the table from its step), or change the contract's type"
    `);
    expect(stdout).toContain('✗ accepted_values_plan');
    expect(stdout).toContain('"plan":"gold"');
    expect(stdout).toMatch(/failed: 2 datasets; \d+ checks: \d+ passed, [1-9]\d* failed/);
    expect(await fingerprint(file('broken.duckdb'))).toEqual(before);
  });

  test('--select picks contracts by the graph; names can be given too', async () => {
    const selected = await run(['verify', '-p', project, '-t', 'broken', '--select', 'analytics.*']);
    expect(selected.code).toBe(1);
    expect(selected.stdout).not.toContain('raw.signups  (');
    const named = await run(['verify', 'raw.signups', '-p', project, '-t', 'dev']);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('passed: 1 dataset;');
  });

  test('--format json and junit carry the same checks', async () => {
    const json = await run(['verify', '-p', project, '-t', 'broken', '--format', 'json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      passed: boolean;
      datasets: { dataset: string; checks: { id: string; status: string }[] }[];
    };
    expect(parsed.passed).toBe(false);
    const daily = parsed.datasets.find((d) => d.dataset === 'analytics.daily_signups');
    expect(daily?.checks[0]).toMatchObject({ id: 'schema_type_signups', status: 'fail' });
    const junit = await run(['verify', '-p', project, '-t', 'broken', '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="pipectl verify"/,
    );
    expect(junit.stdout).toContain(
      '<testcase name="schema_type_signups" classname="analytics.daily_signups">',
    );
    expect(junit.stdout).toContain('<failure message="column &quot;signups&quot; is VARCHAR');
  });

  test('on a local DuckLake: no snapshot is made and the catalog is unchanged', async () => {
    const catalog = file('lake.ducklake');
    const before = sha(catalog);
    const { code, stdout } = await run(['verify', '-p', project, '--target', 'lake', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ passed: true, summary: { datasets: 2, failed: 0 } });
    expect(sha(catalog)).toBe(before);
  });

  test('a warehouse held by a worker is a user error with the fix (exit 2), not exit 70', async () => {
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const db = await DuckDBInstance.create(${JSON.stringify(file('warehouse.duckdb'))});
         await db.connect();
         console.log('holding');
         setInterval(() => {}, 1000);`,
      ],
      {
        cwd: join(import.meta.dirname, '..', '..', '..', 'packages', 'engine'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      for await (const line of createInterface({ input: holder.stdout })) if (line === 'holding') break;
      const { code, stderr } = await run(['verify', '-p', project, '--target', 'dev']);
      expect(code).toBe(2);
      expect(stderr).toContain('error: PIPE5215');
      expect(stderr).toContain(`(PID ${holder.pid})`);
      expect(stderr).toContain('help: stop that process');
    } finally {
      holder.kill();
    }
  });

  test('usage errors exit 2', async () => {
    const nowhere = await run(['verify', '-p', project, '--target', 'nowhere']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('PIPE5216');
    expect(existsSync(file('never.duckdb'))).toBe(false);
    const unknown = await run(['verify', 'raw.signup', '-p', project]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown contract "raw.signup" (did you mean "raw.signups"?)');
    const two = await run(['verify', '-p', project, '--table', file('warehouse.duckdb')]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('PIPE6040 --table checks one table against one contract, and 2 were named');
    const both = await run(['verify', 'raw.signups', '-p', project, '-t', 'dev', '--table', 'x.duckdb']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('PIPE6040');
  });
});

describe('pipectl verify --table', () => {
  test('a DuckDB file named on the command line, attached read-only', async () => {
    const before = sha(file('broken.duckdb'));
    const good = await run([
      'verify',
      'analytics.daily_signups',
      '-p',
      project,
      '--table',
      file('warehouse.duckdb'),
    ]);
    expect(good.code).toBe(0);
    const bad = await run([
      'verify',
      'raw.signups',
      '-p',
      project,
      '--table',
      `${file('broken.duckdb')}#raw.signups`,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('pipectl verify  table demo/.pipectl/broken.duckdb#raw.signups (read-only)');
    expect(sha(file('broken.duckdb'))).toBe(before);
  });

  describe('on a real PostgreSQL table', () => {
    let pg: TestPostgresServer;
    const psql = (sql: string) =>
      promisify(execFile)(join(postgresBinDir(), 'psql'), [
        pg.url,
        '-v',
        'ON_ERROR_STOP=1',
        '-qAt',
        '-c',
        sql,
      ]);
    beforeAll(async () => {
      pg = await startPostgresServer();
      await psql(`CREATE TABLE public.signups (signup_id bigint PRIMARY KEY, email text NOT NULL,
                    plan text NOT NULL, signed_up_at timestamp NOT NULL);
                  INSERT INTO public.signups VALUES
                    (1, 'ada@example.com', 'free', '2026-11-01 09:12'),
                    (2, 'not-an-email', 'team', '2026-11-01 10:40');`);
    }, 120_000);
    afterAll(async () => pg?.stop());

    test('the contract checks run on it in a read-only transaction; a failing row fails (exit 1)', async () => {
      const url = `postgres://${pg.user}:${pg.password}@${pg.host}:${pg.port}/${pg.database}#public.signups`;
      const { code, stdout, stderr } = await run(['verify', 'raw.signups', '-p', project, '--table', url]);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(stdout).toContain(
        `table postgres://${pg.user}:***@${pg.host}:${pg.port}/${pg.database}#public.signups`,
      );
      expect(stdout).not.toContain(pg.password);
      expect(stdout).toContain('✓ schema ');
      expect(stdout).toContain('✗ pattern_email');
      expect(stdout).toContain('"email":"not-an-email"');
      const { stdout: rows } = await psql('SELECT count(*) FROM public.signups');
      expect(rows.trim()).toBe('2');
    });
  });
});
