// Turns the resolved project into its plan: datasets with their producers, and per pipeline the
// sources and the steps in a valid execution order (graphology-dag), with resolved SQL.
import { type Project, primaryKeyOf } from '@pipectl/spec';
import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import type { SelectLineage } from '../lineage/column-lineage.js';
import type { Producer, ProjectIndex } from '../resolve/project-index.js';
import type { ResolvedStep } from '../resolve/resolve-step-sql.js';
import { relationOf } from '../sql/sql-template.js';
import { compareText } from '../support/compare-text.js';
import type {
  DatasetPlan,
  PipelinePlan,
  ProducerPlan,
  ProjectPlan,
  StepPlan,
  StepReadPlan,
} from './project-plan.js';

export function buildPlan(
  project: Project,
  index: ProjectIndex,
  steps: readonly ResolvedStep[],
  lineages: ReadonlyMap<string, SelectLineage>,
): ProjectPlan {
  const { apiVersion: _apiVersion, kind: _kind, ...settings } = project;
  const datasets: DatasetPlan[] = [...index.contracts.keys()].sort().map((name) => {
    const document = index.contracts.get(name);
    const contract = document?.value;
    if (!document || !contract) throw new Error(`contract ${name} vanished from the index`);
    const producer = index.producers.get(name);
    return {
      name,
      relation: relationOf(name),
      version: contract.version,
      owner: contract.owner,
      compatibility: contract.compatibility,
      approvers: contract.approvers,
      file: document.file,
      ...(contract.tags !== undefined && contract.tags.length > 0 ? { tags: [...contract.tags] } : {}),
      producedBy: producer ? producerPlan(producer) : null,
      columns: contract.columns.map((column) => ({
        name: column.name,
        type: column.type,
        nullable: column.nullable && !column.primaryKey,
        primaryKey: column.primaryKey,
        ...(column.pii ? { pii: column.pii } : {}),
      })),
    };
  });

  const stepsByPipeline = new Map<string, ResolvedStep[]>();
  for (const step of steps) {
    const name = step.pipeline.value.name;
    stepsByPipeline.set(name, [...(stepsByPipeline.get(name) ?? []), step]);
  }

  const pipelines: PipelinePlan[] = [...index.pipelines.keys()].sort().map((name) => {
    const document = index.pipelines.get(name);
    if (!document) throw new Error(`pipeline ${name} vanished from the index`);
    const pipeline = document.value;
    const resolvedSteps = stepsByPipeline.get(name) ?? [];
    const upstreamPipelines = new Set<string>();
    const planned = resolvedSteps.map((resolved) => {
      const plan = stepPlan(resolved, index, lineages.get(resolved.key));
      for (const input of resolved.inputs) {
        if (input.producer && input.producer.pipeline !== name)
          upstreamPipelines.add(input.producer.pipeline);
      }
      return plan;
    });
    return {
      name,
      file: document.file,
      ...(pipeline.description !== undefined ? { description: pipeline.description } : {}),
      ...(pipeline.owner !== undefined ? { owner: pipeline.owner } : {}),
      ...(pipeline.tags !== undefined && pipeline.tags.length > 0 ? { tags: [...pipeline.tags] } : {}),
      schedule: pipeline.schedule ?? null,
      retry: pipeline.retry,
      approval: pipeline.approval,
      dependsOnPipelines: [...upstreamPipelines].sort(),
      sources: pipeline.sources.map((source) => ({
        ...source,
        dataset: source.contract,
        relation: relationOf(source.contract),
      })),
      steps: executionOrder(orderForReferences(planned, index)),
    };
  });

  return { project: settings, datasets, pipelines };
}

function stepPlan(resolved: ResolvedStep, index: ProjectIndex, lineage: SelectLineage | undefined): StepPlan {
  const { step, pipeline } = resolved;
  const reads = new Map<string, { as: Set<string>; producer: Producer | undefined }>();
  const dependsOn = new Set<string>();
  for (const input of resolved.inputs) {
    if (input.dataset === undefined) continue;
    const read = reads.get(input.dataset) ?? { as: new Set<string>(), producer: input.producer };
    read.as.add(`${input.fn}('${input.name}')`);
    reads.set(input.dataset, read);
    const producer = input.producer;
    if (
      producer?.kind === 'step' &&
      producer.pipeline === pipeline.value.name &&
      producer.name !== step.name
    ) {
      dependsOn.add(producer.name);
    }
  }
  const contract = index.contracts.get(step.produces)?.value;
  const uniqueKey =
    step.uniqueKey ?? (step.materialized === 'incremental' && contract ? primaryKeyOf(contract) : undefined);
  const declared = index.columns.get(step.produces);
  return {
    name: step.name,
    ...(step.description !== undefined ? { description: step.description } : {}),
    produces: step.produces,
    relation: relationOf(step.produces),
    materialized: step.materialized,
    ...(uniqueKey && uniqueKey.length > 0 ? { uniqueKey } : {}),
    ...(resolved.rendered ? { sql: resolved.rendered.text } : {}),
    ...(resolved.sql?.fromFile ? { sqlFile: resolved.sql.file } : {}),
    reads: [...reads.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(
        ([dataset, read]): StepReadPlan => ({
          dataset,
          relation: relationOf(dataset),
          as: [...read.as].sort(),
          producedBy: read.producer ? producerPlan(read.producer) : null,
        }),
      ),
    dependsOn: [...dependsOn].sort(),
    gates: step.gates,
    retry: step.retry ?? pipeline.value.retry,
    lineage: (lineage?.columns ?? []).flatMap((column) => {
      if (column.name === undefined) return [];
      const name = declared?.get(column.name.toLowerCase())?.name ?? column.name;
      return [{ column: name, from: column.inputs, direct: column.direct }];
    }),
  };
}

/**
 * A step whose contract (or gates) checks references into a dataset another step of the same
 * pipeline produces runs after that step, so its `relationships` checks see the new data instead
 * of being skipped. Not when the other step already depends on it: that order comes from the SQL.
 */
function orderForReferences(steps: readonly StepPlan[], index: ProjectIndex): StepPlan[] {
  const producerOf = new Map(steps.map((step) => [step.produces, step.name]));
  const dependsOn = new Map(steps.map((step) => [step.name, new Set(step.dependsOn)]));
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const name = stack.pop() as string;
      if (name === to) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...(dependsOn.get(name) ?? []));
    }
    return false;
  };
  for (const step of steps) {
    for (const dataset of referencedDatasets(step, index)) {
      const producer = producerOf.get(dataset);
      if (producer === undefined || producer === step.name || reaches(producer, step.name)) continue;
      dependsOn.get(step.name)?.add(producer);
    }
  }
  return steps.map((step) => ({ ...step, dependsOn: [...(dependsOn.get(step.name) ?? [])].sort() }));
}

/** Datasets the checks of a step's output point into: column `references` and `relationships` checks. */
function referencedDatasets(step: StepPlan, index: ProjectIndex): Set<string> {
  const contract = index.contracts.get(step.produces)?.value;
  const targets = [
    ...(contract?.columns ?? []).flatMap((column) => (column.references ? [column.references] : [])),
    ...[...(contract?.quality ?? []), ...step.gates].flatMap((check) =>
      check.check === 'relationships' ? [check.to] : [],
    ),
  ];
  return new Set(targets.map((target) => target.split('.').slice(0, 2).join('.')));
}

/** Steps after the steps they depend on; declaration order among independent steps and on a cycle. */
function executionOrder(steps: readonly StepPlan[]): StepPlan[] {
  const graph = new DirectedGraph();
  for (const step of steps) graph.mergeNode(step.name);
  for (const step of steps) {
    for (const dependency of step.dependsOn)
      if (graph.hasNode(dependency)) graph.mergeEdge(dependency, step.name);
  }
  let order: string[];
  try {
    order = topologicalSort(graph);
  } catch {
    return [...steps];
  }
  const byName = new Map(steps.map((step) => [step.name, step]));
  return order.map((name) => byName.get(name)).filter((step): step is StepPlan => step !== undefined);
}

function producerPlan(producer: Producer): ProducerPlan {
  return producer.kind === 'step'
    ? { pipeline: producer.pipeline, step: producer.name }
    : { pipeline: producer.pipeline, source: producer.name };
}
