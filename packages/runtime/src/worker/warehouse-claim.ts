// One worker process per embedded warehouse file, checked when a worker starts. DuckDB lets one
// process write a database file, and the pool closes the file while idle (so a shell can look in),
// so a second worker would start fine and then fail its activities whenever the first holds the
// file. Instead each worker claims the file: `<warehouse>.worker.lock` holds the claimant's pid,
// host, task queue and start time. A claim whose process is gone (same host, no such pid: a
// killed worker) is taken over; a live one refuses the start with WarehouseServedError.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { PipectlError } from '@pipectl/spec/lite';

/** PIPE6009: another worker process serves this embedded warehouse file. */
export class WarehouseServedError extends PipectlError {
  constructor(
    readonly warehousePath: string,
    readonly holder: WarehouseClaimant,
    readonly lockFile: string,
  ) {
    super(
      'PIPE6009',
      `the warehouse ${warehousePath} is already served by a worker (pid ${holder.pid} on ${holder.host}, ` +
        `task queue ${holder.taskQueue}, since ${holder.since}). DuckDB lets one process write a database file, ` +
        'so a second worker on it would fail its activities whenever the first holds the file. Stop that worker ' +
        'first, or, to run several workers for one project, give the project a lakehouse target (a DuckLake ' +
        'catalog every worker shares: see docs/deploying.md)' +
        (holder.host === hostname() ? '' : `; if that worker is gone, delete ${lockFile}`),
    );
  }
}

export interface WarehouseClaimant {
  readonly pid: number;
  readonly host: string;
  readonly taskQueue: string;
  /** ISO time the claim was made. */
  readonly since: string;
}

export interface WarehouseClaim {
  /** Gives the file up (removes the lock file when this process's last claim on it ends). */
  release(): void;
}

// Claims this process holds, by lock file: workers in one process share its warehouses legitimately.
const held = new Map<string, number>();

/**
 * Claims the warehouse file for this process, or throws WarehouseServedError.
 * @example const claim = claimWarehouse('/srv/shop/.pipectl/warehouse.duckdb', 'pipectl-shop'); ... claim.release();
 */
export function claimWarehouse(warehousePath: string, taskQueue: string): WarehouseClaim {
  const lockFile = `${warehousePath}.worker.lock`;
  if (!held.has(lockFile)) {
    mkdirSync(dirname(lockFile), { recursive: true });
    const me: WarehouseClaimant = {
      pid: process.pid,
      host: hostname(),
      taskQueue,
      since: new Date().toISOString(),
    };
    // Two tries: the second after removing a claim whose process is gone.
    for (let attempt = 0; ; attempt++) {
      try {
        writeFileSync(lockFile, `${JSON.stringify(me)}\n`, { flag: 'wx' });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readClaimant(lockFile);
      // Claimed again since we took a stale claim over: another worker starting at the same time.
      if (attempt > 0) throw new WarehouseServedError(warehousePath, holder ?? unknownHolder(), lockFile);
      if (holder && isAlive(holder)) throw new WarehouseServedError(warehousePath, holder, lockFile);
      // Unreadable (a crash while writing it) or its process is gone: take it over.
      rmSync(lockFile, { force: true });
    }
  }
  held.set(lockFile, (held.get(lockFile) ?? 0) + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const count = (held.get(lockFile) ?? 1) - 1;
      if (count > 0) {
        held.set(lockFile, count);
        return;
      }
      held.delete(lockFile);
      // Only our own claim is removed (a lock file replaced by hand stays).
      if (readClaimant(lockFile)?.pid === process.pid) rmSync(lockFile, { force: true });
    },
  };
}

function readClaimant(lockFile: string): WarehouseClaimant | undefined {
  try {
    const value = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<WarehouseClaimant>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      taskQueue: String(value.taskQueue ?? 'unknown'),
      since: String(value.since ?? 'unknown'),
    };
  } catch {
    return undefined;
  }
}

/** Whether the claimant may still run: its pid exists on this host; on another host, assumed so. */
function isAlive(holder: WarehouseClaimant): boolean {
  if (holder.host !== hostname()) return true;
  // Our own pid but not among our claims: a dead process's claim whose pid came round again.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unknownHolder(): WarehouseClaimant {
  return { pid: 0, host: 'unknown', taskQueue: 'unknown', since: 'unknown' };
}
