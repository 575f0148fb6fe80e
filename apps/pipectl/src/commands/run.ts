// `pipectl run`: starts a durable pipeline run on Temporal (deduplicated by project, pipeline and
// date) and, with --wait, follows its steps, gates and approvals until it ends. When no worker of
// the project polls its task queue, it says which command starts one (the run waits for it).
import type { PipelinePlan, ProjectPlan } from '@pipectl/compiler';
import type { ProjectRuns } from '@pipectl/project';
import type { RunStatusReport, StepState } from '@pipectl/runtime';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { awaitingOf, renderRunStatus } from '../render/run-status.js';
import { UsageError } from '../usage-error.js';
import { compileOrReport } from './compile-or-report.js';
import { NO_CACHE_HELP, parseCalendarDate, usesCache } from './options.js';
import {
  hasSelection,
  SELECTOR_HELP,
  type SelectionOptions,
  selectedDatasets,
  withSelectOptions,
} from './selection.js';
import { addTemporalOptions, type TemporalFlags, temporalOptionsOf, webUiUrl } from './temporal-options.js';

interface RunOptions extends TemporalFlags, SelectionOptions {
  /** false with --no-cache. */
  cache?: boolean;
  project?: string;
  date?: string;
  wait?: boolean;
  rerun?: boolean;
  prUrl?: string;
  quiet?: boolean;
}

export function registerRun(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('run')
    .summary('start a durable run of a pipeline on Temporal')
    .description(
      "Compile the project and start the pipeline as a Temporal workflow on the project's task queue.\n" +
        'The run id is derived from the project, the pipeline and the logical date\n' +
        '(pipectl-<project>-<pipeline>-<date>), so starting the same run twice attaches to the first one.\n' +
        'A worker of the project (`pipectl worker`, or `pipectl dev` locally) does the work; when none\n' +
        'polls the task queue, the run waits for one and pipectl says which command starts it. With\n' +
        '--wait, follow the steps, gates and approvals until the run ends.\n' +
        'With --select instead of a pipeline, every pipeline that lands or produces a selected\n' +
        'dataset runs, whole (a run is always a whole pipeline), upstream pipelines first; with\n' +
        '--wait each is followed to its end before the next starts, and a failure stops the rest.',
    )
    .argument('[pipeline]', 'pipeline name, e.g. shop_marts (or name datasets with --select)')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--date <YYYY-MM-DD>', 'logical date of the run (default: today, UTC)')
    .option(
      '--pr-url <url>',
      "the pull request this revision belongs to, shown beside the change (default: $PIPECTL_PR_URL, or GitHub Actions' pull request)",
    )
    .option('--wait', 'follow the run until it ends; exit 0 when it succeeds, 1 when it fails or is rejected')
    .option('-q, --quiet', 'with --wait: no progress on stderr (steps under way, retries and their cause)')
    .option(
      '--rerun',
      'run again even though this pipeline and date already ran (a new attempt, -r2, -r3, ...)',
    );
  withSelectOptions(command, 'the pipelines writing them run');
  addTemporalOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl dev &                                 # local Temporal + worker, once
  $ pipectl run shop_staging --wait
  $ pipectl run shop_marts --date 2026-11-21 --wait
  $ pipectl run shop_marts --temporal-address temporal.internal:7233 --namespace data
  $ pipectl run --select +mart.daily_revenue --wait   # the pipelines building it, upstream first
${SELECTOR_HELP}`,
    )
    .option('--no-cache', NO_CACHE_HELP)
    .action(async (pipelineName: string | undefined, options: RunOptions) => {
      if (pipelineName !== undefined && hasSelection(options)) {
        throw new UsageError(
          'give either a pipeline or --select/--exclude, not both',
          'a run is a whole pipeline: name it, or select datasets and let pipectl run the pipelines writing them',
        );
      }
      if (pipelineName === undefined && !hasSelection(options)) {
        throw new UsageError(
          'name a pipeline to run, or select datasets with --select',
          'e.g. pipectl run shop_daily, or pipectl run --select +mart.daily_revenue',
        );
      }
      const { openProject, connectProject } = await import('@pipectl/project');
      const logicalDate = options.date === undefined ? undefined : parseCalendarDate(options.date, '--date');
      const root = resolveProjectDir(options.project, ctx.cwd);
      const project = await openProject(root, { target: options.target, cache: usesCache(options) });
      const compiled = await compileOrReport(ctx, root, 'not started', setExit, project);
      if (!compiled) return;
      const pipelines = await pipelinesToRun(ctx, root, compiled.plan, pipelineName, options);
      if (pipelineName === undefined)
        ctx.term.out(
          `selected ${pipelines.length} pipeline${pipelines.length === 1 ? '' : 's'}: ${pipelines.join(', ')}\n`,
        );

      const runs = await connectProject(root, {
        ...temporalOptionsOf(options),
        projectDocument: project.loaded.projectDocument ?? null,
      });
      try {
        setExit(await startEach(ctx, runs, root, pipelines, { ...options, logicalDate }));
      } finally {
        await runs.close();
      }
    });
}

/** The pipeline named, or the pipelines writing the selected datasets; a usage error when none. */
async function pipelinesToRun(
  ctx: CliContext,
  root: string,
  plan: ProjectPlan,
  pipelineName: string | undefined,
  options: RunOptions,
): Promise<string[]> {
  const names = plan.pipelines.map((p) => p.name);
  if (pipelineName !== undefined && !names.includes(pipelineName)) {
    const { didYouMean } = await import('@pipectl/spec');
    throw new UsageError(
      `no pipeline "${pipelineName}" in ${displayPath(root, ctx.cwd)}`,
      didYouMean(pipelineName, names) ?? `pipelines: ${names.join(', ')}`,
    );
  }
  const pipelines =
    pipelineName !== undefined
      ? [pipelineName]
      : pipelinesWriting(plan, (await selectedDatasets(plan, options)) ?? new Set());
  if (pipelines.length === 0) {
    throw new UsageError(
      'the selection names no dataset that a pipeline lands or produces',
      'select datasets that a pipeline writes, e.g. --select pipeline:<name>',
    );
  }
  return pipelines;
}

/** Starts each pipeline in turn (with --wait, the next once the one before succeeded); the exit code. */
async function startEach(
  ctx: CliContext,
  runs: ProjectRuns,
  root: string,
  pipelines: readonly string[],
  options: RunOptions & { readonly logicalDate: string | undefined },
): Promise<number> {
  const { settings } = runs;
  for (const [index, pipeline] of pipelines.entries()) {
    const started = await runs.start(pipeline, {
      logicalDate: options.logicalDate,
      ...(options.rerun ? { rerun: true } : {}),
      pullRequest: options.prUrl,
    });
    const ui = webUiUrl(settings, started.runId);
    const said = {
      started: `${ctx.paint('green', 'started')} run ${ctx.paint('bold', started.runId)}`,
      attached: `${ctx.paint('cyan', 'attached')} to run ${ctx.paint('bold', started.runId)}, which is already running`,
      'already-run': `run ${ctx.paint('bold', started.runId)} already ran (${started.closedStatus?.toLowerCase() ?? 'closed'}); pass --rerun to run again`,
    }[started.outcome];
    ctx.term.out(`${said}\n`);
    if (ui) ctx.term.out(`  web UI: ${ui}\n`);
    if (started.outcome !== 'already-run' && index === 0) await sayWhoServes(ctx, runs, root);
    if (!options.wait) {
      ctx.term.out(`  follow: pipectl status ${started.runId}\n`);
      continue;
    }
    const { runProgress, withProgress } = await import('../io/progress.js');
    const printer = progressPrinter(ctx);
    const final = await withProgress(ctx, options.quiet, (progress) => {
      const live = runProgress(progress);
      return runs.watch(started.runId, (status) => {
        printer(status);
        live(status);
      });
    });
    ctx.term.out(`\n${renderRunStatus(final, ctx.paint, ui)}`);
    if (final.status !== 'succeeded') {
      const rest = pipelines.slice(index + 1);
      if (rest.length > 0)
        ctx.term.out(`not started, because ${pipeline} did not succeed: ${rest.join(', ')}\n`);
      return EXIT.checkFailed;
    }
  }
  return EXIT.ok;
}

/**
 * The pipelines that land or produce a selected dataset, each after the selected pipelines it
 * reads from (a run is a whole pipeline: the workflow takes no subset of steps).
 */
export function pipelinesWriting(plan: ProjectPlan, selected: ReadonlySet<string>): string[] {
  const writes = (p: PipelinePlan) =>
    p.sources.some((source) => selected.has(source.dataset)) ||
    p.steps.some((step) => selected.has(step.produces));
  const byName = new Map(plan.pipelines.map((p) => [p.name, p]));
  const order: string[] = [];
  const seen = new Set<string>();
  // Depth first through every pipeline, so one unselected pipeline between two selected ones
  // still orders them.
  const visit = (name: string) => {
    const current = byName.get(name);
    if (!current || seen.has(name)) return;
    seen.add(name);
    for (const upstream of current.dependsOnPipelines) visit(upstream);
    if (writes(current)) order.push(name);
  };
  for (const p of plan.pipelines) visit(p.name);
  return order;
}

/**
 * Says so when no worker of this project polls the task queue (the run waits until one does), and
 * which command starts one. Best effort: a server that does not answer DescribeTaskQueue says nothing.
 */
export async function sayWhoServes(ctx: CliContext, runs: ProjectRuns, root: string): Promise<void> {
  const { settings } = runs;
  const workers = await runs.workers();
  if (!workers || workers.some((w) => w.project === null || w.project === settings.project)) return;
  const dir = displayPath(root, ctx.cwd);
  const flags = dir === '.' ? '' : ` -p ${dir}`;
  const others = [...new Set(workers.map((w) => w.project))];
  const why =
    others.length === 0
      ? `no worker polls task queue ${settings.taskQueue}`
      : `task queue ${settings.taskQueue} is polled only by workers of project ${others.join(', ')}, which refuse this project's runs`;
  const local = webUiUrl(settings) ? `, or \`pipectl dev${flags}\` for a local Temporal with a worker` : '';
  ctx.term.out(
    `${ctx.paint('yellow', 'no worker serves this run yet')}: ${why}; the run starts when one does.\n` +
      `  start one: pipectl worker${flags}${local}\n`,
  );
}

/** Prints one line per change of the run or of a step, and the approval prompt once per wait. */
export function progressPrinter(ctx: CliContext): (status: RunStatusReport) => void {
  const seen = new Map<string, StepState>();
  let lastStatus = '';
  const prompted = new Set<string>();
  return (status) => {
    const time = new Date().toISOString().slice(11, 19);
    if (status.status !== lastStatus) {
      lastStatus = status.status;
      ctx.term.out(`${ctx.paint('gray', time)} run ${status.status}\n`);
    }
    const view = status.view;
    if (!view) return;
    for (const step of view.steps) {
      if (seen.get(step.name) === step.state) continue;
      seen.set(step.name, step.state);
      const report = step.report;
      const extra = report
        ? ctx.paint(
            'gray',
            ` (${report.rowsWritten} rows, ${report.checks.filter((c) => c.passed).length}/${report.checks.length} checks passed)`,
          )
        : '';
      ctx.term.out(`${ctx.paint('gray', time)}   ${step.name}: ${step.state}${extra}\n`);
    }
    for (const pending of awaitingOf(view)) {
      const key = `${pending.step}@${pending.since}`;
      if (prompted.has(key)) continue;
      prompted.add(key);
      const c = pending.compatibility;
      ctx.term.out(
        `${ctx.paint('yellow', `waiting for approval: ${c.verdict} change to ${pending.dataset}`)} ` +
          `(${c.changes.map((change) => change.rule).join(', ')}; fingerprint ${pending.fingerprint})\n` +
          `  approve: pipectl approve ${status.runId} --as ${pending.approvers[0] ?? 'NAME'} --step ${pending.step} --fingerprint ${pending.fingerprint} --comment "why"\n`,
      );
    }
  };
}
