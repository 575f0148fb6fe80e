// Builds the lineage graph from the resolved project: datasets and their columns from contracts,
// pipelines with their sources and steps, and the edges between them, down to column level from
// each step's traced SQL. Insertion is in sorted order so the serialised graph is stable.
import { DirectedGraph } from 'graphology';
import { stepKey } from '../load/load-project.js';
import type { ProjectIndex } from '../resolve/project-index.js';
import type { ResolvedStep } from '../resolve/resolve-step-sql.js';
import type { SelectLineage } from './column-lineage.js';
import {
  type LineageEdge,
  LineageGraph,
  type LineageGraphData,
  type LineageNode,
  nodeKey,
} from './lineage-graph.js';

/** The lineage graph of a resolved project: datasets, then pipelines and sources, then steps. */
export function buildLineageGraph(
  index: ProjectIndex,
  steps: readonly ResolvedStep[],
  lineages: ReadonlyMap<string, SelectLineage>,
): LineageGraph {
  const graph: LineageGraphData = new DirectedGraph<LineageNode, LineageEdge>();
  addDatasets(graph, index);
  addPipelines(graph, index);
  for (const resolved of steps) addStep(graph, index, resolved, lineages);
  return new LineageGraph(graph);
}

/** Adds an edge once, and only between nodes that exist. */
function addEdge(
  graph: LineageGraphData,
  kind: LineageEdge['kind'],
  source: string,
  target: string,
  attributes: LineageEdge,
): void {
  const key = `${kind}:${source}->${target}`;
  if (!graph.hasEdge(key) && graph.hasNode(source) && graph.hasNode(target)) {
    graph.addDirectedEdgeWithKey(key, source, target, attributes);
  }
}

/** A node per contracted dataset and per column of it, with its has_column edges, by dataset name. */
function addDatasets(graph: LineageGraphData, index: ProjectIndex): void {
  for (const name of [...index.contracts.keys()].sort()) {
    const contract = index.contracts.get(name)?.value;
    const document = index.contracts.get(name);
    if (!contract || !document) continue;
    const producer = index.producers.get(name);
    const datasetKey = nodeKey('dataset', name);
    graph.addNode(datasetKey, {
      kind: 'dataset',
      name,
      owner: contract.owner,
      version: contract.version,
      file: document.file,
      producer: producer ? stepKey(producer.pipeline, producer.name) : null,
    });
    for (const column of contract.columns) {
      const columnName = `${name}.${column.name}`;
      const columnKey = nodeKey('column', columnName);
      graph.addNode(columnKey, {
        kind: 'column',
        name: columnName,
        dataset: name,
        column: column.name,
        type: column.type,
        nullable: column.nullable && !column.primaryKey,
        primaryKey: column.primaryKey,
        pii: column.pii ?? null,
      });
      // Both ends were just added and the key is new: no need for addEdge()'s checks.
      graph.addDirectedEdgeWithKey(`has_column:${datasetKey}->${columnKey}`, datasetKey, columnKey, {
        kind: 'has_column',
      });
    }
  }
}

/** A node per pipeline and per source of it, with contains and lands edges, by pipeline name. */
function addPipelines(graph: LineageGraphData, index: ProjectIndex): void {
  for (const name of [...index.pipelines.keys()].sort()) {
    const document = index.pipelines.get(name);
    if (!document) continue;
    const pipeline = document.value;
    const pipelineKey = nodeKey('pipeline', name);
    graph.addNode(pipelineKey, {
      kind: 'pipeline',
      name,
      owner: pipeline.owner ?? null,
      file: document.file,
    });
    for (const source of pipeline.sources) {
      const sourceName = stepKey(name, source.name);
      const sourceKey = nodeKey('source', sourceName);
      if (graph.hasNode(sourceKey)) continue;
      graph.addNode(sourceKey, {
        kind: 'source',
        name: sourceName,
        pipeline: name,
        source: source.name,
        sourceKind: source.kind,
        dataset: source.contract,
      });
      addEdge(graph, 'contains', pipelineKey, sourceKey, { kind: 'contains' });
      if (isProducer(index, source.contract, 'source', name, source.name)) {
        addEdge(graph, 'lands', sourceKey, nodeKey('dataset', source.contract), { kind: 'lands' });
      }
    }
  }
}

/** A step's node with its contains, reads and produces edges, then its column derivations. */
function addStep(
  graph: LineageGraphData,
  index: ProjectIndex,
  resolved: ResolvedStep,
  lineages: ReadonlyMap<string, SelectLineage>,
): void {
  const { step, key } = resolved;
  const pipeline = resolved.pipeline.value.name;
  const stepNodeKey = nodeKey('step', key);
  if (graph.hasNode(stepNodeKey)) return;
  graph.addNode(stepNodeKey, {
    kind: 'step',
    name: key,
    pipeline,
    step: step.name,
    produces: step.produces,
    materialized: step.materialized,
    uses: [...(lineages.get(key)?.uses ?? [])],
  });
  addEdge(graph, 'contains', nodeKey('pipeline', pipeline), stepNodeKey, { kind: 'contains' });
  for (const input of resolved.inputs) {
    if (input.dataset !== undefined)
      addEdge(graph, 'reads', nodeKey('dataset', input.dataset), stepNodeKey, { kind: 'reads' });
  }
  if (isProducer(index, step.produces, 'step', pipeline, step.name)) {
    addEdge(graph, 'produces', stepNodeKey, nodeKey('dataset', step.produces), { kind: 'produces' });
  }
  const lineage = lineages.get(key);
  if (lineage) addDerivations(graph, index, resolved, lineage);
}

/** derives edges from the input columns of each output column of a step to its contract's column. */
function addDerivations(
  graph: LineageGraphData,
  index: ProjectIndex,
  { step, key }: ResolvedStep,
  lineage: SelectLineage,
): void {
  const columns = index.columns.get(step.produces);
  if (!columns) return;
  for (const output of lineage.columns) {
    const column = output.name === undefined ? undefined : columns.get(output.name.toLowerCase());
    if (!column) continue;
    const target = nodeKey('column', `${step.produces}.${column.name}`);
    for (const input of output.inputs) {
      addEdge(graph, 'derives', nodeKey('column', input), target, {
        kind: 'derives',
        step: key,
        direct: output.direct,
      });
    }
  }
}

/** Only the registered producer gets the edge; a second one was reported as PIPE2007. */
function isProducer(
  index: ProjectIndex,
  dataset: string,
  kind: 'step' | 'source',
  pipeline: string,
  name: string,
): boolean {
  const producer = index.producers.get(dataset);
  return producer?.kind === kind && producer.pipeline === pipeline && producer.name === name;
}
