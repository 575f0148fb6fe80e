// Two real worker processes on one project with the embedded DuckDB file: the second refuses to
// start (PIPE6009) naming the first and the way out (a lakehouse target); once the first is gone,
// stopped or killed, a new worker starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { copyProject, uniqueTaskQueue, within } from './support/runtime-fixture.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./support/worker-process.ts', import.meta.url));

interface WorkerChild {
  readonly child: ChildProcess;
  /** Resolves once the worker polls; rejects when it exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the process exits, with its exit code and everything it wrote to stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

describe('one worker process per embedded warehouse file', () => {
  const children = new Set<ChildProcess>();
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    children.clear();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function spawnWorker(projectDir: string, taskQueue: string): WorkerChild {
    const child = spawn(
      process.execPath,
      ['--conditions=@pipectl/source', '--import', 'tsx', WORKER_SCRIPT],
      {
        cwd: PACKAGE_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TEMPORAL_NAMESPACE: inject('temporalNamespace'),
          PIPECTL_TASK_QUEUE: taskQueue,
          PIPECTL_PROJECT_DIR: projectDir,
          PIPECTL_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        },
      },
    );
    children.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.once('exit', (code) => resolve({ code, stderr })),
    );
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      void exited.then(({ code }) =>
        reject(new Error(`worker exited (${code}) before it was ready:\n${stderr}`)),
      );
    });
    ready.catch(() => undefined);
    return { child, ready, exited };
  }

  it('refuses a second worker on the same warehouse file, naming the first and the lakehouse target', async () => {
    const project = copyProject();
    cleanups.push(project.remove);
    const first = spawnWorker(project.dir, uniqueTaskQueue('claim'));
    await within(first.ready, 'the first worker to poll');

    const second = spawnWorker(project.dir, uniqueTaskQueue('claim'));
    const { code, stderr } = await within(second.exited, 'the second worker to exit');

    expect(code).not.toBe(0);
    expect(stderr).toContain('PIPE6009');
    expect(stderr).toContain(
      `the warehouse ${join(project.dir, '.pipectl', 'warehouse.duckdb')} is already served by a worker (pid ${first.child.pid} on `,
    );
    expect(stderr).toContain('DuckDB lets one process write a database file');
    expect(stderr).toContain('lakehouse target');
    expect(stderr).toContain('docs/deploying.md');
    expect(first.child.exitCode).toBeNull();
  });

  it('lets a worker start once the first stopped, or was killed and left its claim behind', async () => {
    const project = copyProject();
    cleanups.push(project.remove);
    const lockFile = join(project.dir, '.pipectl', 'warehouse.duckdb.worker.lock');
    const taskQueue = uniqueTaskQueue('claim');

    const first = spawnWorker(project.dir, taskQueue);
    await within(first.ready, 'the first worker to poll');
    expect(existsSync(lockFile)).toBe(true);
    first.child.kill('SIGTERM');
    expect((await within(first.exited, 'the first worker to stop')).code).toBe(0);
    expect(existsSync(lockFile)).toBe(false);

    const second = spawnWorker(project.dir, taskQueue);
    await within(second.ready, 'the second worker to poll');
    second.child.kill('SIGKILL');
    await within(second.exited, 'the second worker to die');
    expect(existsSync(lockFile)).toBe(true);

    const third = spawnWorker(project.dir, taskQueue);
    await within(third.ready, 'a worker to take over the killed worker’s claim');
  });
});
