// PIPECTL_DUCKDB_THREADS: the threads of every DuckDB instance the engine opens in this process,
// on a real warehouse file; a value that is not a number of threads is PIPE5205 with the fix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openWarehouse } from '../../src/index.js';
import { duckdbThreads, THREADS_VARIABLE } from '../../src/warehouse/duckdb-threads.js';

const before = process.env[THREADS_VARIABLE];
const dirs: string[] = [];
afterEach(() => {
  if (before === undefined) delete process.env[THREADS_VARIABLE];
  else process.env[THREADS_VARIABLE] = before;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function threadsOfNewWarehouse(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-threads-'));
  dirs.push(dir);
  const warehouse = await openWarehouse(join(dir, 'warehouse.duckdb'));
  try {
    const [row] = await warehouse.all<{ threads: bigint }>(
      "SELECT current_setting('threads')::BIGINT AS threads",
    );
    return Number(row?.threads);
  } finally {
    warehouse.close();
  }
}

test('a warehouse opened with PIPECTL_DUCKDB_THREADS set uses that many threads', async () => {
  process.env[THREADS_VARIABLE] = '1';
  expect(await threadsOfNewWarehouse()).toBe(1);
});

test('unset or empty, DuckDB keeps its own default', () => {
  expect(duckdbThreads({})).toEqual({});
  expect(duckdbThreads({ [THREADS_VARIABLE]: ' ' })).toEqual({});
  expect(duckdbThreads({ [THREADS_VARIABLE]: '2' })).toEqual({ threads: '2' });
});

test('a value that is not a number of threads is PIPE5205, naming the value and the fix', () => {
  for (const bad of ['0', 'two', '-1', '1.5'])
    expect(() => duckdbThreads({ [THREADS_VARIABLE]: bad })).toThrow(
      expect.objectContaining({ code: 'PIPE5205', message: expect.stringContaining(`"${bad}"`) }),
    );
});
