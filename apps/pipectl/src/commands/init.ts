// `pipectl init`: a new project that validates as written, with editor completion set up.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SCHEMA_KINDS } from '@pipectl/spec/lite';
import type { Command } from 'commander';
import { type CliContext, displayPath } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { initTemplate } from './init-template.js';

export function registerInit(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('init')
    .summary('create a new project with an example contract, pipeline and data')
    .description(
      'Create a project directory with pipectl.yaml, two contracts, a pipeline, sample CSV data, the JSON\n' +
        'Schemas and VS Code settings so contracts and pipelines complete as you type.',
    )
    .argument('[dir]', 'directory to create the project in', '.')
    .option('--name <name>', 'project name (default: the directory name)')
    .option(
      '--force',
      'write into a non-empty directory (existing files with the same names are overwritten)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl init my-project && cd my-project && pipectl validate
  $ pipectl init . --name analytics`,
    )
    .action(async (dir: string, options: { name?: string; force?: boolean }) => {
      const root = resolve(ctx.cwd, dir);
      if (existsSync(root) && readdirSync(root).length > 0 && !options.force) {
        throw new UsageError(
          `${displayPath(root, ctx.cwd)} is not empty`,
          'choose a new directory, or pass --force to add the example files to it',
        );
      }
      const name = options.name ?? basename(root);
      const files: Record<string, string> = { ...initTemplate(name) };
      const { documentJsonSchemaText } = await import('@pipectl/spec');
      for (const kind of SCHEMA_KINDS) files[`schemas/${kind}.schema.json`] = documentJsonSchemaText(kind);
      for (const [path, content] of Object.entries(files)) {
        const target = join(root, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
      const where = displayPath(root, ctx.cwd);
      ctx.term.out(
        `${ctx.paint('green', 'created')} project "${name}" in ${where} (${Object.keys(files).length} files)\n\n` +
          `Next:\n  cd ${where}\n  pipectl validate\n  pipectl lineage analytics.daily_signups --upstream\n`,
      );
      setExit(EXIT.ok);
    });
}
