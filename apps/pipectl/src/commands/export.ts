// `pipectl export odcs [dataset...]`: the project's contracts as ODCS v3 data contracts, for
// datacontract-cli and the other tools that read the standard. The mapping is @pipectl/interop's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Issue } from '@pipectl/spec';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';
import { parseFormat } from './options.js';

interface ExportOptions {
  project?: string;
  out?: string;
  format: string;
}

export function registerExport(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('export')
    .summary("write the project's contracts in another standard (ODCS v3)")
    .description(
      "Write the project's contracts for tools that read the field's standards. Every contract field is\n" +
        'carried: standard fields where ODCS has them, customProperties with vendor "pipectl" where not,\n' +
        'so `pipectl import` gives back the same contract.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl export odcs --out odcs/
  $ pipectl export odcs sales.orders > orders.odcs.yaml && datacontract lint orders.odcs.yaml

Docs: docs/interop.md`,
    );

  command
    .command('odcs')
    .summary('export contracts as ODCS v3.2.0 YAML (one file per contract with --out, else to stdout)')
    .description(
      'Write each contract (all, or the datasets named) as an Open Data Contract Standard v3.2.0\n' +
        'document: to stdout (documents separated by ---), or into --out as <dataset>.odcs.yaml.',
    )
    .argument('[datasets...]', 'datasets to export, e.g. sales.orders (default: every contract)')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('-o, --out <dir>', 'write <dataset>.odcs.yaml files into this folder (created when missing)')
    .option(
      '--format <format>',
      'what to print: yaml (the documents, or with --out the files written) or json',
      'yaml',
    )
    .addHelpText(
      'after',
      `
Exit codes:
  0  exported
  2  a contract does not load, or a dataset named has no contract

Examples:
  $ pipectl export odcs
  $ pipectl export odcs sales.orders sales.customers --out odcs/
  $ pipectl export odcs --out odcs/ --format json | jq '.warnings'

Docs: docs/interop.md`,
    )
    .action(async (datasets: string[], options: ExportOptions) => {
      const format = parseFormat(options.format, ['yaml', 'json']);
      const root = resolveProjectDir(options.project, ctx.cwd);
      const [{ loadProject }, { contractToOdcs, odcsYaml }] = await Promise.all([
        import('@pipectl/compiler'),
        import('@pipectl/interop'),
      ]);
      const project = await loadProject(root);
      const issues: Issue[] = project.issues.filter((issue) => issue.severity === 'error');
      const byName = new Map(project.contracts.map((doc) => [doc.value.name, doc]));
      for (const name of datasets) {
        if (!byName.has(name) && !project.unloaded.contracts.has(name))
          issues.push({
            code: 'PIPE7007',
            severity: 'error',
            message: `no contract for dataset "${name}" in ${displayPath(root, ctx.cwd)}`,
            path: [],
          });
      }
      if (summarizeIssues(issues).errors > 0) {
        ctx.term.err(`${renderIssues(issues, ctx.paint, sourceReader(root))}\n\n`);
        ctx.term.err(
          `${ctx.paint('red', 'not exported')}: ${plural(summarizeIssues(issues).errors, 'error')}\n`,
        );
        setExit(EXIT.usage);
        return;
      }
      const chosen = (datasets.length > 0 ? datasets : [...byName.keys()].sort()).flatMap((name) => {
        const doc = byName.get(name);
        return doc ? [doc] : [];
      });
      const exported = chosen.map((doc) => {
        const { document, warnings } = contractToOdcs(doc.value, doc.file);
        return { name: doc.value.name, yaml: odcsYaml(document), warnings };
      });
      say(ctx, root, exported, options.out === undefined ? undefined : resolve(ctx.cwd, options.out), format);
      setExit(EXIT.ok);
    });
}

/** Writes one `<dataset>.odcs.yaml` per contract into `out`, or prints the documents; then what was done. */
function say(
  ctx: CliContext,
  root: string,
  exported: readonly { readonly name: string; readonly yaml: string; readonly warnings: readonly Issue[] }[],
  out: string | undefined,
  format: 'yaml' | 'json',
): void {
  const warnings = exported.flatMap((e) => e.warnings);
  const files: string[] = [];
  if (out !== undefined) {
    mkdirSync(out, { recursive: true });
    for (const { name, yaml } of exported) {
      const file = join(out, `${name}.odcs.yaml`);
      writeFileSync(file, yaml);
      files.push(displayPath(file, ctx.cwd));
    }
  }
  if (format === 'json') {
    const documents = out === undefined ? exported.map(({ name, yaml }) => ({ contract: name, yaml })) : [];
    ctx.term.out(`${JSON.stringify({ files, documents, warnings }, null, 2)}\n`);
    return;
  }
  if (warnings.length > 0) ctx.term.err(`${renderIssues(warnings, ctx.paint, sourceReader(root))}\n\n`);
  if (out === undefined) {
    ctx.term.out(exported.map((e) => e.yaml).join('---\n'));
    return;
  }
  for (const file of files) ctx.term.out(`${ctx.paint('green', 'wrote')} ${file}\n`);
  ctx.term.out(`${ctx.paint('green', '✓')} exported ${plural(files.length, 'contract')} as ODCS v3.2.0\n`);
}
