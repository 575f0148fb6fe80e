// The engine's build report cut down to what crosses the workflow boundary: counts, check
// verdicts (no samples), and the schema comparison with the consumers each breaking or review
// change reaches in the lineage graph, with their owners. Pure.
import type { LineageGraph } from '@pipectl/compiler';
import type { BuildReport, CheckResult, CompatibilitySummary as EngineCompatibility } from '@pipectl/engine';
import type { Contract } from '@pipectl/spec';
import type { CheckSummary, CompatibilitySummary, StepBuildReport, Verdict } from '../workflows/run-types.js';

export function toStepBuildReport(args: {
  readonly step: string;
  readonly build: BuildReport;
  readonly contract: Contract;
  readonly graph: LineageGraph;
}): StepBuildReport {
  const { build, contract } = args;
  return {
    step: args.step,
    dataset: build.dataset,
    rowsWritten: build.rowsStaged - build.rowsQuarantined,
    rowsQuarantined: build.rowsQuarantined,
    checks: (build.quality?.checks ?? []).map(toCheckSummary),
    compatibility: build.compatibility
      ? toCompatibility(build.compatibility, build.dataset, contract, args.graph)
      : // Already published by this run (a retry after publication): nothing left to decide.
        {
          verdict: 'compatible',
          mode: contract.compatibility,
          fromVersion: contract.version,
          toVersion: contract.version,
          changes: [],
          consumers: [],
        },
    durationMs: build.timings.totalMs,
  };
}

export function toCheckSummary(check: CheckResult): CheckSummary {
  return {
    id: check.id,
    severity: check.severity,
    status: check.status,
    blocking: check.blocking,
    passed: check.status === 'pass' || check.status === 'quarantined',
    failingRows: check.failingRows ?? 0,
    expected: check.expected,
    observed: check.observed,
  };
}

function toCompatibility(
  summary: EngineCompatibility,
  dataset: string,
  contract: Contract,
  graph: LineageGraph,
): CompatibilitySummary {
  const changes = summary.changes.map((change) => ({
    rule: change.rule,
    path: change.path,
    verdict: (change.waived ? 'compatible' : change.verdict) as Verdict,
    message: change.waived ? `${change.message} (waived in the contract)` : change.message,
  }));
  const verdict: CompatibilitySummary['verdict'] =
    summary.fromVersion === undefined
      ? 'first'
      : summary.breaking
        ? 'breaking'
        : summary.needsReview
          ? 'review'
          : 'compatible';
  const blocking = changes.filter((change) => change.verdict === 'breaking' || change.verdict === 'review');
  return {
    verdict,
    mode: summary.mode,
    fromVersion: summary.fromVersion ?? null,
    toVersion: summary.toVersion ?? contract.version,
    changes,
    consumers: verdict === 'first' ? [] : consumersOf(graph, dataset, blocking),
  };
}

/**
 * Who the changes reach: for a change to a column the graph knows, that column's downstream; for a
 * column it no longer knows (removed or renamed) or a dataset-level change, the dataset's.
 */
export function consumersOf(
  graph: LineageGraph,
  dataset: string,
  changes: readonly { readonly path: string }[],
): CompatibilitySummary['consumers'] {
  const targets = new Set<string>();
  for (const change of changes) {
    const column = /^columns\.([^.]+)/.exec(change.path)?.[1];
    const columnTarget = column === undefined ? undefined : `${dataset}.${column}`;
    targets.add(columnTarget !== undefined && graph.impact(columnTarget).found ? columnTarget : dataset);
  }
  const consumers = new Map<string, CompatibilitySummary['consumers'][number]>();
  for (const target of targets) {
    const impact = graph.impact(target);
    if (!impact.found) continue;
    for (const reached of impact.datasets) {
      if (reached.name === dataset) continue;
      consumers.set(`dataset:${reached.name}`, { name: reached.name, kind: 'dataset', owner: reached.owner });
    }
    for (const pipeline of impact.pipelines) {
      consumers.set(`pipeline:${pipeline.name}`, {
        name: pipeline.name,
        kind: 'pipeline',
        owner: pipeline.owner,
      });
    }
  }
  return [...consumers.values()].sort(
    (a, b) => a.kind.localeCompare(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
