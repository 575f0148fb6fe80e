// The warehouse pool against real DuckDB files: one database per file, each use on a connection of
// its own (uses run side by side), an idle warehouse is closed (so another process or pool can
// open the file), and a use aborted before it starts never touches the warehouse.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openSharedWarehouse, openWarehouse, type WarehouseLockWait } from '@pipectl/engine';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/wait.js';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { holdWarehouse } from './support/hold-warehouse.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-pool-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'warehouse.duckdb');
}

describe('createWarehousePool', () => {
  it('creates the folder, opens the file once and runs uses side by side, each on its own connection', async () => {
    const file = tempFile();
    let opens = 0;
    const pool = createWarehousePool({
      idleCloseMs: 1_000,
      open: (path, options) => {
        opens += 1;
        return openSharedWarehouse(path, options);
      },
    });
    cleanups.push(() => pool.close());
    let bothInside = (): void => {};
    const inside = new Promise<void>((done) => (bothInside = done));
    let entered = 0;
    const use = (name: string) =>
      pool.use(file, async (warehouse) => {
        // Each waits until the other has started: uses taking turns would never get past this.
        if (++entered === 2) bothInside();
        await inside;
        await warehouse.transaction(async (tx) => {
          await tx.run(`create table t_${name} as select * from range(1000)`);
          await tx.run(`insert into t_${name} select * from range(10)`);
        });
        return warehouse.connection;
      });

    const [a, b] = await Promise.all([use('a'), use('b')]);

    expect(opens).toBe(1);
    expect(a).not.toBe(b);
    const counts = await pool.use(file, (warehouse) =>
      warehouse.json('select (select count(*) from t_a)::int as a, (select count(*) from t_b)::int as b'),
    );
    expect(counts).toEqual([{ a: 1010, b: 1010 }]);
  });

  it('closes an idle warehouse, so the file can be opened elsewhere, and reopens it on the next use', async () => {
    const file = tempFile();
    let closes = 0;
    const open = async (path: string) => {
      const shared = await openSharedWarehouse(path);
      return {
        connect: () => shared.connect(),
        close() {
          shared.close();
          closes += 1;
        },
      };
    };
    const pool = createWarehousePool({ idleCloseMs: 20, open });
    cleanups.push(() => pool.close());
    await pool.use(file, (warehouse) => warehouse.run('create table t as select 42 as x'));
    await eventually(() => (closes > 0 ? true : undefined), 'the pool to close the idle warehouse');

    const other = await openWarehouse(file);
    const seen = await other.json('select x from t');
    other.close();
    const again = await pool.use(file, (warehouse) => warehouse.json('select x from t'));

    expect(seen).toEqual([{ x: 42 }]);
    expect(again).toEqual([{ x: 42 }]);
  });

  it('opens the warehouse sandboxed to what the use may read, and reopens it when that changes', async () => {
    const file = tempFile();
    const data = join(file, '..', '..', 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'x.csv'), 'x\n1\n');
    const pool = createWarehousePool();
    cleanups.push(() => pool.close());
    const read = (readable: readonly string[]) =>
      pool.use(
        file,
        (warehouse) => warehouse.json(`select x::varchar as x from read_csv('${join(data, 'x.csv')}')`),
        undefined,
        readable,
      );

    await expect(read([])).rejects.toThrow('Permission Error');
    expect(await read([data])).toEqual([{ x: '1' }]);
    await expect(read([])).rejects.toThrow('Permission Error');
  });

  it('gives up a use whose signal aborts while it waits for the warehouse to reopen', async () => {
    const file = tempFile();
    const data = join(file, '..', '..', 'data');
    mkdirSync(data, { recursive: true });
    const pool = createWarehousePool();
    cleanups.push(() => pool.close());
    let release = (): void => {};
    let entered = (): void => {};
    const inside = new Promise<void>((done) => (entered = done));
    const holding = pool.use(file, () => {
      entered();
      return new Promise<void>((done) => (release = done));
    });
    await inside;
    const controller = new AbortController();
    let ran = false;

    // Another sandbox: the warehouse reopens once the holding use is done, so this one waits.
    const waiting = pool.use(
      file,
      async () => {
        ran = true;
      },
      controller.signal,
      [data],
    );
    controller.abort(new Error('cancelled'));
    release();
    await holding;

    await expect(waiting).rejects.toThrow('cancelled');
    expect(ran).toBe(false);
  });

  it('waits for a file another process holds, then fails retryably as WarehouseLocked with the fix', async () => {
    const held = tempFile();
    mkdirSync(dirname(held), { recursive: true });
    (await openWarehouse(held)).close();
    const holder = await holdWarehouse(held);
    cleanups.push(() => holder.kill('SIGKILL'));
    const waits: WarehouseLockWait[] = [];
    const pool = createWarehousePool({ lockTimeoutMs: 500, onLockWait: (wait) => waits.push(wait) });
    cleanups.push(() => pool.close());

    const failure = await pool.use(held, async () => 'never').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'WarehouseLocked', nonRetryable: false });
    expect((failure as Error).message).toContain(`PIPE5201`);
    expect((failure as Error).message).toContain(`close the other session (PID ${holder.pid})`);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]?.holder.pid).toBe(holder.pid);

    // Once the holder is gone, the next use (the activity's retry) opens the file.
    holder.kill('SIGTERM');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(await pool.use(held, (warehouse) => warehouse.all('select 1 as one'))).toEqual([{ one: 1 }]);
  });
});
