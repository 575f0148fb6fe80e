// `pipectl history <dataset>`: every published version of a dataset, from the warehouse's registry
// (contract version, run, approval, rows, when, and on a lakehouse the snapshot that holds it).
// Version numbers count publications from 1, oldest first: `pipectl restore --version N` takes them.
import type { NumberedVersion } from '@pipectl/project';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Paint } from '../io/terminal.js';
import { parseFormat, parsePositiveInt } from './options.js';

interface HistoryOptions {
  project?: string;
  target?: string;
  last?: string;
  format: string;
}

export function registerHistory(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('history')
    .summary('list the published versions of a dataset: contract version, run, approval, rows, when')
    .description(
      "Read the warehouse's registry of publications for one dataset, oldest first. Each\n" +
        'publication is a version, numbered from 1. On a lakehouse target each version is a snapshot\n' +
        'that queries can still read (the snapshot column); the embedded DuckDB file keeps only the\n' +
        'current data, so there the history lists what was published without the data itself.',
    )
    .argument('<dataset>', 'a dataset of the project, e.g. mart.daily_revenue')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option(
      '-t, --target <name>',
      "whose warehouse to read (default: pipectl.yaml's `target`, else the top-level warehouse)",
    )
    .option('--last <n>', 'only the newest n versions')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl history mart.daily_revenue
  $ pipectl history mart.daily_revenue --target prod --last 5
  $ pipectl history mart.daily_revenue --format json | jq '.versions[-1]'

Docs: docs/running.md (history and time travel)`,
    )
    .action(async (dataset: string, options: HistoryOptions) => {
      const format = parseFormat(options.format, ['text', 'json']);
      const last = options.last === undefined ? undefined : parsePositiveInt(options.last, '--last');
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { openProject } = await import('@pipectl/project');
      const project = await openProject(root, { target: options.target });
      const { versions } = await project.history(dataset);
      const where =
        project.target().warehouse.kind === 'duckdb'
          ? displayPath(project.describeWarehouse(), ctx.cwd)
          : project.describeWarehouse();
      const shown = last === undefined ? versions : versions.slice(-last);
      if (format === 'json') {
        ctx.term.out(`${JSON.stringify({ dataset, warehouse: where, versions: shown }, null, 2)}\n`);
      } else {
        ctx.term.out(renderHistory(dataset, where, versions.length, shown, ctx.paint));
      }
      setExit(EXIT.ok);
    });
}

function renderHistory(
  dataset: string,
  where: string,
  total: number,
  versions: readonly NumberedVersion[],
  paint: Paint,
): string {
  const head = `${paint('bold', dataset)}  ${paint('gray', `${total} published version${total === 1 ? '' : 's'} in ${where}`)}\n`;
  if (versions.length === 0)
    return `${head}  nothing published yet (the registry records what steps publish; datasets that sources land have no versions)\n`;
  const rows = versions.map((v) => [
    `#${v.version}`,
    v.contractVersion,
    v.publishedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    String(v.rowsWritten),
    v.approval
      ? `${v.approval.decision} by ${v.approval.by}${v.approval.signature ? ` (signed ${v.approval.signature.fingerprint})` : ''}${v.approval.comment ? ` "${v.approval.comment}"` : ''}`
      : '-',
    v.snapshotId === undefined ? '-' : String(v.snapshotId),
    v.runId,
  ]);
  const header = ['version', 'contract', 'published', 'rows', 'approval', 'snapshot', 'run'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return `${head}${paint('gray', line(header))}\n${rows.map(line).join('\n')}\n`;
}
