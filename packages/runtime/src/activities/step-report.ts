// The engine's build report cut down to what crosses the workflow boundary: counts, check
// verdicts (no samples), and the schema comparison with the consumers each breaking or review
// change reaches in the lineage graph, with their owners. Pure. Whether the run pauses (the
// step's verdict) and who a change reaches are @pipectl/compat's answers (`runGateOf` under the
// project's review policy, `changesReach`), the same `pipectl check` gives for the same change.
import {
  changesReach,
  DEFAULT_REVIEW_POLICY,
  type ReviewPolicy,
  reviewActionOf,
  runGateOf,
} from '@pipectl/compat';
import type { LineageGraph } from '@pipectl/compiler';
import type { BuildReport, CheckResult, CompatibilitySummary as EngineCompatibility } from '@pipectl/engine';
import type { Contract } from '@pipectl/spec';
import type { CheckSummary, CompatibilitySummary, StepBuildReport, Verdict } from '../workflows/run-types.js';

export function toStepBuildReport(args: {
  readonly step: string;
  readonly build: BuildReport;
  readonly contract: Contract;
  readonly graph: LineageGraph;
  /** The project's review policy (`compatibility.review` in pipectl.yaml). */
  readonly policy?: ReviewPolicy;
}): StepBuildReport {
  const { build, contract } = args;
  const policy = args.policy ?? DEFAULT_REVIEW_POLICY;
  return {
    step: args.step,
    dataset: build.dataset,
    rowsWritten: build.rowsStaged - build.rowsQuarantined,
    rowsQuarantined: build.rowsQuarantined,
    checks: (build.quality?.checks ?? []).map(toCheckSummary),
    compatibility: build.compatibility
      ? toCompatibility(build.compatibility, build.dataset, contract, args.graph, policy)
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
  policy: ReviewPolicy,
): CompatibilitySummary {
  const allowed = (change: EngineCompatibility['changes'][number]) =>
    !change.waived && change.verdict === 'review' && reviewActionOf(change.rule, policy) === 'allow';
  const changes = summary.changes.map((change) => ({
    rule: change.rule,
    path: change.path,
    verdict: (change.waived ? 'compatible' : change.verdict) as Verdict,
    message: change.waived
      ? `${change.message} (waived in the contract)`
      : allowed(change)
        ? `${change.message} (allowed by the project's review policy)`
        : change.message,
  }));
  const gate = summary.breaking ? 'breaking' : runGateOf(summary.changes, policy);
  const verdict: CompatibilitySummary['verdict'] = summary.fromVersion === undefined ? 'first' : gate;
  const reaching = summary.changes.filter(
    (change) => !change.waived && (change.verdict === 'breaking' || change.verdict === 'review'),
  );
  const reach = changesReach(graph, dataset, reaching);
  return {
    verdict,
    mode: summary.mode,
    fromVersion: summary.fromVersion ?? null,
    toVersion: summary.toVersion ?? contract.version,
    changes,
    consumers:
      verdict === 'first'
        ? []
        : [
            ...reach.datasets.map((d) => ({ name: d.name, kind: 'dataset' as const, owner: d.owner })),
            ...reach.pipelines.map((p) => ({ name: p.name, kind: 'pipeline' as const, owner: p.owner })),
          ],
  };
}
