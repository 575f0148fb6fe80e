// `pipectl schema`: prints or writes the JSON Schemas editors use to complete and check YAML.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCHEMA_KINDS, type SchemaKind } from '@pipectl/spec/lite';
import type { Command } from 'commander';
import { type CliContext, displayPath } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

export function registerSchema(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('schema')
    .summary('print the JSON Schema of contracts, pipelines or the project file')
    .description(
      'Print the JSON Schema (draft-07) of a pipectl document kind, generated from the same definitions the\n' +
        'loader validates with. Point your editor at it for completion and checking as you type.',
    )
    .argument('[kind]', `document kind: ${SCHEMA_KINDS.join(', ')}`, 'contract')
    .option(
      '-o, --out-dir <dir>',
      'write <kind>.schema.json files for every kind into <dir> instead of printing',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl schema pipeline > pipeline.schema.json
  $ pipectl schema --out-dir schemas       # writes contract, pipeline and project schemas

Then start each YAML file with a modeline (VS Code's YAML extension, any yaml-language-server editor):
  # yaml-language-server: $schema=../schemas/contract.schema.json`,
    )
    .action(async (kind: string, options: { outDir?: string }) => {
      const { documentJsonSchemaText } = await import('@pipectl/spec');
      if (options.outDir !== undefined) {
        const dir = resolve(ctx.cwd, options.outDir);
        mkdirSync(dir, { recursive: true });
        for (const each of SCHEMA_KINDS) {
          const file = join(dir, `${each}.schema.json`);
          writeFileSync(file, documentJsonSchemaText(each));
          ctx.term.out(`wrote ${displayPath(file, ctx.cwd)}\n`);
        }
        setExit(EXIT.ok);
        return;
      }
      if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) {
        throw new UsageError(`unknown document kind "${kind}"`, `use one of: ${SCHEMA_KINDS.join(', ')}`);
      }
      ctx.term.out(documentJsonSchemaText(kind as SchemaKind));
      setExit(EXIT.ok);
    });
}
