// The worker's open warehouses: one DuckDB database per file, opened on first use, used by one
// activity at a time, closed when idle and when the worker stops. For the embedded DuckDB-file
// target only: on a lakehouse target every activity opens its own lake (warehouse-access.ts).
//
// Why one at a time: DuckDB lets a single process write a database file, and the engine runs each
// transaction on the warehouse's one connection, so activities of parallel steps take turns (each
// statement is still parallel inside DuckDB). It follows that ONE WORKER PROCESS PER WAREHOUSE FILE
// is the embedded default: a second worker process on the same file refuses to start
// (worker/warehouse-claim.ts). To run a cluster of workers, give the project a lakehouse target;
// more workers on one DuckDB file do not scale.
//
// A file another process holds (a DuckDB shell left open on it) is waited for, up to lockTimeoutMs,
// with the holder logged; then the activity fails retryably as WarehouseLocked, with the fix.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  describeHolder,
  type OpenWarehouseOptions,
  openWarehouse,
  openWarehouseWithRetry,
  type Warehouse,
  WarehouseLockedError,
  type WarehouseLockWait,
} from '@pipectl/engine';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

export interface WarehousePool {
  /**
   * Runs `work` with exclusive use of the warehouse at `path` (opened, and its folder created, on
   * first use). When `signal` aborts while `work` runs, the running statement is interrupted;
   * aborted before its turn, it rejects with the abort reason without touching the warehouse.
   * `readable` is what the warehouse may read besides its folder (its sandbox, locked when it
   * opens): a different list than the open warehouse's closes it and opens it again.
   * @example const rows = await pool.use('/p/.pipectl/warehouse.duckdb', (wh) => wh.all('select 1'))
   */
  use<T>(
    path: string,
    work: (warehouse: Warehouse) => Promise<T>,
    signal?: AbortSignal,
    readable?: readonly string[],
  ): Promise<T>;
  /** Waits for running work, then closes every open warehouse. The pool opens them again on use. */
  close(): Promise<void>;
}

export interface WarehousePoolOptions {
  /** Close a warehouse after this long without use, so other tools can open the file (default 10 s). */
  readonly idleCloseMs?: number;
  /** Opens a warehouse; the engine's `openWarehouse` by default. */
  readonly open?: (path: string, options: OpenWarehouseOptions) => Promise<Warehouse>;
  /** How long to wait for a warehouse file another process holds (default 120 s). */
  readonly lockTimeoutMs?: number;
  /** Told while waiting for such a file; logs a warning through the activity's logger by default. */
  readonly onLockWait?: (wait: WarehouseLockWait) => void;
}

interface Entry {
  warehouse: Warehouse | undefined;
  /** The `readable` list the open warehouse was sandboxed with, as a key. */
  readable: string;
  /** Settles when everything queued so far is done: each use and each close chains on it. */
  tail: Promise<void>;
  queued: number;
  idle: ReturnType<typeof setTimeout> | undefined;
}

export function createWarehousePool(options: WarehousePoolOptions = {}): WarehousePool {
  const idleCloseMs = options.idleCloseMs ?? 10_000;
  const open = options.open ?? openWarehouse;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const onLockWait = options.onLockWait ?? logLockWait;
  const openWaiting = async (
    file: string,
    warehouseOptions: OpenWarehouseOptions,
    signal: AbortSignal | undefined,
  ): Promise<Warehouse> => {
    try {
      return await openWarehouseWithRetry(file, {
        open: (path) => open(path, warehouseOptions),
        timeoutMs: lockTimeoutMs,
        onWait: onLockWait,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // Retryable: the holder may be gone by the next attempt; the message says whom to close.
      if (error instanceof WarehouseLockedError) {
        throw ApplicationFailure.create({
          type: 'WarehouseLocked',
          message: `${error.code} ${error.message}`,
          details: [{ path: error.path, holder: error.holder }],
        });
      }
      throw error;
    }
  };
  const entries = new Map<string, Entry>();

  /** Queues `task` after everything queued on `entry`; the next task waits for it to settle. */
  const enqueue = <T>(entry: Entry, task: () => Promise<T>): Promise<T> => {
    const result = entry.tail.then(task);
    entry.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  const closeNow = (entry: Entry): void => {
    entry.warehouse?.close();
    entry.warehouse = undefined;
  };

  return {
    async use(path, work, signal, readable = []) {
      const file = resolve(path);
      let entry = entries.get(file);
      if (!entry) {
        entry = { warehouse: undefined, readable: '', tail: Promise.resolve(), queued: 0, idle: undefined };
        entries.set(file, entry);
      }
      const current = entry;
      clearTimeout(current.idle);
      current.queued++;
      try {
        signal?.throwIfAborted();
        return await enqueue(current, async () => {
          // Aborted while waiting for its turn: give the turn up without touching the warehouse.
          signal?.throwIfAborted();
          const key = JSON.stringify([...readable].sort());
          if (current.warehouse && current.readable !== key) closeNow(current);
          if (!current.warehouse) {
            mkdirSync(dirname(file), { recursive: true });
            current.warehouse = await openWaiting(file, { readable }, signal);
            current.readable = key;
          }
          const warehouse = current.warehouse;
          const interrupt = (): void => warehouse.connection.interrupt();
          signal?.addEventListener('abort', interrupt, { once: true });
          try {
            return await work(warehouse);
          } finally {
            signal?.removeEventListener('abort', interrupt);
          }
        });
      } finally {
        current.queued--;
        if (current.queued === 0) {
          current.idle = setTimeout(() => {
            if (current.queued === 0) void enqueue(current, async () => closeNow(current));
          }, idleCloseMs);
          current.idle.unref?.();
        }
      }
    },

    async close() {
      for (const entry of entries.values()) {
        clearTimeout(entry.idle);
        await enqueue(entry, async () => closeNow(entry));
      }
    },
  };
}

/** Logs the wait as a warning of the running activity (the worker's log); silent outside one. */
function logLockWait(wait: WarehouseLockWait): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.log.warn(
    `waiting for the warehouse ${wait.path}: it is locked by ${describeHolder(wait.holder)} ` +
      `(${Math.round(wait.waitedMs / 1000)} s of ${Math.round(wait.timeoutMs / 1000)} s); close that session to go on`,
    { holderPid: wait.holder.pid, holderProgram: wait.holder.program },
  );
}
