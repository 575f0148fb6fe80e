// Who a change reaches: the downstream datasets, columns, pipelines and owners of what it
// touches, from the lineage graph. The head's graph answers for what the head still has; what the
// change took away (a removed or renamed column or dataset) is only in the base's graph, and from
// that answer only the consumers the head still has are kept: a consumer removed in the same
// change is not broken by it.
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

/** Rules about something the head no longer has under its old name: asked of the base's graph. */
const GONE_AT_HEAD = new Set(['DATASET_REMOVED', 'DATASET_RENAMED', 'FIELD_REMOVED', 'FIELD_RENAMED']);

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
  const headTarget = change.column === undefined ? dataset : `${dataset}.${change.column}`;
  const baseColumn =
    change.rule === 'FIELD_RENAMED' && typeof change.before === 'string' ? change.before : change.column;
  const baseTarget = baseColumn === undefined ? baseDataset : `${baseDataset}.${baseColumn}`;
  if (!GONE_AT_HEAD.has(change.rule)) {
    const impact = impactOf(context.head, headTarget);
    if (impact) return impact;
  }
  const impact = impactOf(await context.base(), baseTarget, 'base');
  if (!impact) return undefined;
  // Only what is still there can break.
  const datasets = impact.datasets.filter((d) => context.headDatasets.has(d.name));
  const pipelines = impact.pipelines.filter((p) => context.headPipelines.has(p.name));
  const kept = new Set(datasets.map((d) => d.name));
  const columns = impact.columns.filter((column) => kept.has(datasetOfColumn(column)));
  return { ...impact, datasets, columns, pipelines, owners: ownersOf(datasets, pipelines) };
}

/**
 * The consumers a change to `target` (a dataset or a column) reaches in one graph: the answer
 * `pipectl check` prints, and the one the docs site shows for a column. Undefined when the
 * graph has no such dataset or column.
 * @example impactOf(graph, 'mart.fct_order_items.amount')?.datasets.map((d) => d.name) // ['mart.daily_revenue']
 */
export function impactOf(
  graph: LineageGraph,
  target: string,
  which: 'head' | 'base' = 'head',
): ChangeImpact | undefined {
  const answer = graph.impact(target);
  return answer.found ? toImpact(answer, which) : undefined;
}

type FoundImpact = Extract<ReturnType<LineageGraph['impact']>, { found: true }>;

function toImpact(answer: FoundImpact, graph: 'head' | 'base'): ChangeImpact {
  const datasets = answer.datasets.map(({ name, owner, distance }) => ({ name, owner, distance }));
  const pipelines = answer.pipelines.map(({ name, owner }) => ({ name, owner }));
  return {
    target: answer.target,
    graph,
    datasets,
    columns: answer.columns.map((column) => column.name),
    pipelines,
    owners: [...answer.owners],
  };
}

/** `schema.table` of `schema.table.column`. */
function datasetOfColumn(column: string): string {
  return column.split('.').slice(0, 2).join('.');
}

function ownersOf(
  datasets: ChangeImpact['datasets'],
  pipelines: ChangeImpact['pipelines'],
): readonly string[] {
  const owners = new Set<string>();
  for (const dataset of datasets) owners.add(dataset.owner);
  for (const pipeline of pipelines) if (pipeline.owner) owners.add(pipeline.owner);
  return [...owners].sort();
}

/** A change whose consumers are worth naming: breaking or review (waived or not). */
export function wantsImpact(change: CheckedChange): boolean {
  return change.verdict === 'breaking' || change.verdict === 'review';
}
