// Who a change reaches downstream, asked of a lineage graph: the one answer `pipectl check`
// prints and a waiting run shows its approver. A change to a column the graph knows reaches that
// column's downstream; a change to a column it does not know (removed) or to the whole dataset
// reaches the dataset's downstream. The graph is any object with the compiler's `impact` method,
// so this stays a pure function over data.

/** The part of the compiler's impact answer this reads. */
export type ImpactAnswer =
  | {
      readonly found: true;
      readonly target: string;
      readonly datasets: readonly {
        readonly name: string;
        readonly owner: string;
        readonly distance: number;
      }[];
      readonly columns: readonly { readonly name: string }[];
      readonly pipelines: readonly { readonly name: string; readonly owner: string | null }[];
    }
  | { readonly found: false };

export interface ImpactGraph {
  impact(target: string): ImpactAnswer;
}

export interface ChangeReach {
  /** What was asked: `schema.table.column`, or `schema.table` when the change is not about a column the graph knows. */
  readonly target: string;
  /** Downstream datasets, the changed dataset itself left out. */
  readonly datasets: readonly { readonly name: string; readonly owner: string; readonly distance: number }[];
  readonly columns: readonly string[];
  readonly pipelines: readonly { readonly name: string; readonly owner: string | null }[];
  /** Everyone to tell: owners of the datasets and pipelines reached, sorted. */
  readonly owners: readonly string[];
}

/** The column a change is about: its `column`, or the one its path names (`columns.<name>...`). */
export function changedColumnOf(change: {
  readonly path: string;
  readonly column?: string;
}): string | undefined {
  return change.column ?? /^columns\.([^.]+)/.exec(change.path)?.[1];
}

/**
 * The consumers `change` to `dataset` reaches in `graph`; undefined when the graph has neither
 * the column nor the dataset.
 * @example changeReach(graph, 'sales.orders', { path: 'columns.amount.type' })?.datasets.map((d) => d.name)
 */
export function changeReach(
  graph: ImpactGraph,
  dataset: string,
  change: { readonly path: string; readonly column?: string },
): ChangeReach | undefined {
  const column = changedColumnOf(change);
  const columnAnswer = column === undefined ? undefined : graph.impact(`${dataset}.${column}`);
  const answer = columnAnswer?.found ? columnAnswer : graph.impact(dataset);
  if (!answer.found) return undefined;
  const datasets = answer.datasets
    .filter((reached) => reached.name !== dataset)
    .map(({ name, owner, distance }) => ({ name, owner, distance }));
  const pipelines = answer.pipelines.map(({ name, owner }) => ({ name, owner }));
  return {
    target: answer.target,
    datasets,
    columns: answer.columns.map((reached) => reached.name),
    pipelines,
    owners: ownersOf(datasets, pipelines),
  };
}

/** The consumers several changes to one dataset reach, merged: each dataset and pipeline once. */
export function changesReach(
  graph: ImpactGraph,
  dataset: string,
  changes: readonly { readonly path: string; readonly column?: string }[],
): { readonly datasets: ChangeReach['datasets']; readonly pipelines: ChangeReach['pipelines'] } {
  const datasets = new Map<string, ChangeReach['datasets'][number]>();
  const pipelines = new Map<string, ChangeReach['pipelines'][number]>();
  for (const change of changes) {
    const reach = changeReach(graph, dataset, change);
    for (const reached of reach?.datasets ?? []) {
      const kept = datasets.get(reached.name);
      if (!kept || reached.distance < kept.distance) datasets.set(reached.name, reached);
    }
    for (const pipeline of reach?.pipelines ?? []) pipelines.set(pipeline.name, pipeline);
  }
  const byName = <T extends { readonly name: string }>(a: T, b: T) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return { datasets: [...datasets.values()].sort(byName), pipelines: [...pipelines.values()].sort(byName) };
}

export function ownersOf(
  datasets: ChangeReach['datasets'],
  pipelines: ChangeReach['pipelines'],
): readonly string[] {
  const owners = new Set<string>();
  for (const dataset of datasets) owners.add(dataset.owner);
  for (const pipeline of pipelines) if (pipeline.owner) owners.add(pipeline.owner);
  return [...owners].sort();
}
