// A warehouse file held by another process (here: a real second process with DuckDB open on it
// read-only, like a forgotten `duckdb -readonly` shell) is waited for, naming the holder, and
// opens as soon as the holder lets go; a lock that outlasts the wait is an error with the fix.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  openWarehouse,
  openWarehouseWithRetry,
  WarehouseLockedError,
  type WarehouseLockWait,
} from '../../src/index.js';
import { parseLockHolder } from '../../src/warehouse/open-with-retry.js';

const engineDir = fileURLToPath(new URL('../../', import.meta.url));
const HOLD = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
await instance.connect();
process.stdout.write('held\\n');
setInterval(() => {}, 60_000);
`;

let dir: string;
let file: string;
let holder: ChildProcess | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-lock-'));
  file = join(dir, 'warehouse.duckdb');
  const wh = await openWarehouse(file);
  await wh.run('create table t as select 42 as x');
  wh.close();
});
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a second process that holds the file open read-only; resolves once it does. */
async function holdElsewhere(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLD, file], {
    cwd: engineDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the holding process exited (${code}) before holding the file`)),
    );
  });
  holder = child;
  return child;
}

describe('opening a warehouse another process holds', () => {
  test("DuckDB's lock message gives the holder's program and PID", () => {
    expect(
      parseLockHolder(
        'IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held in /usr/bin/duckdb (PID 4242). However, ...',
      ),
    ).toEqual({ program: '/usr/bin/duckdb', pid: 4242 });
    expect(parseLockHolder('IO Error: Cannot open file "/w.duckdb": Permission denied')).toBeUndefined();
  });

  test('waits, saying who holds it, and opens once the holder is gone', async () => {
    const child = await holdElsewhere();
    const waits: WarehouseLockWait[] = [];
    const opened = openWarehouseWithRetry(file, {
      timeoutMs: 180_000,
      initialDelayMs: 50,
      maxDelayMs: 200,
      onWait: (wait) => {
        waits.push(wait);
        // Let go once the wait has been reported: the next try must succeed.
        if (waits.length === 2) child.kill('SIGTERM');
      },
    });
    const wh = await opened;
    expect(await wh.all('select x from t')).toEqual([{ x: 42 }]);
    wh.close();
    expect(waits[0]?.holder).toEqual({ program: expect.any(String), pid: child.pid });
  });

  test('a lock that outlasts the wait is an error naming the PID and the fix (PIPE5201)', async () => {
    const child = await holdElsewhere();
    const error = await openWarehouseWithRetry(file, { timeoutMs: 300, initialDelayMs: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(WarehouseLockedError);
    expect(error.code).toBe('PIPE5201');
    expect(error.holder.pid).toBe(child.pid);
    expect(error.message).toContain(`close the other session (PID ${child.pid})`);
  });

  test('any other error is not waited for', async () => {
    const started = Date.now();
    await expect(openWarehouseWithRetry(join(dir, 'missing', 'folder', 'w.duckdb'))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
