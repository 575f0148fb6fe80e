// Opening a warehouse file that another process holds: DuckDB lets one process write a file, and a
// DuckDB shell or notebook left open on it (even read-only) blocks the next run. This waits with a
// bounded backoff, saying who holds the file while it waits, then gives up with the fix. Other
// open errors are not waited for. Wraps openWarehouse; the warehouse itself is unchanged.
import { setTimeout as sleep } from 'node:timers/promises';
import { PipectlError } from '@pipectl/spec/lite';
import { type OpenWarehouseOptions, openWarehouse, type Warehouse } from './warehouse.js';

/** Who holds a warehouse file, as DuckDB's lock error names it. */
export interface WarehouseLockHolder {
  /** The holder's executable, e.g. `/usr/bin/duckdb`, when DuckDB says. */
  readonly program?: string;
  readonly pid?: number;
}

/** One wait for the lock, reported before sleeping. */
export interface WarehouseLockWait {
  readonly path: string;
  readonly holder: WarehouseLockHolder;
  /** Milliseconds waited so far, and the limit. */
  readonly waitedMs: number;
  readonly timeoutMs: number;
}

export interface OpenWithRetryOptions {
  /** How long to wait for the lock in all (default 120 s); 0 tries once. */
  readonly timeoutMs?: number;
  /** First pause between tries (default 250 ms); doubles up to maxDelayMs. */
  readonly initialDelayMs?: number;
  /** Longest pause between tries (default 5 s). */
  readonly maxDelayMs?: number;
  /** Told before each pause: who holds the file and how long this has waited. */
  readonly onWait?: (wait: WarehouseLockWait) => void;
  /** Stops waiting (rejecting with the abort reason). */
  readonly signal?: AbortSignal;
  /** Options for openWarehouse (the sandbox's readable folders, extensions to load). */
  readonly warehouse?: OpenWarehouseOptions;
  /** The opener to retry; openWarehouse with `warehouse` by default. */
  readonly open?: (path: string) => Promise<Warehouse>;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

/** The warehouse file stayed locked by another process for the whole wait. */
export class WarehouseLockedError extends PipectlError {
  constructor(
    readonly path: string,
    readonly holder: WarehouseLockHolder,
    readonly waitedMs: number,
    /** DuckDB's own message. */
    readonly duckdbMessage: string,
  ) {
    super(
      'PIPE5201',
      `the warehouse ${path} is locked by ${describeHolder(holder)} and stayed locked for ${Math.round(waitedMs / 1000)} s: ` +
        `${closeAdvice(holder)}, then run again`,
    );
  }
}

/** `Could not set lock on file "...": Conflicting lock is held in /usr/bin/duckdb (PID 4242)`. */
const LOCK_ERROR = /Could not set lock on file/i;
const HOLDER = /Conflicting lock is held in (.+?) \(PID (\d+)\)/i;

/** Who holds the lock, when `message` is DuckDB's lock error; undefined for any other error. */
export function parseLockHolder(message: string): WarehouseLockHolder | undefined {
  if (!LOCK_ERROR.test(message)) return undefined;
  const match = HOLDER.exec(message);
  if (!match) return {};
  return { program: match[1] as string, pid: Number(match[2]) };
}

/** `/usr/bin/duckdb (PID 4242)`, or `another process` when DuckDB did not say. */
export function describeHolder(holder: WarehouseLockHolder): string {
  if (holder.pid === undefined) return holder.program ?? 'another process';
  return `${holder.program ?? 'a process'} (PID ${holder.pid})`;
}

function closeAdvice(holder: WarehouseLockHolder): string {
  const who = holder.pid === undefined ? 'the other session' : `the other session (PID ${holder.pid})`;
  return `close ${who} (a DuckDB shell or notebook with the file open, or a second worker on the same warehouse)`;
}

/**
 * Opens the warehouse at `path`, waiting while another process holds its lock.
 * @example const wh = await openWarehouseWithRetry('.pipectl/warehouse.duckdb', { onWait: (w) => console.log(w.holder) })
 */
export async function openWarehouseWithRetry(
  path: string,
  options: OpenWithRetryOptions = {},
): Promise<Warehouse> {
  const open = options.open ?? ((file: string) => openWarehouse(file, options.warehouse));
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  let delay = options.initialDelayMs ?? 250;
  const started = Date.now();
  for (;;) {
    options.signal?.throwIfAborted();
    let message: string;
    try {
      return await open(path);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
      const holder = parseLockHolder(message);
      if (holder === undefined) throw error;
      const waitedMs = Date.now() - started;
      if (waitedMs >= timeoutMs) throw new WarehouseLockedError(path, holder, waitedMs, message);
      options.onWait?.({ path, holder, waitedMs, timeoutMs });
      const pause = Math.min(delay, timeoutMs - waitedMs);
      await sleep(pause, undefined, options.signal ? { signal: options.signal } : {});
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
