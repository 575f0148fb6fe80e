// The record `pipectl dev` keeps of the Temporal dev server it started (.pipectl/dev-server.pid):
// pid, ports, start time, binary and database. A `pipectl dev` killed outright (SIGKILL, a closed
// terminal) cannot stop its server, which then keeps the port and the SQLite file; the next
// `pipectl dev` reads the record, checks that the pid is still that server (its command line, from
// /proc), and stops it. A pid reused by another program is never touched.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortFree } from './free-port.js';

export interface DevServerRecord {
  readonly pid: number;
  readonly port: number;
  readonly uiPort?: number;
  /** ISO time the server was started. */
  readonly startedAt: string;
  readonly binary: string;
  readonly dbFilename?: string;
}

/** What the recorded pid is now. */
export type RecordedDevServer =
  | { readonly state: 'none' }
  /** The record is there, the process is not (or is another program): nothing to stop. */
  | { readonly state: 'gone'; readonly record: DevServerRecord }
  /** The recorded server still runs. */
  | { readonly state: 'running'; readonly record: DevServerRecord }
  /** The pid runs but its command line cannot be read here (no /proc): not stopped, to be safe. */
  | { readonly state: 'unverifiable'; readonly record: DevServerRecord };

export function writeDevServerRecord(file: string, record: DevServerRecord): void {
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The record in `file`; undefined when there is none or it is not one. */
export function readDevServerRecord(file: string): DevServerRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Partial<DevServerRecord>;
  if (!Number.isInteger(record.pid) || !Number.isInteger(record.port) || typeof record.binary !== 'string')
    return undefined;
  return record as DevServerRecord;
}

/** Removes the record when it is still the one for `pid` (a newer `pipectl dev` may own it). */
export function removeDevServerRecord(file: string, pid: number): void {
  if (readDevServerRecord(file)?.pid === pid) rmSync(file, { force: true });
}

/** Reads the record in `file` and tells whether its server still runs. */
export function inspectDevServerRecord(file: string): RecordedDevServer {
  const record = readDevServerRecord(file);
  if (!record) return { state: 'none' };
  if (!isAlive(record.pid)) return { state: 'gone', record };
  const args = commandLine(record.pid);
  if (args === undefined) return { state: 'unverifiable', record };
  return isRecordedServer(args, record) ? { state: 'running', record } : { state: 'gone', record };
}

/**
 * Stops a recorded server: SIGTERM to its process group, SIGKILL after `graceMs`; resolves once
 * it is gone and its ports are free. Only pass a record that inspectDevServerRecord() found `running`.
 */
export async function stopRecordedDevServer(record: DevServerRecord, graceMs = 10_000): Promise<void> {
  signal(record.pid, 'SIGTERM');
  if (!(await waitGone(record.pid, graceMs))) {
    signal(record.pid, 'SIGKILL');
    if (!(await waitGone(record.pid, graceMs)))
      throw new Error(`the earlier Temporal dev server (PID ${record.pid}) did not stop after SIGKILL`);
  }
  // The kernel closes a process's sockets as its last thread exits; wait for that, within reason.
  // A port still taken after that belongs to someone else, which starting the server reports.
  const ports = [record.port, ...(record.uiPort === undefined ? [] : [record.uiPort])];
  const deadline = Date.now() + graceMs;
  for (const port of ports) {
    while (!(await isPortFree(port)) && Date.now() < deadline) await sleep(50);
  }
}

/** The server was started in its own process group (its pid is the group id): signal them all. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

async function waitGone(pid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/**
 * Alive, and not a zombie whose threads have all exited (an orphan's exit is reaped by whoever
 * adopted it, maybe late). A multi-threaded process's leader shows Z while its other threads,
 * which may still hold its sockets, are exiting: that still counts as alive.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state !== 'Z' && state !== 'X') return true;
    return readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return !existsProc();
  }
}

/** Without /proc, kill(pid, 0) is all there is to go by. */
function existsProc(): boolean {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
}

/** The process's argv from /proc; undefined where there is no /proc or it cannot be read. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
  } catch {
    return undefined;
  }
}

/** `temporal server start-dev ... --port <port> [--db-filename <file>]`, the binary recorded. */
function isRecordedServer(args: readonly string[], record: DevServerRecord): boolean {
  const after = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
  return (
    args[0] === record.binary &&
    args.includes('start-dev') &&
    after('--port') === String(record.port) &&
    (record.dbFilename === undefined || after('--db-filename') === record.dbFilename)
  );
}
