// Approving or rejecting a run's pending schema change. `decide` sends the `approve`/`reject`
// update: the answer is synchronous, and a refusal (not an approver, nothing pending, already
// decided) comes back as DecisionRefusedError with the workflow's reason; it needs a worker.
// `signalDecision` sends the same as a signal (the web UI's path): accepted even while no worker
// runs, judged when one is back, and a refusal is only visible in the status (`refused`).
// `targetDecision` fills a decision's step and change fingerprint from the run's waiting steps, as
// `pipectl approve` does, and says which steps wait when the decision must name one.
import {
  type Client,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { pipelineRun } from '../workflows/pipeline-run.workflow.js';
import { approveSignal, approveUpdate, rejectSignal, rejectUpdate } from '../workflows/run-definitions.js';
import type { Decision, DecisionInput, PendingApproval, RunStatusView } from '../workflows/run-types.js';
import { chooseApproval } from '../workflows/waiting-approval.js';
import { DecisionRefusedError, RunNotFoundError, WorkerUnavailableError } from './run-errors.js';
import { queryStatus } from './run-status.js';

export type DecisionKind = 'approve' | 'reject';

export interface DecideOptions {
  /** How long to wait for a worker to take the update (default 10 s). */
  readonly timeoutMs?: number;
}

/**
 * @example const decision = await decide(client, runId, 'approve', { by: 'alice', comment: 'consumers migrated' });
 */
export async function decide(
  client: Client,
  runId: string,
  kind: DecisionKind,
  input: DecisionInput,
  options: DecideOptions = {},
): Promise<Decision> {
  const handle = client.workflow.getHandle<typeof pipelineRun>(runId);
  const taskQueue = await assertRunning(handle, runId, kind, input.by);
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    return await client.withAbortSignal(AbortSignal.timeout(timeoutMs), () =>
      handle.executeUpdate(kind === 'approve' ? approveUpdate : rejectUpdate, { args: [payloadOf(input)] }),
    );
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new DecisionRefusedError(runId, kind, input.by, error.cause?.message ?? error.message);
    }
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new WorkerUnavailableError(runId, taskQueue, timeoutMs);
    }
    if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw error;
  }
}

/**
 * Sends the decision as a signal; resolves once the server recorded it, not when the run took it.
 * @example await signalDecision(client, runId, 'reject', { by: 'alice', comment: 'breaks the finance export' });
 */
export async function signalDecision(
  client: Client,
  runId: string,
  kind: DecisionKind,
  input: DecisionInput,
): Promise<void> {
  const handle = client.workflow.getHandle<typeof pipelineRun>(runId);
  await assertRunning(handle, runId, kind, input.by);
  try {
    await handle.signal(kind === 'approve' ? approveSignal : rejectSignal, payloadOf(input));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw error;
  }
}

export type DecisionTarget =
  /**
   * The step chosen (null when no worker answered: the input goes as given, the run judges it),
   * and the run's signing requirement (its allowed signers) when it requires signed approvals.
   */
  | {
      readonly ok: true;
      readonly input: DecisionInput;
      readonly pending: PendingApproval | null;
      readonly signatures?: RunStatusView['signatures'];
    }
  /** Why no step could be chosen, and the steps that wait (several: the decision must name one). */
  | { readonly ok: false; readonly reason: string; readonly waiting: readonly PendingApproval[] };

/**
 * The decision with the step and change fingerprint it decides, filled from the run's waiting
 * steps: the one named by `input.step` (or `input.fingerprint`), or the only one waiting.
 * @example const target = await targetDecision(client, runId, { by: 'alice', step: 'daily_revenue' });
 * // target.ok && target.input: { by: 'alice', step: 'daily_revenue', fingerprint: '3f9c0a5e1b2d4c6f' }
 */
export async function targetDecision(
  client: Client,
  runId: string,
  input: DecisionInput,
  options: { readonly queryTimeoutMs?: number } = {},
): Promise<DecisionTarget> {
  const view = await queryStatus(client, runId, options.queryTimeoutMs ?? 5_000);
  if (!view) return { ok: true, input, pending: null };
  const waiting = view.awaiting ?? (view.pending ? [view.pending] : []);
  const chosen = chooseApproval(waiting, input);
  if (!chosen.ok) return { ok: false, reason: chosen.reason, waiting };
  const { step, fingerprint } = chosen.pending;
  return {
    ok: true,
    input: { ...input, step, fingerprint: input.fingerprint ?? fingerprint },
    pending: chosen.pending,
    ...(view.signatures ? { signatures: view.signatures } : {}),
  };
}

/** Only the fields the payload schema allows (decision-input.ts), without undefined ones. */
function payloadOf(input: DecisionInput): DecisionInput {
  return Object.fromEntries(
    (['by', 'comment', 'step', 'fingerprint', 'signedAt', 'signature'] as const)
      .filter((key) => input[key] !== undefined)
      .map((key) => [key, input[key]]),
  ) as unknown as DecisionInput;
}

/** Throws when the run does not exist or has finished; returns its task queue. */
async function assertRunning(
  handle: ReturnType<Client['workflow']['getHandle']>,
  runId: string,
  kind: DecisionKind,
  by: string,
): Promise<string> {
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') {
      throw new DecisionRefusedError(runId, kind, by, `the run has finished (${description.status.name})`);
    }
    return description.taskQueue;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw error;
  }
}
