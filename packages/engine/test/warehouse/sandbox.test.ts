// The warehouse's sandbox at run time, with validation bypassed: project SQL handed straight to
// the engine cannot read the host, write files, load extensions or unlock the configuration;
// what the project declares (its data folder, its own tables, temp tables) keeps working.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contract, Source } from '@pipectl/spec';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openWarehouse, runPipeline, type Warehouse } from '../../src/index.js';
import { checkReadOnlySelect } from '../../src/quality/read-only-sql.js';
import type { PipelineToRun } from '../../src/steps/run-pipeline.js';
import { findExtensionDirectory } from '../../src/warehouse/extension-directory.js';
import { openLakehouse } from '../../src/warehouse/lakehouse.js';
import { fixtureContract } from '../helpers/temp-warehouse.js';

let project: string;
let warehouse: Warehouse;

/** The two kinds of warehouse, each reading the project's data folder and nothing else of it. */
const KINDS = [
  {
    name: 'duckdb file',
    open: (dir: string) =>
      openWarehouse(join(dir, '.pipectl', 'warehouse.duckdb'), { readable: [join(dir, 'data')] }),
    stored: (dir: string) => existsSync(join(dir, '.pipectl', 'warehouse.duckdb')),
  },
  {
    // The catalog file sits outside every readable folder: attached before the lock, then unreachable.
    name: 'ducklake',
    open: (dir: string) =>
      openLakehouse({
        catalog: join(dir, 'catalog', 'lake.ducklake'),
        dataPath: join(dir, '.pipectl', 'lake'),
        readable: [join(dir, 'data')],
      }),
    stored: (dir: string) => readdirSync(join(dir, '.pipectl', 'lake'), { recursive: true }).length > 0,
  },
] as const;

describe.each(KINDS)('on a $name', (kind) => {
  beforeEach(async () => {
    project = mkdtempSync(join(tmpdir(), 'pipectl-sandbox-'));
    mkdirSync(join(project, 'data'));
    mkdirSync(join(project, '.pipectl'));
    writeFileSync(join(project, 'data', 'lines.csv'), 'order_id,line_number,quantity\n1,1,2\n2,1,3\n');
    writeFileSync(join(project, 'secret.txt'), 'not for SQL\n');
    warehouse = await kind.open(project);
  });
  afterEach(() => {
    warehouse.close();
    rmSync(project, { recursive: true, force: true });
  });

  const refused = test.each([
    ['read_text', `select content from read_text(['/etc/passwd'])`, 'Permission Error'],
    ['read_csv', `select * from read_csv('/etc/passwd')`, 'Permission Error'],
    ['glob', `select * from glob('/root/*')`, 'Permission Error'],
    ['read_blob', `select content from read_blob('/etc/hostname')`, 'Permission Error'],
    ['a replacement scan', `select * from '/etc/passwd'`, 'Table with name /etc/passwd does not exist'],
    ['ATTACH', `ATTACH '/tmp/pipectl-sandbox-elsewhere.duckdb' AS other`, 'Permission Error'],
    ['COPY TO', `COPY (select 1) TO '/tmp/pipectl-sandbox-out.csv'`, 'Permission Error'],
    ['INSTALL', 'INSTALL httpfs', 'Permission Error'],
    ['LOAD', 'LOAD httpfs', 'Loading external extensions is disabled'],
    ['SET enable_external_access', 'SET enable_external_access = true', 'the configuration has been locked'],
    ['SET allowed_directories', `SET allowed_directories = ['/']`, 'the configuration has been locked'],
    ['RESET', 'RESET enable_external_access', 'the configuration has been locked'],
  ]);

  describe('SQL handed to the warehouse', () => {
    refused('%s is refused', async (_what, sql, message) => {
      await expect(warehouse.run(sql)).rejects.toThrow(message);
    });

    test('a file of the project outside its declared data folders is refused', async () => {
      await expect(
        warehouse.all(`select * from read_text('${join(project, 'secret.txt')}')`),
      ).rejects.toThrow('Permission Error');
      await expect(
        warehouse.all(`select * from read_csv('${join(project, 'data', '..', 'secret.txt')}')`),
      ).rejects.toThrow('Permission Error');
    });

    test('the declared data folder, tables, temp tables and the WAL keep working', async () => {
      const rows = await warehouse.json(
        `select count(*)::int as n from read_csv('${join(project, 'data', '*.csv')}')`,
      );
      expect(rows).toEqual([{ n: 2 }]);
      await warehouse.run('create schema s; create table s.t as select * from range(5) r(x)');
      await warehouse.run('create temp table scratch as select x * 2 as y from s.t');
      await warehouse.transaction(async (tx) => tx.run('insert into s.t values (42)'));
      expect(await warehouse.json('select count(*)::int as n from s.t')).toEqual([{ n: 6 }]);
      await warehouse.run('CHECKPOINT');
      expect(kind.stored(project)).toBe(true);
    });

    test('the engine refuses a host-reading step and sql check even when they pass as SELECTs', async () => {
      expect(await checkReadOnlySelect(warehouse, `select * from read_text('/etc/passwd')`)).toMatchObject({
        ok: false,
      });
    });
  });

  describe('runPipeline with validation bypassed', () => {
    const lines = fixtureContract('order-lines');
    const raw: Contract = {
      ...lines,
      name: 'raw.order_lines',
      columns: lines.columns.map((c) => ({ ...c, min: undefined })),
    };
    const contracts = new Map<string, Contract>([
      [raw.name, raw],
      [lines.name, lines],
    ]);
    const source = (path: string) =>
      ({ name: 'lines', kind: 'csv', contract: raw.name, path, header: true }) as Source;
    const run = (pipeline: PipelineToRun) =>
      runPipeline(warehouse, { pipeline, contracts, runId: 'run-1', projectDir: project });

    test('a step reading the host fails and publishes nothing', async () => {
      const report = await run({
        name: 'sales',
        sources: [source('data/lines.csv')],
        steps: [
          {
            name: 'lines',
            produces: lines.name,
            materialized: 'table',
            sql: `select 1 as order_id, 1 as line_number, 1 as quantity from read_text(['/etc/passwd'])`,
            gates: [],
          },
        ],
      });
      expect(report.sources[0]?.status).toBe('loaded');
      expect(report.steps[0]?.status).toBe('failed');
      expect(JSON.stringify(report.steps[0])).toContain('Permission Error');
      expect(JSON.stringify(report)).not.toContain('root:x:0:0');
    });

    test.each([
      ['a `..` escape', '../../../../../../etc/passwd', 'leaves the folders this project may read'],
      ['an absolute path elsewhere', '/etc/passwd', 'outside the folders this project may read'],
      ['a /proc glob', '/proc/*/environ', 'system folder /proc'],
      ['/dev', '/dev/zero', 'system folder /dev'],
    ])('a source with %s is refused before anything is read', async (_what, path, reason) => {
      const report = await run({ name: 'sales', sources: [source(path)], steps: [] });
      expect(report.sources[0]).toMatchObject({ status: 'failed', error: { code: 'PIPE5111' } });
      expect(report.sources[0]?.error?.message).toContain(reason);
    });

    test('a source file that is a symbolic link out of the data folder is refused', async () => {
      symlinkSync('/etc/passwd', join(project, 'data', 'passwd.csv'));
      const report = await run({ name: 'sales', sources: [source('data/passwd.csv')], steps: [] });
      expect(report.sources[0]).toMatchObject({ status: 'failed', error: { code: 'PIPE5111' } });
      expect(report.sources[0]?.error?.message).toContain('passwd.csv');
    });
  });
});

describe('a lakehouse', () => {
  test("SQL cannot re-attach its catalog or look around the catalog file's folder", async () => {
    // DuckDB itself allows the attached catalog file (it holds the lake's metadata, which SQL sees
    // through the lake anyway); nothing else beside it.
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-sandbox-'));
    const catalog = join(dir, 'catalog', 'lake.ducklake');
    writeFileSync(join(dir, 'catalog-secret.txt'), 'not for SQL\n');
    const lake = await KINDS[1].open(dir);
    try {
      await expect(lake.run(`ATTACH 'ducklake:${catalog}' AS again`)).rejects.toThrow('Failed to attach');
      await expect(lake.all(`select * from glob('${join(dir, 'catalog', '*')}')`)).rejects.toThrow(
        'Permission Error',
      );
      await expect(lake.all(`select * from read_text('${join(dir, 'catalog-secret.txt')}')`)).rejects.toThrow(
        'Permission Error',
      );
    } finally {
      lake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a catalog that cannot be attached is PIPE5203, with its password hidden', async () => {
    const error = await openLakehouse({
      catalog: 'postgres:host=127.0.0.1 port=1 user=pipectl password=hunter2 dbname=lake connect_timeout=2',
      dataPath: join(tmpdir(), 'pipectl-unreachable-lake'),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PIPE5203' });
    expect(String(error)).toContain('password=***');
    expect(String(error)).not.toContain('hunter2');
  });

  test('a missing extension is PIPE5204, naming the install command', async () => {
    const error = await openLakehouse({
      catalog: join(tmpdir(), 'pipectl-no-ext', 'lake.ducklake'),
      dataPath: join(tmpdir(), 'pipectl-no-ext', 'data'),
      extensionDirectory: join(tmpdir(), 'pipectl-no-extensions-here'),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PIPE5204', retryable: false });
    expect((error as { hint: string }).hint).toContain('install-duckdb-extensions.sh');
  });
});

describe('extensions', () => {
  const directory = findExtensionDirectory();
  const ducklake = join(directory, 'v1.4.4', 'linux_amd64', 'ducklake.duckdb_extension');

  // The set-up installs the extensions (scripts/setup.sh): a missing folder fails, it never skips.
  test('ducklake loads from the tools folder, signature checked, before the lock', async () => {
    if (!existsSync(ducklake)) {
      throw new Error(
        `${ducklake} is missing: run \`bash scripts/install-duckdb-extensions.sh\` (or set PIPECTL_DUCKDB_EXTENSIONS)`,
      );
    }
    const lake = await openWarehouse(':memory:', { load: ['ducklake'], extensionDirectory: directory });
    try {
      // duckdb_extensions() would list the folder, which the lock now refuses: ask the catalog.
      const rows = await lake.json(
        `select count(*)::int > 0 as loaded from duckdb_functions() where function_name = 'ducklake_snapshots'`,
      );
      expect(rows).toEqual([{ loaded: true }]);
      expect(await lake.json(`select current_setting('allow_unsigned_extensions') as unsigned`)).toEqual([
        { unsigned: false },
      ]);
      await expect(lake.run('LOAD postgres_scanner')).rejects.toThrow(
        'Loading external extensions is disabled',
      );
    } finally {
      lake.close();
    }
  });

  test('the folder is PIPECTL_DUCKDB_EXTENSIONS when set, else the repository tools folder', () => {
    expect(findExtensionDirectory({ env: { PIPECTL_DUCKDB_EXTENSIONS: 'ext' }, cwd: '/srv/p' })).toBe(
      '/srv/p/ext',
    );
    const repo = join(import.meta.dirname, '..', '..', '..', '..');
    expect(findExtensionDirectory({ env: {}, cwd: join(repo, 'packages', 'engine') })).toBe(
      join(repo, '.tools', 'duckdb', 'extensions'),
    );
  });

  test('nothing is auto-installed or auto-loaded', async () => {
    const warehouse = await openWarehouse(':memory:');
    expect(
      await warehouse.json(
        `select current_setting('autoinstall_known_extensions') as install, current_setting('autoload_known_extensions') as load, current_setting('allow_community_extensions') as community`,
      ),
    ).toEqual([{ install: false, load: false, community: false }]);
    warehouse.close();
  });
});
