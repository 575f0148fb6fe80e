// The worker's attached lakes against a real DuckLake (a local DuckDB-file catalog: what is under
// test is the sharing in one process, which does not depend on the catalog's kind): one instance
// for many activities, each on a connection of its own that commits by itself; the sandbox holds on
// every connection; an idle instance is closed; a lake that fails to open is not kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSharedTargetLakehouse, type SharedLakehouse } from '@pipectl/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/wait.js';
import { createLakeInstances } from '../src/activities/lake-instances.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempLake() {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-lakes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    target: { kind: 'ducklake' as const, catalog: 'catalog.ducklake', dataPath: 'lake-data' },
  };
}

/** Counts opens and closes of the real shared lakehouse. */
function countingOpen() {
  const counts = { opened: 0, closed: 0 };
  const open = async (
    target: Parameters<typeof openSharedTargetLakehouse>[0],
    projectDir: string,
    readable: readonly string[],
  ): Promise<SharedLakehouse> => {
    const lake = await openSharedTargetLakehouse(target, projectDir, { readable });
    counts.opened++;
    return {
      connect: () => lake.connect(),
      close: () => {
        counts.closed++;
        lake.close();
      },
    };
  };
  return { counts, open };
}

describe('createLakeInstances', () => {
  it('attaches the lake once and gives each use a connection that commits by itself', async () => {
    const { dir, target } = tempLake();
    const { counts, open } = countingOpen();
    const lakes = createLakeInstances({ open });
    cleanups.push(() => lakes.close());
    await lakes.use(target, dir, [], (wh) => wh.run('create schema s; create table s.t (x integer)'));

    // Two uses at once, each in a transaction on its own connection: both commit.
    await Promise.all(
      [1, 2].map((x) =>
        lakes.use(target, dir, [], (wh) => wh.transaction((tx) => tx.run(`insert into s.t values (${x})`))),
      ),
    );
    const rows = await lakes.use(target, dir, [], (wh) => wh.json('select x from s.t order by x'));

    expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
    expect(counts.opened).toBe(1);
  });

  it('keeps every connection in the sandbox', async () => {
    const { dir, target } = tempLake();
    const lakes = createLakeInstances();
    cleanups.push(() => lakes.close());
    await lakes.use(target, dir, [], (wh) => wh.all('select 1'));

    const read = () => lakes.use(target, dir, [], (wh) => wh.all("select * from read_csv('/etc/passwd')"));
    const unlock = () => lakes.use(target, dir, [], (wh) => wh.run('SET enable_external_access = true'));

    await expect(read()).rejects.toThrow(/file system operations are disabled|Permission Error/);
    await expect(unlock()).rejects.toThrow(/configuration has been locked/);
  });

  it('closes an idle lake, and attaches it again on the next use', async () => {
    const { dir, target } = tempLake();
    const { counts, open } = countingOpen();
    const lakes = createLakeInstances({ open, idleCloseMs: 50 });
    cleanups.push(() => lakes.close());
    await lakes.use(target, dir, [], (wh) => wh.run('create schema s; create table s.t as select 7 as x'));

    await eventually(() => (counts.closed === 1 ? true : undefined), 'the idle lake to be closed');
    const rows = await lakes.use(target, dir, [], (wh) => wh.json('select x from s.t'));

    expect(rows).toEqual([{ x: 7 }]);
    expect(counts.opened).toBe(2);
  });

  it('does not keep a lake that failed to open', async () => {
    const { dir, target } = tempLake();
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
