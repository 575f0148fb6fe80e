// `pipectl worker`: the process that does the work of runs (`pipectl dev` starts one too, see dev.ts).
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parsePositiveInt } from './options.js';
import { addTemporalOptions, type TemporalFlags, temporalSettings } from './temporal-options.js';

interface WorkerFlags extends TemporalFlags {
  project?: string;
  concurrency: string;
  lockWait: string;
  quiet?: boolean;
}

export const LOCK_WAIT_HELP =
  'seconds an activity waits for a warehouse file another program holds (a DuckDB shell) before it fails and retries';

export function registerWorker(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const worker = program
    .command('worker')
    .summary('run a worker: executes pipeline runs of this project until stopped')
    .description(
      'Poll the task queue and execute pipeline runs: extraction, steps, gates and publication in the\n' +
        "warehouse of the project's target (--target). The task queue is the project's own\n" +
        '(pipectl-<name>, or as pipectl.yaml names it); a worker refuses a task queue another\n' +
        "project's worker polls. Stop with Ctrl-C: running activities get a grace period, and a\n" +
        'retry on the next worker finishes anything interrupted. On the embedded DuckDB file, one\n' +
        'worker process per file (DuckDB has a single writer); on a lakehouse target (DuckLake,\n' +
        'catalog in PostgreSQL) start as many workers as you like, on any machines.',
    )
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option(
      '--concurrency <n>',
      'activities run at once (on a DuckDB file they take turns; on a lakehouse they run in parallel)',
      '8',
    )
    .option('--lock-wait <seconds>', LOCK_WAIT_HELP, '120')
    .option('-q, --quiet', 'no start-up progress on stderr (connecting, bundling the workflow, polling)');
  addTemporalOptions(worker)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl worker\n  $ pipectl worker -p examples/task-analytics\n  $ pipectl worker --target prod   # one of many workers on the prod lakehouse\n  $ TEMPORAL_ADDRESS=temporal.internal:7233 pipectl worker --namespace data',
    )
    .action(async (options: WorkerFlags) => {
      const root = resolveProjectDir(options.project, ctx.cwd);
      const concurrency = parsePositiveInt(options.concurrency, '--concurrency');
      const lockWaitSeconds = parsePositiveInt(options.lockWait, '--lock-wait');
      const settings = await temporalSettings(options, root);
      const runtime = await import('@pipectl/runtime');
      runtime.setSdkLogLevel('WARN');
      const { withProgress, workerStages } = await import('../io/progress.js');
      await withProgress(ctx, options.quiet, (progress) =>
        runtime.runWorker({
          onStage: workerStages(progress),
          address: settings.address,
          ...(settings.tls ? { tls: settings.tls } : {}),
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          projectDir: root,
          project: settings.project,
          ...(settings.target ? { target: settings.target } : {}),
          maxConcurrentActivityTaskExecutions: concurrency,
          warehouseLockTimeoutMs: lockWaitSeconds * 1000,
          onReady: (ready) =>
            ctx.term.out(
              `${ctx.paint('green', 'worker ready')}: project ${settings.project} (${displayPath(root, ctx.cwd)}) on ${settings.address}, ` +
                `namespace ${settings.namespace}, task queue ${settings.taskQueue} (Ctrl-C to stop)\n` +
                (ready.serves
                  ? `  warehouse: ${ready.serves.warehouse} (target ${ready.serves.target})\n`
                  : ''),
            ),
        }),
      );
      ctx.term.out('worker stopped\n');
      setExit(EXIT.ok);
    });
}
