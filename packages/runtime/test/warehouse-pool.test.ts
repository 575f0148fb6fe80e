// The warehouse pool against real DuckDB files: one opener per file, uses take turns, an idle
// warehouse is closed (so another process or pool can open the file), and an aborted waiter gives
// up its turn.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openWarehouse, type WarehouseLockWait } from '@pipectl/engine';
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
  it('creates the folder, opens the file once and runs uses one at a time', async () => {
    const file = tempFile();
    const pool = createWarehousePool({ idleCloseMs: 1_000 });
    cleanups.push(() => pool.close());
    const events: string[] = [];
    const use = (name: string) =>
      pool.use(file, async (warehouse) => {
        events.push(`${name} start`);
        await warehouse.run(`create or replace table t_${name} as select * from range(200000)`);
        events.push(`${name} end`);
        return warehouse;
      });

    const [a, b] = await Promise.all([use('a'), use('b')]);

    expect(a).toBe(b);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('closes an idle warehouse, so the file can be opened elsewhere, and reopens it on the next use', async () => {
    const file = tempFile();
    let closes = 0;
    const open = async (path: string) => {
      const warehouse = await openWarehouse(path);
      return {
        ...warehouse,
        close() {
          warehouse.close();
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

  it('gives up the turn of a use whose signal aborts while it waits', async () => {
    const file = tempFile();
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

    const waiting = pool.use(
      file,
      async () => {
        ran = true;
      },
      controller.signal,
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
