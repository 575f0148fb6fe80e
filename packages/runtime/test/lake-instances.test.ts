// The worker's attached lakes against a real DuckLake: one instance for the activities that use it,
// each on a connection of its own that commits by itself, with its own temporary storage; the
// sandbox holds on every connection; a lake that fails to open is not kept.
// On a DuckDB-file catalog (one process at a time) the instance is closed as soon as no activity
// uses it, so another DuckDB instance in the process reads what was committed (two instances on
// one file in one process lose commits: restore.test.ts saw stale rows when the worker kept it).
// On a PostgreSQL catalog it is kept while used now and then, closed when idle, and a kept instance
// sees what other instances (other workers) committed since.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSharedTargetLakehouse, openTargetWarehouse, type SharedLakehouse } from '@pipectl/engine';
import type { WarehouseTarget } from '@pipectl/spec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type TestPostgresServer } from '../../../test-support/postgres-server.js';
import { eventually } from '../../../test-support/wait.js';
import { createLakeInstances } from '../src/activities/lake-instances.js';

type LakeTarget = Extract<WarehouseTarget, { kind: 'ducklake' }>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-lakes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fileLake() {
  const dir = tempDir();
  const target: LakeTarget = { kind: 'ducklake', catalog: 'catalog.ducklake', dataPath: 'lake-data' };
  return { dir, target };
}

/** Counts opens and closes of the real shared lakehouse, in order. */
function countingOpen() {
  const counts = { opened: 0, closed: 0 };
  const events: string[] = [];
  const open = async (target: LakeTarget, projectDir: string, readable: readonly string[]) => {
    events.push(`open ${readable.length}`);
    const lake = await openSharedTargetLakehouse(target, projectDir, { readable });
    counts.opened++;
    const counted: SharedLakehouse = {
      connect: () => lake.connect(),
      close: () => {
        counts.closed++;
        events.push(`close ${readable.length}`);
        lake.close();
      },
    };
    return counted;
  };
  return { counts, events, open };
}

/** A promise and its resolver: lets one use hold its connection until another has started. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((done) => {
    open = done;
  });
  return { opened, open };
}

/** Reads with a DuckDB instance of its own, as a test or `pipectl history` in this process would. */
async function readAlone(target: LakeTarget, dir: string, sql: string): Promise<unknown[]> {
  const wh = await openTargetWarehouse({ warehouse: target }, dir);
  try {
    return await wh.json(sql);
  } finally {
    wh.close();
  }
}

describe('createLakeInstances on a DuckDB-file catalog', () => {
  it('shares one instance among the uses at the same time, each committing by itself, and releases the file after them', async () => {
    const { dir, target } = fileLake();
    const { counts, open } = countingOpen();
    const lakes = createLakeInstances({ open });
    cleanups.push(() => lakes.close());
    await lakes.use(target, dir, [], (wh) => wh.run('create schema s; create table s.t (x integer)'));
    expect(counts).toEqual({ opened: 1, closed: 1 });

    // Two uses at once, each in a transaction on its own connection: both commit, on one instance.
    const second = gate();
    await Promise.all([
      lakes.use(target, dir, [], async (wh) => {
        await second.opened;
        await wh.transaction((tx) => tx.run('insert into s.t values (1)'));
      }),
      lakes.use(target, dir, [], async (wh) => {
        second.open();
        await wh.transaction((tx) => tx.run('insert into s.t values (2)'));
      }),
    ]);
    expect(counts).toEqual({ opened: 2, closed: 2 });

    // Another instance in this process reads between uses, and again after the next commit.
    expect(await readAlone(target, dir, 'select x from s.t order by x')).toEqual([{ x: 1 }, { x: 2 }]);
    await lakes.use(target, dir, [], (wh) =>
      wh.transaction((tx) =>
        tx.run('create or replace table s.t as select range::integer as x from range(5)'),
      ),
    );
    expect(await readAlone(target, dir, 'select count(*)::integer as n from s.t')).toEqual([{ n: 5 }]);
  });

  it('opens the file for another sandbox only once the instance that has it is closed', async () => {
    const { dir, target } = fileLake();
    mkdirSync(join(dir, 'data'));
    const { events, open } = countingOpen();
    const lakes = createLakeInstances({ open });
    cleanups.push(() => lakes.close());
    const first = gate();
    const firstStarted = gate();

    const holding = lakes.use(target, dir, [], async (wh) => {
      firstStarted.open();
      await first.opened;
      return wh.all('select 1');
    });
    await firstStarted.opened;
    const other = lakes.use(target, dir, [join(dir, 'data')], (wh) => wh.json('select 2 as two'));
    first.open();

    await holding;
    expect(await other).toEqual([{ two: 2 }]);
    expect(events).toEqual(['open 0', 'close 0', 'open 1', 'close 1']);
  });

  it('keeps every connection in the sandbox', async () => {
    const { dir, target } = fileLake();
    const lakes = createLakeInstances();
    cleanups.push(() => lakes.close());
    const holding = gate();
    // One use holds the instance open, so the others get connections on the same, locked instance.
    const held = lakes.use(target, dir, [], () => holding.opened);

    const read = () => lakes.use(target, dir, [], (wh) => wh.all("select * from read_csv('/etc/passwd')"));
    const unlock = () => lakes.use(target, dir, [], (wh) => wh.run('SET enable_external_access = true'));

    await expect(read()).rejects.toThrow(/file system operations are disabled|Permission Error/);
    await expect(unlock()).rejects.toThrow(/configuration has been locked/);
    holding.open();
    await held;
  });

  it('gives each use temporary storage of its own, gone with its connection', async () => {
    const { dir, target } = fileLake();
    const lakes = createLakeInstances();
    cleanups.push(() => lakes.close());
    const created = gate();
    const holding = gate();

    const first = lakes.use(target, dir, [], async (wh) => {
      await wh.run('create temp table staged as select 1 as x');
      created.open();
      await holding.opened;
      return wh.json('select x from temp.main.staged');
    });
    await created.opened;
    const other = lakes.use(target, dir, [], (wh) => wh.all('select x from temp.main.staged'));

    await expect(other).rejects.toThrow(/staged/);
    holding.open();
    expect(await first).toEqual([{ x: 1 }]);
  });

  it('does not keep a lake that failed to open', async () => {
    const { dir, target } = fileLake();
    let attempts = 0;
    const lakes = createLakeInstances({
      open: async (t, projectDir, readable) => {
        attempts++;
        if (attempts === 1) throw new Error('could not connect to server');
        return openSharedTargetLakehouse(t, projectDir, { readable });
      },
    });
    cleanups.push(() => lakes.close());

    await expect(lakes.use(target, dir, [], (wh) => wh.all('select 1'))).rejects.toThrow(/could not connect/);
    const rows = await lakes.use(target, dir, [], (wh) => wh.json('select 1 as one'));

    expect(rows).toEqual([{ one: 1 }]);
    expect(attempts).toBe(2);
  });
});

describe('createLakeInstances on a PostgreSQL catalog', () => {
  let postgres: TestPostgresServer;
  let databases = 0;

  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  async function postgresLake() {
    const dir = tempDir();
    const database = `lake_instances_${++databases}`;
    await postgres.createDatabase(database);
    const target: LakeTarget = {
      kind: 'ducklake',
      catalog: postgres.catalogOf(database),
      dataPath: 'lake-data',
    };
    return { dir, target };
  }

  it('keeps the lake attached between uses, closes it when idle, and attaches it again on the next use', async () => {
    const { dir, target } = await postgresLake();
    const { counts, open } = countingOpen();
    const lakes = createLakeInstances({ open, idleCloseMs: 200 });
    cleanups.push(() => lakes.close());
    await lakes.use(target, dir, [], (wh) => wh.run('create schema s; create table s.t as select 7 as x'));
    const first = await lakes.use(target, dir, [], (wh) => wh.json('select x from s.t'));
    expect(first).toEqual([{ x: 7 }]);
    expect(counts.opened).toBe(1);

    await eventually(() => (counts.closed === 1 ? true : undefined), 'the idle lake to be closed');
    const again = await lakes.use(target, dir, [], (wh) => wh.json('select x from s.t'));

    expect(again).toEqual([{ x: 7 }]);
    expect(counts.opened).toBe(2);
  });

  it('sees on a kept instance what another instance committed since, and earlier versions by time travel', async () => {
    const { dir, target } = await postgresLake();
    const { counts, open } = countingOpen();
    const lakes = createLakeInstances({ open });
    cleanups.push(() => lakes.close());
    await lakes.use(target, dir, [], (wh) =>
      wh.run('create schema s; create table s.t as select range::integer as x from range(3)'),
    );
    const [v1] = await lakes.use(target, dir, [], (wh) =>
      wh.json<{ v: number }>('select max(snapshot_id)::integer as v from lake.snapshots()'),
    );

    // Another worker's instance replaces the table (as a publication does).
    const other = await openTargetWarehouse({ warehouse: target }, dir);
    try {
      await other.transaction((tx) =>
        tx.run('create or replace table s.t as select range::integer as x from range(5)'),
      );
    } finally {
      other.close();
    }

    const now = await lakes.use(target, dir, [], (wh) => wh.json('select count(*)::integer as n from s.t'));
    const then = await lakes.use(target, dir, [], (wh) =>
      wh.json(`select count(*)::integer as n from s.t at (version => ${v1?.v})`),
    );
    expect(now).toEqual([{ n: 5 }]);
    expect(then).toEqual([{ n: 3 }]);
    expect(counts.opened).toBe(1);
  });
});
