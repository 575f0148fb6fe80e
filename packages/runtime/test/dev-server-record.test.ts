// The dev-server record never leads pipectl to stop a process that is not the server it started:
// a pid that is gone, or reused by another program, is left alone.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDevServerRecord } from '../src/dev-server/dev-server-record.js';
import { inspectDevServerRecord, removeDevServerRecord, writeDevServerRecord } from '../src/index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function recordFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-record-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'dev-server.pid');
}

function otherProgram(): ChildProcess {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}

const startedAt = '2026-12-03T06:00:00.000Z';

describe('the dev-server record', () => {
  it('is none without a file, and a file that is not a record counts as none', () => {
    const file = recordFile();
    expect(inspectDevServerRecord(file)).toEqual({ state: 'none' });
    writeDevServerRecord(file, { pid: 1, port: 7233, startedAt, binary: '/x/temporal' });
    expect(readDevServerRecord(file)).toMatchObject({ pid: 1, port: 7233 });
  });

  it('a pid now held by another program is "gone": never stopped', () => {
    const file = recordFile();
    const other = otherProgram();
    const pid = other.pid as number;
    writeDevServerRecord(file, { pid, port: 7233, startedAt, binary: '/opt/temporal' });
    expect(inspectDevServerRecord(file).state).toBe('gone');
    expect(other.exitCode).toBeNull();
  });

  it('a pid that matches the recorded binary and port is "running"', () => {
    const file = recordFile();
    // node stands in for the server: what counts is argv[0], start-dev and --port.
    const argv = ['-e', 'setInterval(() => {}, 60000)', 'start-dev', '--port', '7999'];
    const child = spawn(process.execPath, argv, { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'));
    const binary = process.execPath;
    writeDevServerRecord(file, { pid: child.pid as number, port: 7999, startedAt, binary });
    expect(inspectDevServerRecord(file).state).toBe('running');
    writeDevServerRecord(file, { pid: child.pid as number, port: 7233, startedAt, binary });
    expect(inspectDevServerRecord(file).state).toBe('gone');
  });

  it('is removed only by the run that owns it', () => {
    const file = recordFile();
    writeDevServerRecord(file, { pid: 4242, port: 7233, startedAt, binary: '/x/temporal' });
    removeDevServerRecord(file, 1234);
    expect(existsSync(file)).toBe(true);
    removeDevServerRecord(file, 4242);
    expect(existsSync(file)).toBe(false);
  });
});
