// `pipectl validate`: load and compile a project, report every problem in every file at once.
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';
import { NO_CACHE_HELP, parseFormat, usesCache } from './options.js';

export function registerValidate(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('validate')
    .summary('check contracts, pipelines and their SQL; report every problem')
    .description(
      'Load every contract and pipeline of a project, resolve every reference, parse every SQL step\n' +
        'with DuckDB and trace its columns, and report all problems at once with file:line:col.',
    )
    .argument('[project]', 'project directory (default: the nearest directory with pipectl.yaml, else .)')
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--strict', 'treat warnings as failures (exit 1)')
    .option('--no-cache', NO_CACHE_HELP)
    .addHelpText(
      'after',
      `
Exit codes:
  0  the project is valid
  1  only warnings, and --strict was given
  2  errors: the project cannot be compiled as written

Examples:
  $ pipectl validate
  $ pipectl validate examples/task-analytics
  $ pipectl validate --format json | jq '.issues[] | .code'`,
    )
    .action(
      async (dir: string | undefined, options: { format: string; strict?: boolean; cache?: boolean }) => {
        const format = parseFormat(options.format, ['text', 'json']);
        const root = resolveProjectDir(dir, ctx.cwd);
        const { compile } = await import('@pipectl/compiler');
        const result = await compile(root, { cache: usesCache(options) });
        const { errors, warnings } = summarizeIssues(result.issues);
        const datasets = result.plan.datasets.length;
        const pipelines = result.plan.pipelines.length;
        if (format === 'json') {
          ctx.term.out(
            `${JSON.stringify({ project: root, valid: errors === 0, errors, warnings, issues: result.issues }, null, 2)}\n`,
          );
        } else {
          if (result.issues.length > 0)
            ctx.term.err(`${renderIssues(result.issues, ctx.paint, sourceReader(root))}\n\n`);
          const where = displayPath(root, ctx.cwd);
          const counted = `${plural(datasets, 'contract')}, ${plural(pipelines, 'pipeline')}`;
          if (errors > 0) {
            ctx.term.err(
              `${ctx.paint('red', 'invalid')} ${where}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
            );
          } else {
            const mark = ctx.paint('green', '✓');
            const warned = warnings > 0 ? ` (${plural(warnings, 'warning')})` : '';
            ctx.term.out(
              `${mark} project "${result.plan.project.name}" (${where}): ${counted} valid${warned}\n`,
            );
          }
        }
        setExit(errors > 0 ? EXIT.usage : warnings > 0 && options.strict ? EXIT.checkFailed : EXIT.ok);
      },
    );
}
