// `pipectl import odcs <file|dir>` and `pipectl import dbt <manifest.json>`: contracts from the
// field's formats, written into the project's contracts/ folder. The mapping is @pipectl/interop's;
// this file reads the inputs, prints what was not carried, and writes the files (all or nothing).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ImportResult } from '@pipectl/interop';
import type { Issue } from '@pipectl/spec';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';
import { UsageError } from '../usage-error.js';
import { parseFormat } from './options.js';

interface ImportOptions {
  project?: string;
  force?: boolean;
  format: string;
}

export function registerImport(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('import')
    .summary('write pipectl contracts from ODCS v3 data contracts or a dbt manifest')
    .description(
      "Read contracts written for other tools and write them as pipectl contracts into the project's\n" +
        'contracts/ folder (contracts/<schema>/<table>.contract.yaml). What maps is carried; what pipectl\n' +
        'cannot hold is listed per field with file:line:col (PIPE7002, PIPE7011), never dropped silently.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl import odcs orders.odcs.yaml
  $ pipectl import odcs ../contracts-from-datacontract-cli/ --format json
  $ pipectl import dbt ../shop-dbt/target/manifest.json --owner analytics-team

Docs: docs/interop.md`,
    );

  const common = (sub: Command): Command =>
    sub
      .option(
        '-p, --project <dir>',
        'project to write into (default: the nearest directory with pipectl.yaml, else .)',
      )
      .option('--force', 'overwrite contract files that already exist')
      .option('--format <format>', 'output format: text or json', 'text');

  common(command.command('odcs'))
    .summary('import ODCS v3 data contracts (a file, or every .yaml/.yml file in a folder)')
    .description(
      'Import Open Data Contract Standard v3 files (v3.0.x to v3.2.0, as datacontract-cli writes them):\n' +
        'one pipectl contract per schema object. Types come from physicalType when it is a DuckDB type,\n' +
        'else from logicalType. Nothing is written when any file has an error.',
    )
    .argument('<path>', 'an ODCS YAML file, or a folder of them')
    .option(
      '--schema <name>',
      'dataset schema for objects whose physicalName is not "schema.table" (default: the domain, else "imported")',
    )
    .addHelpText(
      'after',
      `
Exit codes:
  0  contracts written (warnings list what was not carried)
  2  an input has errors, or a contract file exists (use --force): nothing written

Examples:
  $ pipectl import odcs orders.odcs.yaml
  $ pipectl import odcs odcs/ --schema sales --force

Docs: docs/interop.md`,
    )
    .action(async (path: string, options: ImportOptions & { schema?: string }) => {
      const format = parseFormat(options.format, ['text', 'json']);
      const { importOdcs } = await import('@pipectl/interop');
      const inputs = odcsInputs(resolve(ctx.cwd, path));
      const results = inputs.map((file) => {
        const shown = displayPath(file, ctx.cwd);
        return {
          from: shown,
          result: importOdcs(shown, readFileSync(file, 'utf8'), {
            ...(options.schema !== undefined && { datasetSchema: options.schema }),
          }),
        };
      });
      writeImported(ctx, options, format, results, setExit);
    });

  common(command.command('dbt'))
    .summary("import a dbt project's models (columns, constraints, data tests) from its manifest.json")
    .description(
      "Import the models of a dbt project from the manifest.json that `dbt parse` writes: each model's\n" +
        'columns (data_type), constraints (not_null, unique, primary_key, foreign_key, accepted values) and\n' +
        'generic data tests become a pipectl contract named "<schema>.<model>".',
    )
    .argument('<manifest>', 'the target/manifest.json of a dbt project')
    .option(
      '--owner <team>',
      "owner of contracts whose model has no meta.owner or group owner (default: the dbt project's name)",
    )
    .addHelpText(
      'after',
      `
Exit codes:
  0  contracts written (warnings list what was not carried)
  2  the manifest has errors, or a contract file exists (use --force): nothing written

Examples:
  $ (cd shop-dbt && dbt parse) && pipectl import dbt shop-dbt/target/manifest.json
  $ pipectl import dbt target/manifest.json --owner analytics@example.com --format json

Docs: docs/interop.md`,
    )
    .action(async (manifest: string, options: ImportOptions & { owner?: string }) => {
      const format = parseFormat(options.format, ['text', 'json']);
      const { importDbtManifest } = await import('@pipectl/interop');
      const file = resolve(ctx.cwd, manifest);
      const text = readText(file);
      const shown = displayPath(file, ctx.cwd);
      const result = importDbtManifest(shown, text, {
        ...(options.owner !== undefined && { owner: options.owner }),
      });
      writeImported(ctx, options, format, [{ from: shown, result }], setExit);
    });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read "${file}"`, 'check that the path exists and is a readable file');
  }
}

/** The ODCS files named: the file itself, or every .yaml/.yml file under the folder, sorted. */
function odcsInputs(path: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`cannot read "${path}"`, 'name an ODCS YAML file or a folder holding some');
  }
  if (!stat.isDirectory()) return [path];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : walk(full);
        return /\.ya?ml$/.test(entry.name) ? [full] : [];
      });
  const files = walk(path);
  if (files.length === 0)
    throw new UsageError(`no .yaml or .yml files in "${path}"`, 'name an ODCS file or a folder of them');
  return files;
}

function writeImported(
  ctx: CliContext,
  options: ImportOptions,
  format: 'text' | 'json',
  results: readonly { from: string; result: ImportResult }[],
  setExit: (code: number) => void,
): void {
  const root = resolveProjectDir(options.project, ctx.cwd);
  const issues: Issue[] = results.flatMap(({ result }) => [...result.issues]);
  const planned = results.flatMap(({ from, result }) =>
    result.contracts.map((contract) => ({ from, contract, path: join(root, contract.file) })),
  );
  const seen = new Map<string, string>();
  for (const { from, contract, path } of planned) {
    const other = seen.get(contract.name);
    if (other !== undefined)
      issues.push({
        code: 'PIPE1008',
        severity: 'error',
        message: `dataset "${contract.name}" is imported twice (also from ${other})`,
        file: from,
        path: [],
      });
    seen.set(contract.name, from);
    if (!options.force && existsSync(path))
      issues.push({
        code: 'PIPE7006',
        severity: 'error',
        message: `${displayPath(path, ctx.cwd)} already exists (contract "${contract.name}" from ${from})`,
        file: from,
        path: [],
      });
  }
  const { errors, warnings } = summarizeIssues(issues);
  const written = errors === 0 ? planned : [];
  for (const { contract, path } of written) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contract.text);
  }
  if (format === 'json') {
    ctx.term.out(
      `${JSON.stringify(
        {
          written: written.map(({ from, contract, path }) => ({
            contract: contract.name,
            file: relative(root, path),
            from,
          })),
          errors,
          warnings,
          issues,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    if (issues.length > 0) ctx.term.err(`${renderIssues(issues, ctx.paint, sourceReader(ctx.cwd))}\n\n`);
    for (const { from, path } of written)
      ctx.term.out(
        `${ctx.paint('green', 'wrote')} ${displayPath(path, ctx.cwd)} ${ctx.paint('gray', `(from ${from})`)}\n`,
      );
    if (errors > 0)
      ctx.term.err(
        `${ctx.paint('red', 'nothing imported')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
      );
    else {
      const noted =
        warnings > 0 ? ` (${plural(warnings, 'field')} not carried or changed: see the warnings)` : '';
      ctx.term.out(`${ctx.paint('green', '✓')} imported ${plural(written.length, 'contract')}${noted}\n`);
    }
  }
  setExit(errors > 0 ? EXIT.usage : EXIT.ok);
}
