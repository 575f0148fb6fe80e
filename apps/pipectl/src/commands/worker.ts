// `pipectl worker` and `pipectl dev`: the process that does the work of runs, and a local Temporal
// dev server (with its web UI) plus a worker, for trying pipectl on one machine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parsePositiveInt } from './options.js';
import { asUsageError } from './run-errors.js';
import { addTemporalOptions, type TemporalFlags, temporalSettings, webUiUrl } from './temporal-options.js';

interface WorkerFlags extends TemporalFlags {
  project?: string;
  concurrency: string;
}

export function registerWorker(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const worker = program
    .command('worker')
    .summary('run a worker: executes pipeline runs of this project until stopped')
    .description(
      'Poll the task queue and execute pipeline runs: extraction, steps, gates and publication in the\n' +
        "project's DuckDB warehouse. Stop with Ctrl-C: running activities get a grace period, and a\n" +
        'retry on the next worker finishes anything interrupted. One worker process per warehouse file\n' +
        '(DuckDB has a single writer); scale out with one warehouse per worker.',
    )
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--concurrency <n>', 'activities run at once (they take turns on one warehouse)', '8');
  addTemporalOptions(worker)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl worker\n  $ TEMPORAL_ADDRESS=temporal.internal:7233 pipectl worker --task-queue shop',
    )
    .action(async (options: WorkerFlags) => {
      const root = resolveProjectDir(options.project, ctx.cwd);
      const concurrency = parsePositiveInt(options.concurrency, '--concurrency');
      const settings = await temporalSettings(options, root);
      const runtime = await import('@pipectl/runtime');
      runtime.setSdkLogLevel('WARN');
      try {
        await runtime.runWorker({
          address: settings.address,
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          projectDir: root,
          maxConcurrentActivityTaskExecutions: concurrency,
          onReady: () =>
            ctx.term.out(
              `${ctx.paint('green', 'worker ready')}: ${displayPath(root, ctx.cwd)} on ${settings.address}, ` +
                `namespace ${settings.namespace}, task queue ${settings.taskQueue} (Ctrl-C to stop)\n`,
            ),
        });
        ctx.term.out('worker stopped\n');
        setExit(EXIT.ok);
      } catch (error) {
        await asUsageError(error);
      }
    });

  const dev = program
    .command('dev')
    .summary('start a local Temporal dev server with its web UI, and a worker')
    .description(
      'Start the Temporal dev server built by scripts/install-temporal.sh, persisted under\n' +
        '.pipectl/temporal/ (runs, histories and approvals survive restarts), with the web UI and\n' +
        "pipectl's search attributes, and a worker for this project. Prints where the UI is. Ctrl-C stops both.",
    )
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--port <port>', 'Temporal frontend port on 127.0.0.1', '7233')
    .option('--ui-port <port>', 'web UI port (default: port + 1000)')
    .option('--task-queue <name>', 'task queue of the worker', 'pipectl')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl dev\n  $ pipectl dev --port 7300   # then: pipectl run ... --temporal-address localhost:7300',
    );
  dev.action(async (options: { project?: string; port: string; uiPort?: string; taskQueue: string }) => {
    const root = resolveProjectDir(options.project, ctx.cwd);
    const port = parsePositiveInt(options.port, '--port');
    const uiPort = options.uiPort === undefined ? port + 1000 : parsePositiveInt(options.uiPort, '--ui-port');
    const runtime = await import('@pipectl/runtime');
    runtime.setSdkLogLevel('WARN');
    try {
      const binary = runtime.findTemporalBinary();
      const stateDir = join(root, '.pipectl', 'temporal');
      mkdirSync(stateDir, { recursive: true });
      ctx.term.out(
        `starting Temporal dev server on 127.0.0.1:${port} (state in ${displayPath(stateDir, ctx.cwd)}) ...\n`,
      );
      const server = await runtime.startDevServer({
        binary,
        ip: '127.0.0.1',
        port,
        uiPort,
        dbFilename: join(stateDir, 'dev.sqlite'),
        searchAttributes: runtime.SEARCH_ATTRIBUTES,
      });
      try {
        const settings = {
          address: server.address,
          namespace: server.namespace,
          taskQueue: options.taskQueue,
        };
        await runtime.ensureSearchAttributes(server.address, settings.namespace, runtime.SEARCH_ATTRIBUTES);
        await runtime.runWorker({
          address: server.address,
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          projectDir: root,
          onReady: () =>
            ctx.term.out(
              `${ctx.paint('green', 'ready')}: Temporal at ${server.address}, worker on task queue ${settings.taskQueue}\n` +
                `  web UI: ${webUiUrl({ ...settings, address: `localhost:${uiPort - 1000}` })}\n` +
                `  try:    pipectl run ${'<pipeline>'} --wait   (in another terminal)\n` +
                '  Ctrl-C stops the worker and the server\n',
            ),
        });
      } finally {
        await server.stop();
        ctx.term.out('dev server stopped\n');
      }
      setExit(EXIT.ok);
    } catch (error) {
      await asUsageError(error);
    }
  });
}
