// `pipectl worker`: the process that does the work of runs (`pipectl dev` starts one too, see dev.ts).
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parsePositiveInt } from './options.js';
import { asUsageError } from './run-errors.js';
import { addTemporalOptions, type TemporalFlags, temporalSettings } from './temporal-options.js';

interface WorkerFlags extends TemporalFlags {
  project?: string;
  concurrency: string;
  lockWait: string;
}

export const LOCK_WAIT_HELP =
  'seconds an activity waits for a warehouse file another program holds (a DuckDB shell) before it fails and retries';

export function registerWorker(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const worker = program
    .command('worker')
    .summary('run a worker: executes pipeline runs of this project until stopped')
    .description(
      'Poll the task queue and execute pipeline runs: extraction, steps, gates and publication in the\n' +
        "project's DuckDB warehouse. The task queue is the project's own (pipectl-<name>, or as\n" +
        "pipectl.yaml names it); a worker refuses a task queue another project's worker polls.\n" +
        'Stop with Ctrl-C: running activities get a grace period, and a retry on the next worker\n' +
        'finishes anything interrupted. One worker process per warehouse file\n' +
        '(DuckDB has a single writer); scale out with one warehouse per worker.',
    )
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--concurrency <n>', 'activities run at once (they take turns on one warehouse)', '8')
    .option('--lock-wait <seconds>', LOCK_WAIT_HELP, '120');
  addTemporalOptions(worker)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl worker\n  $ pipectl worker -p examples/task-analytics\n  $ TEMPORAL_ADDRESS=temporal.internal:7233 pipectl worker --namespace data',
    )
    .action(async (options: WorkerFlags) => {
      const root = resolveProjectDir(options.project, ctx.cwd);
      const concurrency = parsePositiveInt(options.concurrency, '--concurrency');
      const lockWaitSeconds = parsePositiveInt(options.lockWait, '--lock-wait');
      const settings = await temporalSettings(options, root);
      const runtime = await import('@pipectl/runtime');
      runtime.setSdkLogLevel('WARN');
      try {
        await runtime.runWorker({
          address: settings.address,
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          projectDir: root,
          project: settings.project,
          maxConcurrentActivityTaskExecutions: concurrency,
          warehouseLockTimeoutMs: lockWaitSeconds * 1000,
          onReady: () =>
            ctx.term.out(
              `${ctx.paint('green', 'worker ready')}: project ${settings.project} (${displayPath(root, ctx.cwd)}) on ${settings.address}, ` +
                `namespace ${settings.namespace}, task queue ${settings.taskQueue} (Ctrl-C to stop)\n`,
            ),
        });
        ctx.term.out('worker stopped\n');
        setExit(EXIT.ok);
      } catch (error) {
        await asUsageError(error);
      }
    });
}
