// `pipectl compile`: the project's plan as JSON, for tools and for reading what will run.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { compileOrReport } from './compile-or-report.js';
import { NO_CACHE_HELP, usesCache } from './options.js';

export function registerCompile(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('compile')
    .summary('print the compiled plan (datasets, pipelines, ordered steps, resolved SQL) as JSON')
    .description(
      'Compile a project and print its plan as JSON: every dataset with its columns, and every pipeline\n' +
        'with its sources and its steps in execution order, with resolved SQL, inputs and gates.\n' +
        'Problems go to stderr exactly as `pipectl validate` reports them.',
    )
    .argument('[project]', 'project directory (default: the nearest directory with pipectl.yaml, else .)')
    .option('-o, --out <file>', 'write the plan to <file> instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl compile > plan.json
  $ pipectl compile examples/task-analytics | jq '.pipelines[].steps[].name'`,
    )
    .option('--no-cache', NO_CACHE_HELP)
    .action(async (dir: string | undefined, options: { out?: string; cache?: boolean }) => {
      const root = resolveProjectDir(dir, ctx.cwd);
      const result = await compileOrReport(ctx, root, 'not compiled', setExit, { cache: usesCache(options) });
      if (!result) return;
      const json = `${JSON.stringify(result.plan, null, 2)}\n`;
      if (options.out !== undefined) {
        const file = resolve(ctx.cwd, options.out);
        writeFileSync(file, json);
        ctx.term.err(`wrote ${displayPath(file, ctx.cwd)}\n`);
      } else {
        ctx.term.out(json);
      }
      setExit(EXIT.ok);
    });
}
