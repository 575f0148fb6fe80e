// `pipectl lineage`: where a dataset or a single column comes from, and what it feeds.
import type { CompileResult, LineageAnswer, LineageGraph } from '@pipectl/compiler';
import type { OpenedProject } from '@pipectl/project';
import type { Command } from 'commander';
import { type CliContext, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import {
  type FlowEdge,
  flowEdges,
  LINEAGE_FORMATS,
  renderDot,
  renderLineageText,
  renderMermaid,
} from '../render/lineage.js';
import { UsageError } from '../usage-error.js';
import { compileOrReport } from './compile-or-report.js';
import { NO_CACHE_HELP, parseFormat, parsePositiveInt, usesCache } from './options.js';
import {
  hasSelection,
  SELECTOR_HELP,
  type SelectionOptions,
  selectedDatasets,
  withSelectOptions,
} from './selection.js';

interface LineageOptions extends SelectionOptions {
  /** false with --no-cache. */
  cache?: boolean;
  project?: string;
  upstream?: boolean;
  downstream?: boolean;
  depth?: string;
  format: string;
}

export function registerLineage(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('lineage')
    .summary('show what a dataset or column comes from and what it feeds')
    .description(
      'Answer "what depends on what" from the compiled lineage graph. The target is a dataset\n' +
        '(schema.table) or a single column (schema.table.column); column lineage is traced through the\n' +
        'SQL of every step. Without --upstream or --downstream, both directions are shown. Without a\n' +
        'target, the whole project is drawn at dataset level (or the part --select names).',
    )
    .argument('[target]', 'dataset (mart.daily_revenue) or column (mart.daily_revenue.revenue)')
    .option(
      '-p, --project <dir>',
      'project directory (default: the nearest directory with pipectl.yaml, else .)',
    )
    .option('--upstream', 'only what the target is built from')
    .option('--downstream', 'only what is built from the target (its consumers)')
    .option('--depth <n>', 'stop after n hops')
    .option('--format <format>', `output format: ${LINEAGE_FORMATS.join(', ')}`, 'text');
  withSelectOptions(command, 'drawn at dataset level, without a target')
    .addHelpText(
      'after',
      `
Examples:
  $ pipectl lineage mart.daily_revenue --upstream
  $ pipectl lineage raw.customers.email --downstream          # where does this PII column go?
  $ pipectl lineage mart.fct_order_items --format mermaid > lineage.mmd
  $ pipectl lineage --format dot | dot -Tsvg > project.svg   # the whole project
  $ pipectl lineage --select +mart.daily_revenue --format mermaid  # what it is built from
  $ pipectl lineage --format openlineage > lineage.ndjson    # OpenLineage job events, one per step
${SELECTOR_HELP}`,
    )
    .option('--no-cache', NO_CACHE_HELP)
    .action(async (target: string | undefined, options: LineageOptions) => {
      const format = parseFormat(options.format, LINEAGE_FORMATS);
      const depth = options.depth === undefined ? undefined : parsePositiveInt(options.depth, '--depth');
      const root = resolveProjectDir(options.project, ctx.cwd);
      const { openProject } = await import('@pipectl/project');
      const project = await openProject(root, { cache: usesCache(options) });
      const result = await compileOrReport(ctx, root, 'no lineage', setExit, project);
      if (!result) return;
      if (target !== undefined && hasSelection(options)) {
        throw new UsageError(
          'give either a target or --select/--exclude, not both',
          `"pipectl lineage ${target}" follows one dataset or column; --select draws a set of datasets`,
        );
      }

      if (format === 'openlineage') {
        if (target !== undefined)
          throw new UsageError(
            '--format openlineage prints the whole project (or the part --select names), not one target',
            `run "pipectl lineage --format openlineage --select +${target}" for what it is built from`,
          );
        const selected = await selectedDatasets(result.plan, options);
        ctx.term.out(await openLineageEvents(project, result, selected));
        setExit(EXIT.ok);
        return;
      }

      ctx.term.out(
        target === undefined
          ? await datasetLineage(ctx, project, await selectedDatasets(result.plan, options), format)
          : columnOrDatasetLineage(ctx, result.graph, target, { ...options, depth }, format),
      );
      setExit(EXIT.ok);
    });
}

/** The project (or the selection) at dataset level: which dataset is built from which. */
async function datasetLineage(
  ctx: CliContext,
  project: OpenedProject,
  selected: ReadonlySet<string> | undefined,
  format: (typeof LINEAGE_FORMATS)[number],
): Promise<string> {
  const lineage = await project.lineage(selected);
  const { datasets } = lineage;
  const edges: FlowEdge[] = lineage.edges.map(({ fromDataset: _, ...edge }) => edge);
  if (format === 'json') return `${JSON.stringify({ datasets, edges }, null, 2)}\n`;
  if (format === 'dot') return renderDot([], edges);
  if (format === 'mermaid') return renderMermaid([], edges);
  const alone = datasets.filter((name) => !edges.some((e) => e.from === name || e.to === name));
  return [
    ...edges.map((e) => `${e.from} → ${e.to}${e.via ? ctx.paint('gray', `  via ${e.via}`) : ''}`),
    ...alone.map((name) => `${name}${ctx.paint('gray', '  (nothing selected reads or writes it)')}`),
  ]
    .join('\n')
    .concat('\n');
}

/** What one dataset or column is built from and what is built from it; a usage error when it is unknown. */
function columnOrDatasetLineage(
  ctx: CliContext,
  graph: LineageGraph,
  target: string,
  options: Pick<LineageOptions, 'upstream' | 'downstream'> & { readonly depth: number | undefined },
  format: (typeof LINEAGE_FORMATS)[number],
): string {
  const { depth } = options;
  const both = !options.upstream && !options.downstream;
  const traversal = depth === undefined ? {} : { depth };
  const answers: LineageAnswer[] = [];
  if (options.upstream || both) answers.push(graph.upstream(target, traversal));
  if (options.downstream || both) answers.push(graph.downstream(target, traversal));
  const found = answers.filter((answer) => answer.found);
  const missing = answers.find((answer) => !answer.found);
  if (missing && !missing.found) throw new UsageError(missing.message, missing.hint);
  if (format === 'json') return `${JSON.stringify(found.length === 1 ? found[0] : found, null, 2)}\n`;
  if (format === 'text') return renderLineageText(found, ctx.paint);
  const edges = found.flatMap((answer) => flowEdges(answer));
  return format === 'dot' ? renderDot([target], edges) : renderMermaid([target], edges);
}
/**
 * One OpenLineage job event per step (its inputs, its output with column lineage), as NDJSON;
 * only steps producing a selected dataset when --select/--exclude is given.
 */
async function openLineageEvents(
  project: OpenedProject,
  result: CompileResult,
  selected: ReadonlySet<string> | undefined,
): Promise<string> {
  const { lineageContext, staticJobEvents } = await import('@pipectl/openlineage');
  const context = lineageContext({
    project: result.project,
    datasets: result.plan.datasets,
    contracts: project.loaded.contracts.map((doc) => doc.value),
  });
  const pipelines = result.plan.pipelines.map((pipeline) => ({
    ...pipeline,
    steps: pipeline.steps.filter((step) => selected === undefined || selected.has(step.produces)),
  }));
  const events = staticJobEvents(context, pipelines, new Date().toISOString());
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}
