// The step report a waiting run shows: whether it pauses follows the project's review policy, and
// the consumers it names are compat's `changeReach` over the compiled lineage — the answer
// `pipectl check` gives for the same change. The example project is compiled for real (DuckDB
// parses its SQL); the engine's build report is written out as data.
import { fileURLToPath } from 'node:url';
import { changeReach, type ReviewPolicy } from '@pipectl/compat';
import { type CompileResult, compileProject, loadProject } from '@pipectl/compiler';
import type { BuildReport } from '@pipectl/engine';
import type { Contract } from '@pipectl/spec';
import { beforeAll, describe, expect, test } from 'vitest';
import { toStepBuildReport } from '../src/activities/step-report.js';

/** The example's contract of `dataset`, as the loader read it. */
let contracts: Map<string, Contract>;
const contractOf = (dataset: string): Contract => contracts.get(dataset) as Contract;

const EXAMPLE = fileURLToPath(new URL('../../../examples/task-analytics', import.meta.url));

let compiled: CompileResult;
beforeAll(async () => {
  const loaded = await loadProject(EXAMPLE);
  contracts = new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
  compiled = await compileProject(loaded);
}, 120_000);

/** A built `app.projects` whose schema comparison found `changes`. */
function built(changes: { rule: string; path: string; verdict: string; waived?: boolean }[]): BuildReport {
  return {
    status: 'ready',
    runId: 'run-1',
    step: 'projects',
    dataset: 'app.projects',
    materialized: 'table',
    rowsStaged: 3,
    rowsQuarantined: 0,
    compatibility: {
      mode: 'forward',
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      breaking: changes.some((c) => c.verdict === 'breaking' && !c.waived),
      needsReview: changes.some((c) => c.verdict === 'review' && !c.waived),
      changes: changes.map((c) => ({ ...c, message: `${c.rule} at ${c.path}` })),
    },
    timings: { stageMs: 1, qualityMs: 1, totalMs: 2 },
  };
}

function report(changes: Parameters<typeof built>[0], policy?: ReviewPolicy) {
  return toStepBuildReport({
    step: 'projects',
    build: built(changes),
    contract: contractOf('app.projects'),
    graph: compiled.graph,
    ...(policy ? { policy } : {}),
  });
}

const review = [{ rule: 'PATTERN_CHANGED', path: 'columns.project_key.pattern', verdict: 'review' }];

describe('the step report under the review policy', () => {
  test('a review change pauses the run by default, and under approve', () => {
    expect(report(review).compatibility.verdict).toBe('review');
    expect(report(review, { default: 'approve', rules: {} }).compatibility.verdict).toBe('review');
  });

  test('a review change the policy allows publishes, and says why', () => {
    const step = report(review, { default: 'fail', rules: { constraint: 'allow' } });
    expect(step.compatibility.verdict).toBe('compatible');
    expect(step.compatibility.changes[0]?.message).toContain("allowed by the project's review policy");
  });

  test('breaking pauses whatever the policy', () => {
    const breaking = [{ rule: 'FIELD_REMOVED', path: 'columns.status', verdict: 'breaking' }];
    expect(report(breaking, { default: 'allow', rules: {} }).compatibility.verdict).toBe('breaking');
  });
});

describe('the consumers a waiting run names', () => {
  test('are the consumers pipectl check names for the same change (changeReach over the same graph)', () => {
    const change = { rule: 'FIELD_TYPE_NARROWED', path: 'columns.project_id.type', verdict: 'breaking' };
    const step = report([change]);
    const reach = changeReach(compiled.graph, 'app.projects', change);
    expect(reach?.datasets.length).toBeGreaterThan(0);
    expect(step.compatibility.consumers).toEqual([
      ...(reach?.datasets ?? []).map((d) => ({ name: d.name, kind: 'dataset', owner: d.owner })),
      ...(reach?.pipelines ?? []).map((p) => ({ name: p.name, kind: 'pipeline', owner: p.owner })),
    ]);
  });
});
