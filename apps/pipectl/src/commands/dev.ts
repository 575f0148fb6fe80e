// `pipectl dev`: a local Temporal dev server (with its web UI) plus a worker, for trying pipectl on
// one machine. The server is this command's child in its own process group, stopped on every way
// out (Ctrl-C, SIGTERM, an error); its pid is recorded in .pipectl/dev-server.pid so that after a
// hard kill (SIGKILL, or a SIGHUP from a closed terminal) the next `pipectl dev` stops the server
// left behind, and says so.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PipectlWorker } from '@pipectl/runtime';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { parsePositiveInt } from './options.js';
import { temporalSettings, webUiUrl } from './temporal-options.js';
import { LOCK_WAIT_HELP } from './worker.js';

interface DevFlags {
  project?: string;
  port?: string;
  uiPort?: string;
  taskQueue?: string;
  target?: string;
  lockWait: string;
  quiet?: boolean;
}

/**
 * Signals that end `pipectl dev` in order. Not SIGHUP: a handler would override `nohup` (which
 * `npm start` uses to keep pipectl dev running in the background); the record covers it instead.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function registerDev(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('dev')
    .summary('start a local Temporal dev server with its web UI, and a worker')
    .description(
      'Start the Temporal dev server built by scripts/install-temporal.sh, persisted under\n' +
        '.pipectl/temporal/ (runs, histories and approvals survive restarts), with the web UI and\n' +
        "pipectl's search attributes, and a worker for this project on the project's task queue and\n" +
        'namespace (as pipectl.yaml names them, as `pipectl run` uses them). Prints where the UI is.\n' +
        'Ctrl-C stops both.\n' +
        "The server's pid is kept in .pipectl/dev-server.pid: if pipectl dev was killed outright,\n" +
        'the next pipectl dev stops the server it left running, then starts afresh.',
    )
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option(
      '--port <port>',
      "Temporal frontend port on 127.0.0.1 (default: the port of pipectl.yaml's local temporal.address, else 7233)",
    )
    .option('--ui-port <port>', 'web UI port (default: port + 1000)')
    .option(
      '--task-queue <name>',
      'task queue of the worker (env PIPECTL_TASK_QUEUE; default: pipectl.yaml\'s, else "pipectl-<project name>")',
    )
    .option(
      '-t, --target <name>',
      "the target whose warehouse the worker uses (default: pipectl.yaml's `target`, else the embedded DuckDB file)",
    )
    .option('--lock-wait <seconds>', LOCK_WAIT_HELP, '120')
    .option('-q, --quiet', 'no start-up progress on stderr (server, search attributes, bundling, polling)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl dev\n  $ pipectl dev --port 7300   # then: pipectl run ... --temporal-address localhost:7300',
    )
    .action(async (options: DevFlags) => {
      const root = resolveProjectDir(options.project, ctx.cwd);
      // The project's settings, as `pipectl run` reads them: the worker must poll where runs go.
      const project = await temporalSettings(
        {
          ...(options.taskQueue === undefined ? {} : { taskQueue: options.taskQueue }),
          ...(options.target === undefined ? {} : { target: options.target }),
        },
        root,
      );
      const port =
        options.port === undefined
          ? (localPort(project.address) ?? 7233)
          : parsePositiveInt(options.port, '--port');
      const uiPort =
        options.uiPort === undefined ? port + 1000 : parsePositiveInt(options.uiPort, '--ui-port');
      const lockWaitSeconds = parsePositiveInt(options.lockWait, '--lock-wait');
      const runtime = await import('@pipectl/runtime');
      runtime.setSdkLogLevel('WARN');
      const stateDir = join(root, '.pipectl', 'temporal');
      const recordFile = join(root, '.pipectl', 'dev-server.pid');
      const where = (path: string): string => displayPath(path, ctx.cwd);

      // Whatever stops us from here on stops the server: before it answers, by its recorded pid;
      // after, by shutting the worker down, which returns through the `finally` below.
      let spawnedPid: number | undefined;
      let worker: PipectlWorker | undefined;
      let stopRequested: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        stopRequested ??= signal;
        if (worker) worker.shutdown();
        else if (spawnedPid !== undefined) killGroup(spawnedPid);
      };
      const { openProgress, workerStages } = await import('../io/progress.js');
      const progress = await openProgress(ctx.term.progress, ctx.paint, {
        ...(options.quiet ? { quiet: true } : {}),
        color: ctx.term.color,
      });
      for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
      try {
        const binary = runtime.findTemporalBinary();
        mkdirSync(stateDir, { recursive: true });
        await stopLeftBehind(recordFile);
        ctx.term.out(
          `starting Temporal dev server on 127.0.0.1:${port} (state and server.log in ${where(stateDir)}) ...\n`,
        );
        progress.status('dev: starting the Temporal dev server');
        const dbFilename = join(stateDir, 'dev.sqlite');
        const logFile = join(stateDir, 'server.log');
        const startedAt = new Date().toISOString();
        const server = await runtime
          .startDevServer({
            binary,
            ip: '127.0.0.1',
            port,
            uiPort,
            namespace: project.namespace,
            dbFilename,
            logFile,
            searchAttributes: runtime.SEARCH_ATTRIBUTES,
            onSpawn: (pid) => {
              spawnedPid = pid;
              runtime.writeDevServerRecord(recordFile, { pid, port, uiPort, startedAt, binary, dbFilename });
            },
          })
          .catch((error: unknown) => {
            if (spawnedPid !== undefined) runtime.removeDevServerRecord(recordFile, spawnedPid);
            if (stopRequested) return undefined;
            throw error;
          });
        if (!server) {
          ctx.term.out(`stopped by ${stopRequested} before the dev server was ready\n`);
          setExit(EXIT.ok);
          return;
        }
        try {
          const settings = {
            address: server.address,
            namespace: server.namespace,
            taskQueue: project.taskQueue,
          };
          progress.done('ok', `dev: Temporal dev server at ${server.address}`);
          progress.status('dev: registering search attributes');
          await runtime.ensureSearchAttributes(server.address, settings.namespace, runtime.SEARCH_ATTRIBUTES);
          if (!stopRequested) {
            await runtime.runWorker({
              address: server.address,
              namespace: settings.namespace,
              taskQueue: settings.taskQueue,
              projectDir: root,
              project: project.project,
              ...(project.target ? { target: project.target } : {}),
              warehouseLockTimeoutMs: lockWaitSeconds * 1000,
              signals: [],
              onStage: workerStages(progress),
              onReady: (ready) => {
                worker = ready;
                if (stopRequested) ready.shutdown();
                ctx.term.out(
                  `${ctx.paint('green', 'ready')}: Temporal at ${server.address}, namespace ${settings.namespace}, ` +
                    `worker of project ${project.project} on task queue ${settings.taskQueue}\n` +
                    (ready.serves
                      ? `  warehouse: ${ready.serves.warehouse} (target ${ready.serves.target})\n`
                      : '') +
                    `  web UI: ${webUiUrl({ ...settings, address: `localhost:${uiPort - 1000}` })}\n` +
                    `  try:    pipectl run ${'<pipeline>'} --wait   (in another terminal)\n` +
                    '  Ctrl-C stops the worker and the server\n',
                );
              },
            });
          }
        } finally {
          progress.stop();
          await server.stop();
          runtime.removeDevServerRecord(recordFile, server.pid);
          ctx.term.out('dev server stopped\n');
        }
        setExit(EXIT.ok);
      } finally {
        progress.stop();
        for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      }

      /** Stops the server an earlier `pipectl dev` left running (killed outright), saying so. */
      async function stopLeftBehind(file: string): Promise<void> {
        const found = runtime.inspectDevServerRecord(file);
        if (found.state === 'none') return;
        const { pid, port: oldPort, startedAt } = found.record;
        if (found.state === 'unverifiable') {
          throw new UsageError(
            `${where(file)} records a Temporal dev server (PID ${pid}, port ${oldPort}) that may still run, ` +
              'and this system cannot confirm that PID is it',
            `stop PID ${pid} if it is that server, delete ${where(file)}, and run pipectl dev again`,
          );
        }
        if (found.state === 'running') {
          ctx.term.out(
            `stopping the Temporal dev server an earlier pipectl dev left running (PID ${pid}, port ${oldPort}, started ${startedAt}) ...\n`,
          );
          await runtime.stopRecordedDevServer(found.record);
          ctx.term.out(`stopped PID ${pid}; starting afresh\n`);
        }
        runtime.removeDevServerRecord(file, pid);
      }
    });
}

/** The port of a loopback `host:port`, where a dev server can listen; undefined for a remote address. */
function localPort(address: string): number | undefined {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(address);
  return match ? Number(match[2]) : undefined;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
