// `project.lineage(datasets?)`: the project at dataset level — each source's origin to its dataset,
// each step's inputs to its output — or the part of it a selection names. Pure: a compiled plan in,
// edges out; what `pipectl lineage` draws without a target (text, JSON, DOT, Mermaid).
import type { ProjectPlan } from '@pipectl/compiler';

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  /** The step or source (`pipeline/name`) that moves data along the edge. */
  readonly via: string;
  /** Whether `from` is a dataset; false for a source's origin (`csv: data/orders.csv`). */
  readonly fromDataset: boolean;
}

export interface ProjectLineage {
  /** The datasets drawn: every dataset of the plan, or the selected ones. */
  readonly datasets: readonly string[];
  readonly edges: readonly LineageEdge[];
}

/**
 * @example projectLineage(plan, new Set(['mart.daily_revenue', 'staging.orders'])).edges
 * // [{ from: 'staging.orders', to: 'mart.daily_revenue', via: 'shop_marts/daily_revenue', fromDataset: true }]
 */
export function projectLineage(plan: ProjectPlan, selected?: ReadonlySet<string>): ProjectLineage {
  const edges: LineageEdge[] = [];
  for (const pipeline of plan.pipelines) {
    for (const source of pipeline.sources) {
      const origin = `${source.kind}: ${'path' in source ? source.path : (source.table ?? 'query')}`;
      edges.push({
        from: origin,
        to: source.dataset,
        via: `${pipeline.name}/${source.name}`,
        fromDataset: false,
      });
    }
    for (const step of pipeline.steps)
      for (const input of step.reads)
        edges.push({
          from: input.dataset,
          to: step.produces,
          via: `${pipeline.name}/${step.name}`,
          fromDataset: true,
        });
  }
  if (selected === undefined) return { datasets: plan.datasets.map((d) => d.name), edges };
  return {
    datasets: [...selected],
    edges: edges.filter((edge) => selected.has(edge.to) && (!edge.fromDataset || selected.has(edge.from))),
  };
}
