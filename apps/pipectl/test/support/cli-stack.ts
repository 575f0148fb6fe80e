// A real stack for CLI tests of the Temporal commands: a copy of the repository's default project
// in a temporary folder, a Temporal dev server (the binary the project builds) on free ports, and a
// pipectl worker of that project on its own task queue. `pipectl(...)` runs the CLI against them.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DevServer,
  findTemporalBinary,
  type PipectlWorker,
  runWorker,
  SEARCH_ATTRIBUTES,
  startDevServer,
} from '@pipectl/runtime';
import { bufferTerminal, main } from '../../src/index.js';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliStack {
  readonly server: DevServer;
  /** The project copy's folder. */
  readonly project: string;
  /** Runs the CLI with this stack's Temporal address, task queue and project. */
  pipectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The same, with progress shown as plain lines on stderr (as on a pipe). */
  pipectlWithProgress(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Stops the worker and the server and removes the project copy. */
  stop(): Promise<void>;
}

/** Starts the stack; `name` prefixes the temporary folder and the task queue. */
export async function startCliStack(name: string): Promise<CliStack> {
  const project = mkdtempSync(join(tmpdir(), `pipectl-${name}-`));
  for (const part of ['contracts', 'pipelines', 'data', 'pipectl.yaml'])
    cpSync(join(repoRoot, part), join(project, part), { recursive: true });
  const taskQueue = `${name}-${Date.now()}`;
  const server = await startDevServer({ binary: findTemporalBinary(), searchAttributes: SEARCH_ATTRIBUTES });
  let ready: (w: PipectlWorker) => void = () => {};
  const started = new Promise<PipectlWorker>((resolve) => {
    ready = resolve;
  });
  const workerDone = runWorker({
    address: server.address,
    taskQueue,
    projectDir: project,
    project: 'shop',
    signals: [],
    onReady: (w) => ready(w),
  });
  const worker = await started;
  async function runPipectl(term: ReturnType<typeof bufferTerminal>, args: readonly string[]) {
    const code = await main(
      [...args, '--temporal-address', server.address, '--task-queue', taskQueue, '-p', project],
      term,
      project,
    );
    return { code, stdout: term.stdout, stderr: term.stderr };
  }
  return {
    server,
    project,
    pipectl: (...args) => runPipectl(bufferTerminal(), args),
    pipectlWithProgress: (...args) => runPipectl(bufferTerminal({ progress: true }), args),
    async stop() {
      worker.shutdown();
      await workerDone.catch(() => undefined);
      await server.stop();
      rmSync(project, { recursive: true, force: true });
    },
  };
}
