// The worker's open warehouses: one DuckDB database per file, opened on first use, closed when
// idle and when the worker stops, from which every activity takes a connection of its own. For
// the embedded DuckDB-file target only: on a lakehouse target see lake-instances.ts.
//
// DuckDB lets a single process write a database file, but that process may hold many connections
// on it, and their transactions commit optimistically: the activities of parallel steps (building
// and publishing different datasets) run side by side, and a lost race on a shared row or catalog
// entry is a conflict (PIPE5202) the activity's retry settles (the engine's idempotent DDL retries
// its own). It follows that ONE WORKER PROCESS PER WAREHOUSE FILE is the embedded default: a second
// worker process on the same file refuses to start (worker/warehouse-claim.ts). To run a cluster of
// workers, give the project a lakehouse target; more workers on one DuckDB file do not scale.
//
// A file another process holds (a DuckDB shell left open on it) is waited for, up to lockTimeoutMs,
// with the holder logged; then the activity fails retryably as WarehouseLocked, with the fix.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  describeHolder,
  type OpenWarehouseOptions,
  openSharedWarehouse,
  openWarehouseWithRetry,
  type SharedWarehouse,
  type Warehouse,
  WarehouseLockedError,
  type WarehouseLockWait,
} from '@pipectl/engine';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

export interface WarehousePool {
  /**
   * Runs `work` on a connection of its own to the warehouse at `path` (opened, and its folder
   * created, on first use); uses run side by side. When `signal` aborts while `work` runs, the
   * running statement is interrupted; aborted before `work` starts, it rejects with the abort
   * reason without touching the warehouse. `readable` is what the warehouse may read besides its
   * folder (its sandbox, locked when it opens): a different list than the open warehouse's closes it
   * (once the uses on it are done) and opens it again.
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
  /** Opens a warehouse; the engine's `openSharedWarehouse` by default. */
  readonly open?: (path: string, options: OpenWarehouseOptions) => Promise<SharedWarehouse>;
  /** How long to wait for a warehouse file another process holds (default 120 s). */
  readonly lockTimeoutMs?: number;
  /** Told while waiting for such a file; logs a warning through the activity's logger by default. */
  readonly onLockWait?: (wait: WarehouseLockWait) => void;
}

/** One open database of a file and the uses on it. */
interface Opened {
  readonly shared: SharedWarehouse;
  /** The `readable` list it was sandboxed with, as a key. */
  readonly readable: string;
  active: number;
  /** Resolves the wait of a close for the last use to end. */
  onIdle: (() => void) | undefined;
}

interface Entry {
  opened: Opened | undefined;
  /** Opening, switching and closing happen one at a time: each chains on this. */
  tail: Promise<void>;
  /** Uses under way or waiting to start. */
  queued: number;
  idle: ReturnType<typeof setTimeout> | undefined;
}

export function createWarehousePool(options: WarehousePoolOptions = {}): WarehousePool {
  const idleCloseMs = options.idleCloseMs ?? 10_000;
  const open = options.open ?? openSharedWarehouse;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const onLockWait = options.onLockWait ?? logLockWait;
  const openWaiting = async (
    file: string,
    warehouseOptions: OpenWarehouseOptions,
    signal: AbortSignal | undefined,
  ): Promise<SharedWarehouse> => {
    try {
      return await openWarehouseWithRetry(file, {
        open: (path: string) => open(path, warehouseOptions),
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

  /** Runs `task` after everything chained on `entry` so far; the next task waits for it to settle. */
  const exclusive = <T>(entry: Entry, task: () => Promise<T>): Promise<T> => {
    const result = entry.tail.then(task);
    entry.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  /** Closes the open database once its last use has ended; call inside `exclusive`. */
  const closeWhenDone = async (entry: Entry): Promise<void> => {
    const opened = entry.opened;
    if (!opened) return;
    entry.opened = undefined;
    if (opened.active > 0) await new Promise<void>((done) => (opened.onIdle = done));
    opened.shared.close();
  };

  return {
    async use(path, work, signal, readable = []) {
      const file = resolve(path);
      let entry = entries.get(file);
      if (!entry) {
        entry = { opened: undefined, tail: Promise.resolve(), queued: 0, idle: undefined };
        entries.set(file, entry);
      }
      const current = entry;
      clearTimeout(current.idle);
      current.queued++;
      try {
        signal?.throwIfAborted();
        const key = JSON.stringify([...readable].sort());
        const opened = await exclusive(current, async () => {
          // Aborted while waiting: give up without touching the warehouse.
          signal?.throwIfAborted();
          if (current.opened && current.opened.readable !== key) await closeWhenDone(current);
          if (!current.opened) {
            mkdirSync(dirname(file), { recursive: true });
            const shared = await openWaiting(file, { readable }, signal);
            current.opened = { shared, readable: key, active: 0, onIdle: undefined };
          }
          current.opened.active++;
          return current.opened;
        });
        try {
          signal?.throwIfAborted();
          const warehouse = await opened.shared.connect();
          const interrupt = (): void => warehouse.connection.interrupt();
          signal?.addEventListener('abort', interrupt, { once: true });
          try {
            return await work(warehouse);
          } finally {
            signal?.removeEventListener('abort', interrupt);
            warehouse.close();
          }
        } finally {
          opened.active--;
          if (opened.active === 0) opened.onIdle?.();
        }
      } finally {
        current.queued--;
        if (current.queued === 0) {
          current.idle = setTimeout(() => {
            if (current.queued === 0) void exclusive(current, () => closeWhenDone(current));
          }, idleCloseMs);
          current.idle.unref?.();
        }
      }
    },

    async close() {
      for (const entry of entries.values()) {
        clearTimeout(entry.idle);
        await exclusive(entry, () => closeWhenDone(entry));
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
