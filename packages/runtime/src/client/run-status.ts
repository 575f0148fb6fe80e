// The status of a run, wherever it is: a running run answers the `status` query (a worker replays
// it); a closed one is described by the server and its result or failure, which carry the final
// status view, so no worker is needed once a run has finished.
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { pipelineRun } from '../workflows/pipeline-run.workflow.js';
import {
  AFTER_LOCAL_ATTEMPT,
  awaitingApprovalKey,
  pipelineKey,
  statusKey,
  statusQuery,
} from '../workflows/run-definitions.js';
import type { PipelineRunResult, RunStatusView } from '../workflows/run-types.js';
import { RunNotFoundError } from './run-errors.js';

export interface RunStatusReport {
  readonly runId: string;
  /** Temporal's state of the execution: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT. */
  readonly execution: string;
  /** The run's status: from its view, else from the PipectlStatus search attribute, else the execution. */
  readonly status: string;
  readonly pipeline: string | null;
  readonly awaitingApproval: boolean;
  readonly taskQueue: string;
  readonly startTime: Date;
  readonly closeTime?: Date;
  /** What the run reports about itself; null when it runs and no worker answered the query in time. */
  readonly view: RunStatusView | null;
  /** A completed run's result. */
  readonly result?: PipelineRunResult;
  /** A run that did not complete: its failure type (QualityGateFailed, ApprovalTimedOut, ... or the execution state) and message. */
  readonly failure?: { readonly type: string; readonly message: string };
  /** Activities of a running run that failed and wait for, or are in, another attempt, with why. */
  readonly retrying?: readonly ActivityRetry[];
}

export interface ActivityRetry {
  /** The activity's type, e.g. `extractSource`. */
  readonly activity: string;
  /** The attempt under way or next (2 or more). */
  readonly attempt: number;
  /** The last attempt's failure message: the cause, e.g. a source file not found. */
  readonly cause: string;
}

type PendingActivity = NonNullable<
  Awaited<ReturnType<WorkflowHandle['describe']>>['raw']['pendingActivities']
>[number];

/**
 * Pending activities past their first attempt, from the execution's description. A step's activity
 * that goes on after its local attempt failed (step-activities.ts) is one attempt further than
 * it counts, and its first ordinary attempt's cause is that local failure, from the run's view.
 */
function retriesOf(
  pending: readonly PendingActivity[] | null | undefined,
  view: RunStatusView | null,
): ActivityRetry[] {
  return (pending ?? []).flatMap((activity) => {
    const name = activity.activityType?.name ?? 'activity';
    const attempt = activity.attempt ?? 1;
    const id = activity.activityId ?? '';
    if (id.startsWith(AFTER_LOCAL_ATTEMPT)) {
      const step = id.slice(id.indexOf('/', AFTER_LOCAL_ATTEMPT.length) + 1);
      const cause =
        activity.lastFailure?.message ?? view?.steps.find((s) => s.name === step)?.localAttemptFailed;
      return cause === undefined ? [] : [{ activity: name, attempt: attempt + 1, cause }];
    }
    if (attempt <= 1 || !activity.lastFailure) return [];
    return [{ activity: name, attempt, cause: activity.lastFailure.message ?? 'unknown' }];
  });
}

export interface GetStatusOptions {
  /** How long a running run's query may wait for a worker (default 5 s). */
  readonly queryTimeoutMs?: number;
}

/**
 * @example const { status, view } = await getStatus(client, 'pipectl-shop-2026-11-22');
 */
export async function getStatus(
  client: Client,
  runId: string,
  options: GetStatusOptions = {},
): Promise<RunStatusReport> {
  const handle = client.workflow.getHandle<typeof pipelineRun>(runId);
  let description: Awaited<ReturnType<typeof handle.describe>>;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw error;
  }
  const attributes = description.typedSearchAttributes;
  const execution = description.status.name;
  const head = {
    runId,
    execution,
    pipeline: attributes.get(pipelineKey) ?? null,
    awaitingApproval: attributes.get(awaitingApprovalKey) ?? false,
    taskQueue: description.taskQueue,
    startTime: description.startTime,
    ...(description.closeTime ? { closeTime: description.closeTime } : {}),
  };
  const recorded = attributes.get(statusKey);
  if (execution === 'RUNNING') {
    const view = await queryStatus(client, runId, options.queryTimeoutMs ?? 5_000);
    // The view is newer than the search attributes read just before it.
    const awaitingApproval = view ? view.status === 'awaiting_approval' : head.awaitingApproval;
    const retrying = retriesOf(description.raw.pendingActivities, view);
    return {
      ...head,
      awaitingApproval,
      status: view?.status ?? recorded ?? 'running',
      view,
      ...(retrying.length > 0 ? { retrying } : {}),
    };
  }
  if (execution === 'COMPLETED') {
    const result = await handle.result();
    return { ...head, status: result.view.status, view: result.view, result };
  }
  return { ...head, ...(await closedWithout(handle, execution, recorded)) };
}

/** A run that closed without completing (failed, cancelled, terminated, timed out): its last view and why. */
async function closedWithout(
  handle: WorkflowHandle<typeof pipelineRun>,
  execution: string,
  recorded: string | undefined,
): Promise<Pick<RunStatusReport, 'status' | 'view' | 'failure'>> {
  try {
    await handle.result();
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      const view = (cause.details?.[0] as RunStatusView | undefined) ?? null;
      return {
        status: view?.status ?? recorded ?? execution.toLowerCase(),
        view,
        failure: { type: cause.type ?? 'PipelineRunFailed', message: cause.message },
      };
    }
    const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
    return { status: recorded ?? execution.toLowerCase(), view: null, failure: { type: execution, message } };
  }
  return { status: recorded ?? execution.toLowerCase(), view: null };
}

/** The `status` query, or null when no worker answers within `timeoutMs`. */
export async function queryStatus(
  client: Client,
  runId: string,
  timeoutMs: number,
): Promise<RunStatusView | null> {
  try {
    return await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(runId).query(statusQuery),
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    return null;
  }
}
