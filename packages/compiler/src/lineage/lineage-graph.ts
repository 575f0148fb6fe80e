// The lineage graph of a project: a graphology directed graph whose nodes are datasets, their
// columns, pipelines, steps and sources, and whose edges say who reads, produces, lands and derives
// what. Nodes and edges hold plain data only; LineageGraph wraps it with the questions people ask:
// what is upstream or downstream of a dataset or column, and what would a change to it impact.
import { closestName } from '@pipectl/spec';
import { DirectedGraph } from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import { compareText } from '../support/compare-text.js';

export type LineageNodeKind = 'dataset' | 'column' | 'pipeline' | 'step' | 'source';

export interface DatasetNode {
  readonly kind: 'dataset';
  /** `schema.table`. */
  readonly name: string;
  readonly owner: string;
  readonly version: string;
  readonly file: string;
  /** `pipeline/step` or `pipeline/source` that writes it, or null when nothing does. */
  readonly producer: string | null;
}

export interface ColumnNode {
  readonly kind: 'column';
  /** `schema.table.column`. */
  readonly name: string;
  readonly dataset: string;
  readonly column: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly pii: string | null;
}

export interface PipelineNode {
  readonly kind: 'pipeline';
  readonly name: string;
  readonly owner: string | null;
  readonly file: string;
}

export interface StepNode {
  readonly kind: 'step';
  /** `pipeline/step`. */
  readonly name: string;
  readonly pipeline: string;
  readonly step: string;
  readonly produces: string;
  readonly materialized: string;
  /**
   * Input columns (`schema.table.column`) its SQL mentions anywhere, joins and filters included.
   * An attribute rather than edges: it is only read when a column's impact is asked for.
   */
  readonly uses: readonly string[];
}

export interface SourceNode {
  readonly kind: 'source';
  /** `pipeline/source`. */
  readonly name: string;
  readonly pipeline: string;
  readonly source: string;
  readonly sourceKind: string;
  readonly dataset: string;
}

export type LineageNode = DatasetNode | ColumnNode | PipelineNode | StepNode | SourceNode;

export type LineageEdge =
  /** dataset -> column */
  | { readonly kind: 'has_column' }
  /** dataset -> step that reads it */
  | { readonly kind: 'reads' }
  /** step -> dataset it writes */
  | { readonly kind: 'produces' }
  /** source -> dataset it loads */
  | { readonly kind: 'lands' }
  /** pipeline -> its steps and sources */
  | { readonly kind: 'contains' }
  /** input column -> output column whose value comes from it, through `step` (`pipeline/step`) */
  | { readonly kind: 'derives'; readonly step: string; readonly direct: boolean };

export type LineageEdgeKind = LineageEdge['kind'];

export type LineageGraphData = DirectedGraph<LineageNode, LineageEdge>;

/** Graph key of a node: `dataset:sales.orders`, `column:sales.orders.amount`, `step:daily/stg`. */
export function nodeKey(kind: LineageNodeKind, name: string): string {
  return `${kind}:${name}`;
}

export interface LineageHit {
  readonly kind: Exclude<LineageNodeKind, 'pipeline'>;
  readonly name: string;
  /** Hops from the target: direct inputs or consumers are 1, as is the step between them. */
  readonly distance: number;
  /** Names from the target to this node, steps included. */
  readonly path: readonly string[];
}

export interface UnknownTarget {
  readonly found: false;
  readonly target: string;
  readonly message: string;
  readonly hint?: string;
}

export type LineageAnswer =
  | {
      readonly found: true;
      readonly target: string;
      readonly targetKind: 'dataset' | 'column';
      readonly direction: 'upstream' | 'downstream';
      readonly nodes: readonly LineageHit[];
    }
  | UnknownTarget;

export type ImpactReport =
  | {
      readonly found: true;
      readonly target: string;
      readonly targetKind: 'dataset' | 'column';
      readonly datasets: readonly { name: string; owner: string; version: string; distance: number }[];
      readonly columns: readonly { name: string; distance: number }[];
      readonly steps: readonly { name: string; pipeline: string; distance: number }[];
      readonly pipelines: readonly { name: string; owner: string | null }[];
      /** Everyone to tell: owners of the impacted datasets and pipelines. */
      readonly owners: readonly string[];
    }
  | UnknownTarget;

export interface TraversalOptions {
  /** Stop after this many hops (default: no limit). */
  readonly depth?: number;
}

type Direction = 'upstream' | 'downstream';

const KIND_ORDER: Record<LineageHit['kind'], number> = { dataset: 0, column: 1, step: 2, source: 3 };

/**
 * Lineage questions over the compiled graph.
 * @example graph.downstream('sales.orders.amount').nodes.map((n) => n.name)
 *   // ['marts.daily_revenue.revenue', 'orders_daily/daily_revenue', ...]
 */
export class LineageGraph {
  /** Steps by the input columns they use, built on the first column question. */
  private usedBy: Map<string, string[]> | undefined;

  constructor(readonly graph: LineageGraphData) {}

  /** Rebuilds a graph from `toJSON()` output. */
  static fromJSON(data: SerializedGraph<LineageNode, LineageEdge>): LineageGraph {
    const graph: LineageGraphData = new DirectedGraph<LineageNode, LineageEdge>();
    graph.import(data);
    return new LineageGraph(graph);
  }

  node(kind: LineageNodeKind, name: string): LineageNode | undefined {
    const key = nodeKey(kind, name);
    return this.graph.hasNode(key) ? this.graph.getNodeAttributes(key) : undefined;
  }

  /** Nodes of one kind, in insertion order (sorted by name). */
  nodes<K extends LineageNodeKind>(kind: K): Extract<LineageNode, { kind: K }>[] {
    const found: Extract<LineageNode, { kind: K }>[] = [];
    this.graph.forEachNode((_, attributes) => {
      if (attributes.kind === kind) found.push(attributes as Extract<LineageNode, { kind: K }>);
    });
    return found;
  }

  upstream(target: string, options: TraversalOptions = {}): LineageAnswer {
    return this.traverse(target, 'upstream', options);
  }

  downstream(target: string, options: TraversalOptions = {}): LineageAnswer {
    return this.traverse(target, 'downstream', options);
  }

  /** What a change to a dataset or column reaches downstream, and whom to tell. */
  impact(target: string): ImpactReport {
    const answer = this.downstream(target);
    if (!answer.found) return answer;
    const best = nearestHits([...answer.nodes, ...this.impactExtraHits(target, answer)]);
    const datasets: { name: string; owner: string; version: string; distance: number }[] = [];
    const columns: { name: string; distance: number }[] = [];
    const steps: { name: string; pipeline: string; distance: number }[] = [];
    const pipelines = new Map<string, { name: string; owner: string | null }>();
    for (const hit of best.values()) {
      const node = this.node(hit.kind, hit.name);
      if (node?.kind === 'dataset')
        datasets.push({ name: node.name, owner: node.owner, version: node.version, distance: hit.distance });
      else if (node?.kind === 'column') columns.push({ name: node.name, distance: hit.distance });
      else if (node?.kind === 'step') {
        steps.push({ name: node.name, pipeline: node.pipeline, distance: hit.distance });
        const pipeline = this.node('pipeline', node.pipeline);
        if (pipeline?.kind === 'pipeline')
          pipelines.set(pipeline.name, { name: pipeline.name, owner: pipeline.owner });
      }
    }
    const byDistance = <T extends { name: string; distance: number }>(a: T, b: T): number =>
      a.distance - b.distance || compareText(a.name, b.name);
    const owners = new Set<string>();
    for (const dataset of datasets) owners.add(dataset.owner);
    for (const pipeline of pipelines.values()) if (pipeline.owner) owners.add(pipeline.owner);
    return {
      found: true,
      target,
      targetKind: answer.targetKind,
      datasets: datasets.sort(byDistance),
      columns: columns.sort(byDistance),
      steps: steps.sort(byDistance),
      pipelines: [...pipelines.values()].sort((a, b) => compareText(a.name, b.name)),
      owners: [...owners].sort(),
    };
  }

  /**
   * What a change reaches beyond the downstream walk: the column-level reach of each column of a
   * dataset target, and the dataset of a step that only joins or filters on the target.
   */
  private impactExtraHits(target: string, answer: Extract<LineageAnswer, { found: true }>): LineageHit[] {
    const hits: LineageHit[] = [];
    if (answer.targetKind === 'dataset') {
      // Column-level reach of every column of the dataset, for the columns list.
      this.graph.forEachOutNeighbor(nodeKey('dataset', target), (_neighbor, attributes) => {
        if (attributes.kind !== 'column') return;
        const columnAnswer = this.traverse(attributes.name, 'downstream', {});
        if (columnAnswer.found) hits.push(...columnAnswer.nodes.filter((hit) => hit.kind === 'column'));
      });
    }
    // A step that only joins or filters on the target still breaks, and so does what it produces.
    for (const hit of answer.nodes) {
      const step = hit.kind === 'step' ? this.node('step', hit.name) : undefined;
      if (step?.kind === 'step' && step.produces !== target && this.node('dataset', step.produces)) {
        hits.push({
          kind: 'dataset',
          name: step.produces,
          distance: hit.distance,
          path: [...hit.path, step.produces],
        });
      }
    }
    return hits;
  }

  /** The graph as plain JSON (graphology's serialisation format); see `fromJSON`. */
  toJSON(): SerializedGraph<LineageNode, LineageEdge> {
    return this.graph.export();
  }

  private traverse(target: string, direction: Direction, options: TraversalOptions): LineageAnswer {
    const isDataset = this.graph.hasNode(nodeKey('dataset', target));
    if (!isDataset && !this.graph.hasNode(nodeKey('column', target))) return this.unknown(target);
    const depth = options.depth ?? Number.POSITIVE_INFINITY;
    const hits = new Map<string, LineageHit>();
    const hit = (
      kind: LineageHit['kind'],
      name: string,
      distance: number,
      path: readonly string[],
    ): boolean => {
      const key = nodeKey(kind, name);
      if (name === target || hits.has(key)) return false;
      hits.set(key, { kind, name, distance, path });
      return true;
    };
    const startKind = isDataset ? 'dataset' : 'column';
    let frontier: { key: string; path: readonly string[] }[] = [
      { key: nodeKey(startKind, target), path: [target] },
    ];
    for (let distance = 1; frontier.length > 0 && distance <= depth; distance++) {
      const next: { key: string; path: readonly string[] }[] = [];
      for (const { key, path } of frontier) {
        const visit = (kind: 'dataset' | 'column', name: string, via: readonly string[]): void => {
          const route = [...path, ...via, name];
          if (hit(kind, name, distance, route)) next.push({ key: nodeKey(kind, name), path: route });
        };
        if (isDataset) this.datasetStep(key, direction, distance, path, hit, visit);
        else this.columnStep(key, direction, distance, path, hit, visit);
      }
      frontier = next;
    }
    const nodes = [...hits.values()].sort(
      (a, b) =>
        a.distance - b.distance || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareText(a.name, b.name),
    );
    return { found: true, target, targetKind: startKind, direction, nodes };
  }

  /** One hop at dataset level: through the steps that read or produce, and the sources that land. */
  private datasetStep(
    key: string,
    direction: Direction,
    distance: number,
    path: readonly string[],
    hit: (kind: LineageHit['kind'], name: string, distance: number, path: readonly string[]) => boolean,
    visit: (kind: 'dataset' | 'column', name: string, via: readonly string[]) => void,
  ): void {
    const g = this.graph;
    if (direction === 'downstream') {
      g.forEachOutEdge(key, (_edge, edge, _source, step, __, stepNode) => {
        if (edge.kind !== 'reads') return;
        hit('step', stepNode.name, distance, [...path, stepNode.name]);
        g.forEachOutEdge(step, (_e, produced, _s, _dataset, _sa, datasetNode) => {
          if (produced.kind === 'produces') visit('dataset', datasetNode.name, [stepNode.name]);
        });
      });
      return;
    }
    g.forEachInEdge(key, (_edge, edge, producer, _target, producerNode) => {
      if (edge.kind === 'lands') hit('source', producerNode.name, distance, [...path, producerNode.name]);
      if (edge.kind !== 'produces') return;
      hit('step', producerNode.name, distance, [...path, producerNode.name]);
      g.forEachInEdge(producer, (_e, read, _dataset, _s, datasetNode) => {
        if (read.kind === 'reads') visit('dataset', datasetNode.name, [producerNode.name]);
      });
    });
  }

  /** One hop at column level: through `derives` edges, plus the steps that use a column anywhere. */
  private columnStep(
    key: string,
    direction: Direction,
    distance: number,
    path: readonly string[],
    hit: (kind: LineageHit['kind'], name: string, distance: number, path: readonly string[]) => boolean,
    visit: (kind: 'dataset' | 'column', name: string, via: readonly string[]) => void,
  ): void {
    const g = this.graph;
    const reached = (column: LineageNode, step: string): void => {
      if (column.kind !== 'column') return;
      hit('step', step, distance, [...path, step]);
      hit('dataset', column.dataset, distance, [...path, step, column.dataset]);
      visit('column', column.name, [step]);
    };
    if (direction === 'downstream') {
      g.forEachOutEdge(key, (_edge, edge, _source, _target, _sa, targetNode) => {
        if (edge.kind === 'derives') reached(targetNode, edge.step);
      });
      const column = g.getNodeAttributes(key);
      for (const step of this.stepsUsing(column.name)) hit('step', step, distance, [...path, step]);
      return;
    }
    g.forEachInEdge(key, (_edge, edge, _source, _target, sourceNode) => {
      if (edge.kind === 'derives') reached(sourceNode, edge.step);
    });
    // A column of a landed dataset comes from the source that loads it.
    const column = g.getNodeAttributes(key);
    if (column.kind !== 'column') return;
    g.forEachInEdge(nodeKey('dataset', column.dataset), (_edge, edge, _source, _target, sourceNode) => {
      if (edge.kind === 'lands') hit('source', sourceNode.name, distance, [...path, sourceNode.name]);
    });
  }

  private stepsUsing(column: string): readonly string[] {
    if (!this.usedBy) {
      const usedBy = new Map<string, string[]>();
      this.graph.forEachNode((_, node) => {
        if (node.kind !== 'step') return;
        for (const input of node.uses) usedBy.set(input, [...(usedBy.get(input) ?? []), node.name]);
      });
      this.usedBy = usedBy;
    }
    return this.usedBy.get(column) ?? [];
  }

  private unknown(target: string): UnknownTarget {
    const datasets: string[] = [];
    this.graph.forEachNode((_, attributes) => {
      if (attributes.kind === 'dataset') datasets.push(attributes.name);
    });
    const parts = target.split('.');
    if (parts.length >= 3) {
      const dataset = parts.slice(0, 2).join('.');
      const column = parts.slice(2).join('.');
      if (datasets.includes(dataset)) {
        const columns: string[] = [];
        this.graph.forEachOutNeighbor(nodeKey('dataset', dataset), (_, attributes) => {
          if (attributes.kind === 'column') columns.push(attributes.column);
        });
        const match = closestName(column, columns);
        return {
          found: false,
          target,
          message: `dataset "${dataset}" has no column "${column}"`,
          ...(match ? { hint: `did you mean "${dataset}.${match}"?` } : {}),
        };
      }
      const match = closestName(dataset, datasets);
      return {
        found: false,
        target,
        message: `no dataset "${dataset}" in the project`,
        ...(match ? { hint: `did you mean "${match}.${column}"?` } : {}),
      };
    }
    const match = closestName(target, datasets);
    return {
      found: false,
      target,
      message: `no dataset or column "${target}" in the project`,
      hint: match
        ? `did you mean "${match}"?`
        : 'name a dataset as "schema.table" or a column as "schema.table.column"',
    };
  }
}

/** The nearest hit of each node, by kind and name. */
function nearestHits(hits: readonly LineageHit[]): Map<string, LineageHit> {
  const best = new Map<string, LineageHit>();
  for (const hit of hits) {
    const key = nodeKey(hit.kind, hit.name);
    const seen = best.get(key);
    if (!seen || hit.distance < seen.distance) best.set(key, hit);
  }
  return best;
}
