// How the walk calls a step's data work (build, publish, discard). On a lakehouse, and in runs
// planned before local steps, as ordinary activities that any worker of the task queue may take.
// On the embedded DuckDB file, which one worker writes, the plan says `localSteps`: the first
// attempt is then a local activity of the worker running the workflow, with no round trip through
// the server (no activity task to schedule, dispatch and complete). An attempt that failed and may be
// retried goes on as an ordinary activity with the step's remaining attempts, so retries show as
// pending activities with their cause, as they do elsewhere.
// Workflow code: imports only @temporalio/workflow and its own folder.
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { RunActivities } from '../activities/run-activities.js';
import { workActivities } from './activity-proxies.js';
import { AFTER_LOCAL_ATTEMPT } from './run-definitions.js';
import { NON_RETRYABLE_FAILURES } from './run-failures.js';
import { messageOf } from './run-state.js';
import type { ActivityRetry, PlannedStep, RunPlan } from './run-types.js';

export type StepActivities = Pick<RunActivities, 'buildStep' | 'publishStep' | 'discardStep'>;

/**
 * The step's activities. `onLocalFailure` hears the message of a local attempt that failed and is
 * retried as an ordinary activity.
 */
export function stepActivities(
  step: PlannedStep,
  plan: RunPlan,
  onLocalFailure: (message: string) => void,
): StepActivities {
  if (!plan.localSteps) return workActivities(step.retry, plan);
  // One attempt here; the retries, with their backoff, go through the server.
  const local = proxyLocalActivities<RunActivities>({
    startToCloseTimeout: '2 hours',
    retry: { maximumAttempts: 1, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
  });
  const rest = remainingRetry(step.retry);
  const call =
    <K extends keyof StepActivities>(name: K) =>
    async (input: Parameters<StepActivities[K]>[0]): Promise<Awaited<ReturnType<StepActivities[K]>>> => {
      const run = (acts: StepActivities) =>
        (acts[name] as (i: typeof input) => Promise<Awaited<ReturnType<StepActivities[K]>>>)(input);
      try {
        return await run(local);
      } catch (failure) {
        if (!rest || !mayRetry(failure)) throw failure;
        onLocalFailure(messageOf(failure));
        await sleep(step.retry.initialIntervalMs);
        return run(workActivities(rest, plan, `${AFTER_LOCAL_ATTEMPT}${name}/${step.name}`));
      }
    };
  return { buildStep: call('buildStep'), publishStep: call('publishStep'), discardStep: call('discardStep') };
}

/**
 * The retry policy after the first attempt: one attempt fewer (0 stays unlimited), the next
 * interval as the first; null when the first attempt was the only one.
 */
export function remainingRetry(retry: ActivityRetry): ActivityRetry | null {
  if (retry.maximumAttempts === 1) return null;
  return {
    ...retry,
    maximumAttempts: retry.maximumAttempts === 0 ? 0 : retry.maximumAttempts - 1,
    initialIntervalMs: Math.min(retry.initialIntervalMs * retry.backoffCoefficient, retry.maximumIntervalMs),
  };
}

/** Whether a failed local attempt is one Temporal would retry: not a cancellation, not a non-retryable failure. */
function mayRetry(failure: unknown): boolean {
  if (isCancellation(failure)) return false;
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  if (!(cause instanceof ApplicationFailure)) return true;
  return !cause.nonRetryable && !NON_RETRYABLE_FAILURES.some((type) => type === cause.type);
}
