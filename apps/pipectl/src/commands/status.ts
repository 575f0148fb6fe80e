// `pipectl status` and `pipectl runs`: one run in detail, or the list of runs with filters.
import type { ProjectRuns } from '@pipectl/project';
import type { RunStatus } from '@pipectl/runtime';
import type { Command } from 'commander';
import { type CliContext, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { renderRunStatus } from '../render/run-status.js';
import { UsageError } from '../usage-error.js';
import { parseFormat, parsePositiveInt } from './options.js';
import { addTemporalOptions, type TemporalFlags, temporalOptionsOf, webUiUrl } from './temporal-options.js';

const RUN_STATUSES: readonly RunStatus[] = [
  'planning',
  'extracting',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'rejected',
];

export function registerStatus(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const status = program
    .command('status')
    .summary('show a run: steps, gates, the pending schema change, decisions')
    .argument('<run>', 'run id, as `pipectl run` and `pipectl runs` print it')
    .option(
      '-p, --project <dir>',
      'project whose pipectl.yaml names the Temporal settings (default: nearest)',
    )
    .option('--format <format>', 'text or json', 'text');
  addTemporalOptions(status)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl status pipectl-shop-shop_marts-2026-11-22\n  $ pipectl status pipectl-shop-shop_marts-2026-11-22 --format json | jq .view.awaiting',
    )
    .action(async (runId: string, options: TemporalFlags & { project?: string; format: string }) => {
      const format = parseFormat(options.format, ['text', 'json']);
      const { connectProject } = await import('@pipectl/project');
      const runs = await connectProject(
        resolveProjectDir(options.project, ctx.cwd),
        temporalOptionsOf(options),
      );
      try {
        const report = await runs.status(runId);
        if (format === 'json') ctx.term.out(`${JSON.stringify(report, null, 2)}\n`);
        else ctx.term.out(renderRunStatus(report, ctx.paint, webUiUrl(runs.settings, runId)));
        setExit(EXIT.ok);
      } finally {
        await runs.close();
      }
    });

  const runs = program
    .command('runs')
    .summary("list this project's runs, newest first, filtered by status, pipeline or waiting for approval")
    .description(
      "List the project's runs (those whose PipectlProject is the `name` in its pipectl.yaml), newest\n" +
        'first. --all-projects lists every run in the namespace, with its project (runs started\n' +
        'before runs carried their project show "-").',
    )
    .option(
      '-p, --project <dir>',
      'the project whose runs to list, and whose pipectl.yaml names the Temporal settings (default: nearest)',
    )
    .option('--all-projects', 'list the runs of every project in the namespace')
    .option('--status <status>', `only runs in this status: ${RUN_STATUSES.join(', ')}`)
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option(
      '--awaiting-approval',
      'only runs waiting for a decision, with the steps they wait on and fingerprints',
    )
    .option('--limit <n>', 'at most n runs', '50')
    .option('--format <format>', 'text or json', 'text');
  addTemporalOptions(runs)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl runs --awaiting-approval\n  $ pipectl runs --pipeline shop_marts --status failed\n  $ pipectl runs --all-projects',
    )
    .action(
      async (
        options: TemporalFlags & {
          project?: string;
          allProjects?: boolean;
          status?: string;
          pipeline?: string;
          awaitingApproval?: boolean;
          limit: string;
          format: string;
        },
      ) => {
        const format = parseFormat(options.format, ['text', 'json']);
        if (options.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(options.status)) {
          throw new UsageError(
            `unknown status "${options.status}"`,
            `use one of: ${RUN_STATUSES.join(', ')}`,
          );
        }
        const limit = parsePositiveInt(options.limit, '--limit');
        const { connectProject } = await import('@pipectl/project');
        const project = await connectProject(
          resolveProjectDir(options.project, ctx.cwd),
          temporalOptionsOf(options),
        );
        const { settings } = project;
        const rows = await listed(project, { ...options, limit }).finally(() => project.close());
        if (format === 'json') ctx.term.out(`${JSON.stringify(rows, null, 2)}\n`);
        else ctx.term.out(runsText(ctx, rows, settings.project, options.allProjects === true));
        setExit(EXIT.ok);
      },
    );
}

/** The runs the flags ask for; waiting runs also name the steps they wait on (one query each). */
async function listed(
  project: ProjectRuns,
  options: {
    allProjects?: boolean;
    status?: string;
    pipeline?: string;
    awaitingApproval?: boolean;
    limit: number;
  },
) {
  const list = await project.list({
    limit: options.limit,
    ...(options.allProjects ? { allProjects: true } : {}),
    ...(options.status ? { status: options.status as RunStatus } : {}),
    ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    ...(options.awaitingApproval ? { awaitingApproval: true } : {}),
  });
  return Promise.all(
    list.map(async (run) => {
      if (!options.awaitingApproval || !run.awaitingApproval) return run;
      const waiting = await project.waitingOf(run.runId);
      return {
        ...run,
        waiting:
          waiting?.map((p) => ({ step: p.step, dataset: p.dataset, fingerprint: p.fingerprint })) ?? null,
      };
    }),
  );
}

type ListedRun = Awaited<ReturnType<typeof listed>>[number];

/** The runs as lines: id, status, start, what waits, and under a waiting run its steps and fingerprints. */
function runsText(
  ctx: CliContext,
  rows: readonly ListedRun[],
  project: string,
  allProjects: boolean,
): string {
  if (rows.length === 0)
    return allProjects
      ? 'no runs match\n'
      : `no runs of project ${project} match (--all-projects lists every project's)\n`;
  const lines: string[] = [];
  for (const run of rows) {
    const waiting = run.awaitingApproval ? ctx.paint('yellow', '  awaiting approval') : '';
    const change = run.datasets.length
      ? ctx.paint('gray', `  ${run.verdict ?? 'change'}: ${run.datasets.join(', ')}`)
      : '';
    const owner = allProjects ? `${(run.project ?? '-').padEnd(20)} ` : '';
    lines.push(
      `${owner}${run.runId.padEnd(52)} ${(run.status ?? run.execution.toLowerCase()).padEnd(18)} ${run.startTime.toISOString().slice(0, 19)}Z${waiting}${change}\n`,
    );
    if (!('waiting' in run)) continue;
    if (run.waiting === null) lines.push(ctx.paint('gray', '    (no worker answered: steps unknown)\n'));
    for (const p of run.waiting ?? [])
      lines.push(`    step ${p.step} → ${p.dataset}  fingerprint ${p.fingerprint}\n`);
  }
  return lines.join('');
}
