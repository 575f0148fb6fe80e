// Starts test/support/worker-process.ts as a real child process (a worker a test can SIGKILL, or
// one of several on a lakehouse) and waits until it polls.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export interface WorkerChild {
  readonly process: ChildProcess;
  /** Everything it printed to stdout so far (e.g. "serving the DuckLake …"). */
  readonly output: () => string;
}

/** Spawns a worker for `projectDir` on `taskQueue`; `env` adds to (and overrides) the worker's environment. */
export async function spawnWorker(
  projectDir: string,
  taskQueue: string,
  env: Readonly<Record<string, string>> = {},
): Promise<WorkerChild> {
  const child = spawn(process.execPath, ['--conditions=@pipectl/source', '--import', 'tsx', WORKER_SCRIPT], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      PIPECTL_TASK_QUEUE: taskQueue,
      PIPECTL_PROJECT_DIR: projectDir,
      PIPECTL_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      PIPECTL_HEARTBEAT_TIMEOUT_MS: '3000',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  await new Promise<void>((ready, failed) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) ready();
    });
    child.once('exit', (code, signal) =>
      failed(new Error(`worker exited (${code ?? signal}) before it was ready:\n${stdout}${stderr}`)),
    );
  });
  return { process: child, output: () => stdout };
}
