// The walk over a run's step DAG: every step starts once the steps it depends on have ended (so
// independent steps run in parallel), builds, waits at the approval gate when its change needs a
// decision, and publishes. Which steps start and which are skipped is `stepStart`
// (@pipectl/run-rules), the rule `pipectl test` follows too; the first failure stops the walk
// from starting more steps. Workflow code: imports only @temporalio/workflow, workflow-safe
// packages and its own folder.
import { stepStart } from '@pipectl/run-rules';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
} from '@temporalio/workflow';
import { planning } from './activity-proxies.js';
import { awaitDecision } from './approval-gate.js';
import type { RunLineage } from './run-lineage.js';
import { messageOf, type RunState } from './run-state.js';
import {
  type CheckSummary,
  type Decision,
  needsDecision,
  type PlannedStep,
  type PublishDecision,
  type PublishReport,
  type RunPlan,
  type StepState,
} from './run-types.js';
import { stepActivities } from './step-activities.js';

export interface StepWalkInput {
  readonly state: RunState;
  readonly plan: RunPlan;
  readonly projectDir: string;
  readonly lineage: RunLineage;
}

export interface StepWalkOutcome {
  /** Each planned step's final state, in plan order. */
  readonly states: readonly StepState[];
  /** The cancellation that stopped a step, when the run is being cancelled. */
  readonly cancelled: unknown;
}

/** Why the walk starts no more steps after a failure (the failure itself is in the run state). */
const HALTED = 'another step of the run failed';

/**
 * Runs every planned step, each once, after the steps it depends on. When a step failed or the run
 * is being cancelled, drops what is staged and not published (even while cancelled) before returning.
 */
export async function walkSteps({
  state,
  plan,
  projectDir,
  lineage,
}: StepWalkInput): Promise<StepWalkOutcome> {
  const { runId, logicalDate, input } = state.run;
  const { notify } = lineage;
  /** Steps whose output is staged but not published: dropped when the run ends without publishing them. */
  const staged = new Set<string>();
  let stopped = false;
  let cancelled: unknown = null;
  const running = new Map<string, Promise<StepState>>();
  const byName = new Map(plan.steps.map((step) => [step.name, step]));

  const runStep = async (step: PlannedStep): Promise<StepState> => {
    const entry = state.steps.get(step.name) ?? { state: 'pending' as StepState };
    const published = (result: PublishReport): StepState => {
      state.published.push(result);
      entry.state = 'published';
      notify({ job: 'step', step: step.name, eventType: 'COMPLETE' });
      return entry.state;
    };
    const upstream = await Promise.all(step.dependsOn.map((name) => start(name)));
    const decided = stepStart({
      halted: stopped ? HALTED : undefined,
      upstream: step.dependsOn.map((name, i) => ({ name, published: upstream[i] === 'published' })),
    });
    if (!decided.start) {
      entry.state = 'skipped';
      return entry.state;
    }
    const acts = stepActivities(step, plan, (message) => {
      entry.localAttemptFailed = message;
    });
    const stepInput = {
      projectDir,
      pipeline: input.pipeline,
      logicalDate,
      step: step.name,
      runId,
      fingerprint: step.fingerprint,
      ...state.restore,
    };
    entry.state = 'building';
    const startedAt = new Date().toISOString();
    notify({ job: 'step', step: step.name, eventType: 'START' });
    // Runs started before 'build-publishes-compatible' build and publish in two activities.
    // Staged from the start then: a publication that fails in the same activity leaves it to drop.
    const together = patched('build-publishes-compatible');
    if (together) staged.add(step.name);
    const { published: publishedByBuild, ...report } = await acts.buildStep(
      together ? { ...stepInput, publishWhenCompatible: true } : stepInput,
    );
    entry.report = report;
    notify({ job: 'gates', step: step.name, eventType: 'COMPLETE', checks: report.checks, startedAt });
    if (publishedByBuild) {
      staged.delete(step.name);
      return published(publishedByBuild);
    }
    staged.add(step.name);
    let made: Decision | null = null;
    if (needsDecision(report)) {
      entry.state = 'awaiting_approval';
      notify({ job: 'step', step: step.name, eventType: 'RUNNING' });
      made = await awaitDecision(state, step, report, plan.approval);
      if (made.kind === 'rejected') {
        await acts.discardStep(stepInput);
        staged.delete(step.name);
        entry.state = 'rejected';
        notify({
          job: 'step',
          step: step.name,
          eventType: 'ABORT',
          error: `the change to ${step.produces} was rejected by ${made.by} (${made.via})${made.comment ? `: ${made.comment}` : ''}`,
        });
        return entry.state;
      }
    }
    entry.state = 'publishing';
    const result = await acts.publishStep({
      ...stepInput,
      decision: made ? publishDecision(made) : null,
    });
    staged.delete(step.name);
    return published(result);
  };

  const start = (name: string): Promise<StepState> => {
    const existing = running.get(name);
    if (existing) return existing;
    const step = byName.get(name);
    if (!step) return Promise.resolve('skipped');
    const promise = runStep(step).catch((failure: unknown) => {
      stopped = true;
      const entry = state.steps.get(name);
      if (entry) entry.state = 'failed';
      if (isCancellation(failure)) cancelled ??= failure;
      else state.fail(failure, `step ${name}`);
      // A gate that blocked the step: its checks go to the lineage tools too (the failures are the
      // assertions that matter). Runs started before this send only the step's FAIL.
      const checks = isCancellation(failure) ? undefined : failedGateChecks(failure);
      if (checks && state.lineage !== undefined && patched('openlineage-failed-gate'))
        notify({ job: 'gates', step: name, eventType: 'FAIL', checks });
      notify(
        isCancellation(failure)
          ? { job: 'step', step: name, eventType: 'ABORT', error: 'the run was cancelled' }
          : { job: 'step', step: name, eventType: 'FAIL', error: messageOf(failure) },
      );
      return 'failed' as StepState;
    });
    running.set(name, promise);
    return promise;
  };

  const states = await Promise.all(plan.steps.map((step) => start(step.name)));
  if (cancelled !== null || states.includes('failed')) {
    // Nothing will publish what is still staged; drop it even when the run is being cancelled.
    await CancellationScope.nonCancellable(() =>
      Promise.all(
        [...staged].map((name) =>
          planning
            .discardStep({
              projectDir,
              pipeline: input.pipeline,
              logicalDate,
              step: name,
              runId,
              ...state.restore,
            })
            .catch(() => undefined),
        ),
      ),
    );
  }
  return { states, cancelled };
}

/** What publishStep records of a decision; runs without signatures send what they always sent. */
export function publishDecision(made: Decision): PublishDecision {
  const base = { by: made.by, kind: made.kind, comment: made.comment };
  return made.signature ? { ...base, at: made.at, via: made.via, signature: made.signature } : base;
}

/** The checks a `QualityGateFailed` failure of buildStep carries in its details, if it is one. */
function failedGateChecks(failure: unknown): readonly CheckSummary[] | undefined {
  // A failed local activity arrives as its ApplicationFailure itself, an ordinary one inside an ActivityFailure.
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'QualityGateFailed') return undefined;
  const [details] = (cause.details ?? []) as [{ checks?: readonly CheckSummary[] } | undefined];
  return Array.isArray(details?.checks) ? details.checks : undefined;
}
