// `pipectl deploy`: turns the project's pipeline schedules into Temporal Schedules (created or
// updated, idempotent), each starting `pipelineRun` with the scheduled time's date as logical date.
import type { Command } from 'commander';
import { type CliContext, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { compileOrReport } from './compile-or-report.js';
import { NO_CACHE_HELP, usesCache } from './options.js';
import { addTemporalOptions, type TemporalFlags, temporalOptionsOf } from './temporal-options.js';

export function registerDeploy(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('deploy')
    .summary("turn the pipelines' schedules into Temporal Schedules")
    .description(
      'Compile the project and create or update one Temporal Schedule per pipeline with a `schedule`\n' +
        '(cron and time zone). Each scheduled run takes the calendar date of its scheduled time, in the\n' +
        "pipeline's time zone, as its logical date. Running deploy again updates the schedules in place.",
    )
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--prune', "delete this project's schedules whose pipeline no longer has a schedule");
  addTemporalOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pipectl deploy\n  $ pipectl deploy --prune --temporal-address temporal.internal:7233',
    )
    .option('--no-cache', NO_CACHE_HELP)
    .action(async (options: TemporalFlags & { project?: string; prune?: boolean; cache?: boolean }) => {
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { openProject, connectProject } = await import('@pipectl/project');
      const project = await openProject(root, { target: options.target, cache: usesCache(options) });
      const compiled = await compileOrReport(ctx, root, 'not deployed', setExit, project);
      if (!compiled) return;
      const runs = await connectProject(root, temporalOptionsOf(options));
      const result = await runs
        .deploy(compiled.plan, options.prune ? { prune: true } : {})
        .finally(() => runs.close());
      for (const id of result.created) ctx.term.out(`${ctx.paint('green', 'created')} ${id}\n`);
      for (const id of result.updated) ctx.term.out(`${ctx.paint('cyan', 'updated')} ${id}\n`);
      for (const id of result.deleted) ctx.term.out(`${ctx.paint('yellow', 'deleted')} ${id}\n`);
      if (result.created.length + result.updated.length + result.deleted.length === 0) {
        ctx.term.out('no pipeline has a schedule: nothing to deploy\n');
      }
      setExit(EXIT.ok);
    });
}
