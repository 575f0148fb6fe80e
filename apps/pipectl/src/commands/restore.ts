// `pipectl restore <dataset> --version N`: republishes an earlier version of a dataset (its number in
// `pipectl history`) as a durable run on Temporal, through the same compatibility check against what
// consumers see now, approval by the contract's approvers when it breaks them, and atomic
// publication as any run: a rollback cannot bypass the contract. Needs a lakehouse target, whose
// versions are snapshots; the embedded DuckDB file keeps only the current data.
import type { PipelinePlan, StepPlan } from '@pipectl/compiler';
import type { NumberedVersion, ProjectRuns } from '@pipectl/project';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { renderRunStatus } from '../render/run-status.js';
import { UsageError } from '../usage-error.js';
import { compileOrReport } from './compile-or-report.js';
import { NO_CACHE_HELP, parsePositiveInt, usesCache } from './options.js';
import { progressPrinter, sayWhoServes } from './run.js';
import { addTemporalOptions, type TemporalFlags, temporalOptionsOf, webUiUrl } from './temporal-options.js';

interface RestoreOptions extends TemporalFlags {
  /** false with --no-cache. */
  cache?: boolean;
  project?: string;
  version?: string;
  wait?: boolean;
}

export function registerRestore(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('restore')
    .summary('republish an earlier version of a dataset, through the same compatibility check and approval')
    .description(
      'Start a durable run on Temporal that republishes version N of a dataset (numbered as\n' +
        '`pipectl history` lists them) from its snapshot, under the contract published with it. Like any\n' +
        'run it compares the schema with what consumers see now and, when that breaks them, waits for an\n' +
        'approver of the contract (`pipectl approve` / `reject`); then it publishes atomically as a new\n' +
        'version. The run id says what it restores: pipectl-<project>-restore-<dataset>-v<N>-<time>.\n' +
        'Needs a lakehouse (DuckLake) target: the embedded DuckDB file keeps only the current data.',
    )
    .argument('<dataset>', 'a dataset a step produces, e.g. mart.daily_revenue')
    .requiredOption('--version <n>', 'the version to republish, as `pipectl history <dataset>` numbers it')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option(
      '--wait',
      'follow the run until it ends; exit 0 when it publishes, 1 when it fails or is rejected',
    );
  addTemporalOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl history mart.daily_revenue --target prod          # find the version
  $ pipectl restore mart.daily_revenue --version 3 --target prod --wait
  $ pipectl approve <run id> --as alice --comment "roll back the bad release"   # if it breaks consumers

Docs: docs/running.md (history and time travel)`,
    )
    .option('--no-cache', NO_CACHE_HELP)
    .action(async (dataset: string, options: RestoreOptions) => {
      const version = parsePositiveInt(options.version ?? '', '--version');
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { openProject, connectProject } = await import('@pipectl/project');
      const project = await openProject(root, { target: options.target, cache: usesCache(options) });
      const compiled = await compileOrReport(ctx, root, 'not restored', setExit, project);
      if (!compiled) return;
      const producer = compiled.plan.pipelines.flatMap((pipeline) =>
        pipeline.steps.filter((step) => step.produces === dataset).map((step) => ({ pipeline, step })),
      )[0];
      if (!producer) {
        const { didYouMean } = await import('@pipectl/spec');
        const produced = compiled.plan.pipelines.flatMap((p) => p.steps.map((s) => s.produces));
        throw new UsageError(
          `PIPE5220 no step of ${displayPath(root, ctx.cwd)} produces "${dataset}": a restore republishes a dataset through the step that produces it`,
          didYouMean(dataset, produced) ?? `datasets steps produce: ${produced.join(', ') || 'none'}`,
        );
      }
      const { warehouse } = project.target();
      if (warehouse.kind === 'duckdb') {
        throw new UsageError(
          `PIPE6045 cannot restore ${dataset}: the target's warehouse is the DuckDB file ${warehouse.path}, which keeps only the current data`,
          'use a lakehouse target (kind: ducklake), whose versions are snapshots: `pipectl restore --target <name>` (docs/deploying.md)',
        );
      }
      const { versions } = await project.history(dataset);
      if (version > versions.length) {
        throw new UsageError(
          `PIPE5221 ${dataset} has no version ${version}: ${versions.length} published`,
          `\`pipectl history ${dataset}${options.target ? ` --target ${options.target}` : ''}\` lists them`,
        );
      }

      const runs = await connectProject(root, temporalOptionsOf(options));
      try {
        setExit(
          await restoreAndFollow(
            ctx,
            runs,
            root,
            { dataset, version, producer, from: versions[version - 1] },
            options.wait === true,
          ),
        );
      } finally {
        await runs.close();
      }
    });
}

/** Starts the restore run, says what it restores, and with `wait` follows it; the exit code. */
async function restoreAndFollow(
  ctx: CliContext,
  runs: ProjectRuns,
  root: string,
  what: {
    readonly dataset: string;
    readonly version: number;
    readonly producer: { readonly pipeline: PipelinePlan; readonly step: StepPlan };
    readonly from: NumberedVersion | undefined;
  },
  wait: boolean,
): Promise<number> {
  const { dataset, version, producer, from } = what;
  const started = await runs.restore(producer.pipeline.name, dataset, version);
  const ui = webUiUrl(runs.settings, started.runId);
  ctx.term.out(
    `${ctx.paint('green', 'started')} restore ${ctx.paint('bold', started.runId)}: ${dataset} version ${version}` +
      `${from ? ` (contract ${from.contractVersion}, ${from.rowsWritten} rows, run ${from.runId})` : ''}` +
      ` by step ${producer.step.name} of ${producer.pipeline.name}\n`,
  );
  if (ui) ctx.term.out(`  web UI: ${ui}\n`);
  await sayWhoServes(ctx, runs, root);
  if (!wait) {
    ctx.term.out(`  follow: pipectl status ${started.runId}\n`);
    return EXIT.ok;
  }
  const final = await runs.watch(started.runId, progressPrinter(ctx));
  ctx.term.out(`\n${renderRunStatus(final, ctx.paint, ui)}`);
  return final.status === 'succeeded' ? EXIT.ok : EXIT.checkFailed;
}
