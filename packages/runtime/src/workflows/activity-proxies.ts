// How the run workflow calls its activities: timeouts and retries of planning, of the data work
// (which heartbeats), and of the best-effort OpenLineage activity. Creating a proxy issues no
// command; only calling one does. Workflow code: imports only @temporalio/workflow and its folder.
import { proxyActivities } from '@temporalio/workflow';
import type { RunActivities } from '../activities/run-activities.js';
import { NON_RETRYABLE_FAILURES } from './run-failures.js';
import { type ActivityRetry, LINEAGE_MAX_ATTEMPTS, type RunPlan } from './run-types.js';

/** Planning, and dropping what a failed run staged. */
export const planning = proxyActivities<RunActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3, initialInterval: '2s', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

/**
 * The OpenLineage activity: best effort, off the critical path (the run does not wait for it until
 * it ends), a few quick attempts; on its last attempt it reports what it dropped instead of failing.
 */
export const lineageActivity = proxyActivities<RunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: LINEAGE_MAX_ATTEMPTS, initialInterval: '1s', backoffCoefficient: 2 },
});

/**
 * Activities that do data work: they heartbeat, so a lost worker is noticed within the plan's
 * heartbeat timeout. `activityId` names them in the history (default: a sequence number).
 */
export function workActivities(retry: ActivityRetry, plan: RunPlan, activityId?: string): RunActivities {
  return proxyActivities<RunActivities>({
    ...(activityId ? { activityId } : {}),
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: plan.heartbeatTimeoutMs,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES],
    },
  });
}
