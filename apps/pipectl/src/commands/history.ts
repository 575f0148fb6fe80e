// `pipectl history <dataset>`: every published version of a dataset, from the warehouse's registry
// (contract version, run, approval, rows, when, and on a lakehouse the snapshot that holds it).
// Version numbers count publications from 1, oldest first: `pipectl restore --version N` takes them.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PublishedVersion } from '@pipectl/engine';
import type { WarehouseTarget } from '@pipectl/spec';
import type { Command } from 'commander';
import { type CliContext, displayPath, resolveProjectDir, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Paint } from '../io/terminal.js';
import { renderIssues } from '../render/issues.js';
import { UsageError } from '../usage-error.js';
import { parseFormat, parsePositiveInt } from './options.js';

interface HistoryOptions {
  project?: string;
  target?: string;
  last?: string;
  format: string;
}

/** A publication with its number in the dataset's history (1 = the first ever published). */
export interface NumberedVersion extends PublishedVersion {
  readonly version: number;
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
      const { versions, where } = await readHistory(ctx, root, dataset, options.target);
      if (versions === undefined) {
        setExit(EXIT.usage);
        return;
      }
      const shown = last === undefined ? versions : versions.slice(-last);
      if (format === 'json') {
        ctx.term.out(`${JSON.stringify({ dataset, warehouse: where, versions: shown }, null, 2)}\n`);
      } else {
        ctx.term.out(renderHistory(dataset, where, versions.length, shown, ctx.paint));
      }
      setExit(EXIT.ok);
    });
}

/**
 * The dataset's publications, numbered, from the target's warehouse; `versions` is undefined when
 * the project or target could not be used (its issues are printed).
 */
export async function readHistory(
  ctx: CliContext,
  root: string,
  dataset: string,
  targetName: string | undefined,
  /** Called with the resolved target's warehouse before it is opened (throw to refuse it). */
  checkTarget?: (warehouse: WarehouseTarget) => void,
): Promise<{ versions?: NumberedVersion[]; where: string }> {
  const { loadProject } = await import('@pipectl/compiler');
  const { didYouMean, resolveTarget } = await import('@pipectl/spec');
  const loaded = await loadProject(root);
  const resolved = resolveTarget(loaded.project, {
    ...(targetName !== undefined ? { name: targetName } : {}),
    env: process.env,
  });
  if (!resolved.ok) {
    const document = loaded.projectDocument;
    const located = resolved.issues.map((issue) =>
      document && issue.path.length > 0
        ? { ...issue, file: document.file, span: document.sourceMap.spanOf(issue.path) }
        : issue,
    );
    ctx.term.err(`${renderIssues(located, ctx.paint, sourceReader(root))}\n\n`);
    ctx.term.err(`${ctx.paint('red', 'no history')}: the target cannot be used\n`);
    return { where: '' };
  }
  const target = resolved.target;
  checkTarget?.(target.warehouse);
  const where =
    target.warehouse.kind === 'duckdb'
      ? displayPath(resolve(root, target.warehouse.path), ctx.cwd)
      : `DuckLake ${target.warehouse.catalog.replace(/password=\S+/g, 'password=…')}`;
  const known = new Set(loaded.contracts.map((doc) => doc.value.name));
  if (target.warehouse.kind === 'duckdb' && !existsSync(resolve(root, target.warehouse.path))) {
    if (!known.has(dataset)) throw unknownDataset(dataset, known, didYouMean);
    return { versions: [], where };
  }
  const engine = await import('@pipectl/engine');
  const warehouse = await engine.openTargetWarehouse(target, root, { readable: [] });
  try {
    const history = await engine.publicationHistory(warehouse, dataset);
    if (history.length === 0 && !known.has(dataset)) throw unknownDataset(dataset, known, didYouMean);
    return { versions: history.map((v, i) => ({ ...v, version: i + 1 })), where };
  } finally {
    warehouse.close();
  }
}

function unknownDataset(
  dataset: string,
  known: ReadonlySet<string>,
  didYouMean: (input: string, candidates: Iterable<string>) => string | undefined,
): UsageError {
  const hint = didYouMean(dataset, known);
  return new UsageError(
    `unknown dataset "${dataset}"${hint ? ` (${hint})` : ''}: no contract declares it and the registry never published it`,
    'name a dataset as its contract does (schema.table); `pipectl lineage --format json` lists them',
  );
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
