// Who a change reaches: the downstream datasets, columns, pipelines and owners of what it
// touches, answered by `changeReach` of @pipectl/compat over the head's lineage graph — the same
// function a waiting run uses for its approval details, so CI and the run name the same
// consumers. Only what the head has no trace of at all (a removed or renamed dataset, which a run
// never publishes) is asked of the base's graph, keeping the consumers the head still has: a
// consumer removed in the same change is not broken by it.
import { changeReach, ownersOf } from '@pipectl/compat';
import type { LineageGraph } from '@pipectl/compiler';
import type { ChangeImpact, CheckedChange } from '../report/check-report.js';

export interface ImpactContext {
  readonly head: LineageGraph;
  /** The base's graph, built only when some change needs it. */
  readonly base: () => Promise<LineageGraph>;
  /** Datasets (contracts) and pipelines present at the head. */
  readonly headDatasets: ReadonlySet<string>;
  readonly headPipelines: ReadonlySet<string>;
}

/** Rules about a dataset the head no longer has under its old name: asked of the base's graph. */
const GONE_AT_HEAD = new Set(['DATASET_REMOVED', 'DATASET_RETIRED', 'DATASET_RENAMED']);

/**
 * The consumers `change` reaches.
 * @param dataset the dataset at the head (or at the base, when removed)
 * @param baseDataset the dataset's name at the base
 */
export async function changeImpact(
  change: CheckedChange,
  dataset: string,
  baseDataset: string,
  context: ImpactContext,
): Promise<ChangeImpact | undefined> {
  if (!GONE_AT_HEAD.has(change.rule)) {
    const reach = changeReach(context.head, dataset, change);
    return reach ? { ...reach, graph: 'head' } : undefined;
  }
  const reach = changeReach(await context.base(), baseDataset, { path: '' });
  if (!reach) return undefined;
  // Only what is still there can break.
  const datasets = reach.datasets.filter((d) => context.headDatasets.has(d.name));
  const pipelines = reach.pipelines.filter((p) => context.headPipelines.has(p.name));
  const kept = new Set(datasets.map((d) => d.name));
  const columns = reach.columns.filter((column) => kept.has(datasetOfColumn(column)));
  return { ...reach, graph: 'base', datasets, columns, pipelines, owners: ownersOf(datasets, pipelines) };
}

/**
 * The consumers a change to `target` (a dataset or a column) reaches in one graph: the answer
 * the docs site shows for a column. Undefined when the graph has no such dataset or column.
 * @example impactOf(graph, 'mart.fct_order_items.amount')?.datasets.map((d) => d.name) // ['mart.daily_revenue']
 */
export function impactOf(
  graph: LineageGraph,
  target: string,
  which: 'head' | 'base' = 'head',
): ChangeImpact | undefined {
  const [schema, table, column] = target.split('.');
  const dataset = `${schema}.${table}`;
  const answer = graph.impact(target);
  if (!answer.found) return undefined;
  const reach = changeReach(
    graph,
    dataset,
    column === undefined ? { path: '' } : { path: `columns.${column}`, column },
  );
  return reach ? { ...reach, graph: which } : undefined;
}

/** `schema.table` of `schema.table.column`. */
function datasetOfColumn(column: string): string {
  return column.split('.').slice(0, 2).join('.');
}

/** A change whose consumers are worth naming: breaking or review (waived or not). */
export function wantsImpact(change: CheckedChange): boolean {
  return change.verdict === 'breaking' || change.verdict === 'review';
}
