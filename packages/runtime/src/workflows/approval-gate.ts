// The approval gate: a step whose change is breaking (or needs review) waits here for a decision.
// The rules are pure functions over the run state (which waiting step a payload decides, whether
// its sender may decide it, what a timeout decides), tested without Temporal; the handlers and the
// wait itself are the Temporal part. Workflow code: imports only @temporalio/workflow and its folder.
import {
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { approvalTimerSummary } from './approval-details.js';
import { changeFingerprint } from './change-fingerprint.js';
import { parseDecisionInput } from './decision-input.js';
import { judgeSignature } from './decision-signature.js';
import {
  approveSignal,
  approveUpdate,
  datasetKey,
  HANDLER_DESCRIPTIONS,
  rejectSignal,
  rejectUpdate,
  verdictKey,
} from './run-definitions.js';
import { type RunState, setStatus, settle, showDetails } from './run-state.js';
import type {
  Decision,
  DecisionInput,
  PendingApproval,
  PlannedStep,
  RefusedDecision,
  RunPlan,
  StepBuildReport,
} from './run-types.js';
import { chooseApproval } from './waiting-approval.js';

/** A payload that may decide a waiting step now, or why it may not. */
export type JudgedDecision =
  | { ok: true; input: DecisionInput; pending: PendingApproval; signature?: Decision['signature'] }
  | { ok: false; reason: string };

/**
 * The waiting approval this payload decides, or why it may not decide now: a malformed payload,
 * a step decided already, no step (or not that step) waiting, a sender who is not an approver of
 * the dataset, or, when the project requires signed approvals, a signature that does not verify.
 */
export function judgeDecision(
  state: RunState,
  payload: unknown,
  kind: Decision['kind'],
  now: number,
): JudgedDecision {
  const parsed = parseDecisionInput(payload);
  if (!parsed.ok) return parsed;
  const { input } = parsed;
  const earlier =
    input.step !== undefined && !state.waiting.has(input.step)
      ? state.decisions.findLast((d) => d.step === input.step)
      : undefined;
  if (earlier) {
    return { ok: false, reason: `step "${earlier.step}" was already ${earlier.kind} by ${earlier.by}` };
  }
  const chosen = chooseApproval([...state.waiting.values()], input);
  if (!chosen.ok) {
    const last = state.waiting.size === 0 ? state.decisions.at(-1) : undefined;
    const why = last
      ? `${chosen.reason} (step "${last.step}" was ${last.kind} by ${last.by})`
      : chosen.reason;
    return { ok: false, reason: why };
  }
  const { pending } = chosen;
  const made = state.taken.get(pending.step);
  if (made) return { ok: false, reason: `step "${pending.step}" was already ${made.kind} by ${made.by}` };
  if (!pending.approvers.includes(input.by)) {
    return {
      ok: false,
      reason: `"${input.by}" is not an approver of ${pending.dataset} (approvers: ${pending.approvers.join(', ') || 'none listed in the contract'})`,
    };
  }
  if (!state.signing) return { ok: true, input, pending };
  const signed = judgeSignature({
    runId: state.run.runId,
    kind: kind === 'approved' ? 'approve' : 'reject',
    input,
    pending,
    signers: state.signing.signers,
    now,
  });
  if (!signed.ok) return signed;
  return { ok: true, input, pending, signature: signed.signature };
}

/** Takes a decision for a waiting step; its awaitDecision picks it up. */
export function takeDecision(
  state: RunState,
  kind: Decision['kind'],
  judged: Extract<JudgedDecision, { ok: true }>,
  via: Decision['via'],
  at: string,
): Decision {
  const { input, pending, signature } = judged;
  const made: Decision = {
    kind,
    by: input.by,
    comment: input.comment ?? null,
    at,
    via,
    step: pending.step,
    fingerprint: pending.fingerprint,
    ...(signature ? { signature } : {}),
  };
  state.taken.set(pending.step, made);
  return made;
}

/** What the run records of a signal it refused (its fields cut short: they are the sender's). */
export function refusalOf(
  payload: unknown,
  kind: Decision['kind'],
  reason: string,
  at: string,
): RefusedDecision {
  const fields = (payload ?? {}) as { by?: unknown; step?: unknown };
  return {
    by: typeof fields.by === 'string' ? fields.by.slice(0, 200) : '',
    kind,
    step: typeof fields.step === 'string' ? fields.step.slice(0, 200) : null,
    reason,
    at,
  };
}

/** The approval a step waits for: the change, who may decide it, and until when. */
export function pendingApproval(
  step: PlannedStep,
  report: StepBuildReport,
  timeoutMs: number,
  now: number,
): PendingApproval {
  return {
    step: step.name,
    fingerprint: changeFingerprint({
      step: step.name,
      dataset: step.produces,
      plan: step.fingerprint,
      compatibility: report.compatibility,
    }),
    dataset: step.produces,
    approvers: step.approvers,
    compatibility: report.compatibility,
    ...(step.docsPage ? { docsPage: step.docsPage } : {}),
    since: new Date(now).toISOString(),
    deadline: new Date(now + timeoutMs).toISOString(),
  };
}

/** The decision a timeout takes: a rejection, whether the run then fails or goes on without it. */
export function timedOutDecision(
  pending: PendingApproval,
  onTimeout: RunPlan['approval']['onTimeout'],
  at: string,
): Decision {
  return {
    kind: 'rejected',
    by: 'timeout',
    comment:
      onTimeout === 'fail'
        ? 'no decision before the approval timeout: the run fails'
        : 'rejected: no decision before the approval timeout',
    at,
    via: 'timeout',
    step: pending.step,
    fingerprint: pending.fingerprint,
  };
}

/**
 * Answers `approve` and `reject`, as updates (validated first, answered) and as signals (the web
 * UI's path: a refused one is recorded in the status and Current Details).
 */
export function handleDecisions(state: RunState): void {
  const judge = (payload: unknown, kind: Decision['kind']) => judgeDecision(state, payload, kind, Date.now());
  const validatorFor =
    (kind: Decision['kind']) =>
    (payload: DecisionInput): void => {
      const judged = judge(payload, kind);
      if (!judged.ok) throw new Error(judged.reason);
    };
  const onUpdate = (kind: Decision['kind']) => (payload: DecisionInput) => {
    // First write wins, also against a signal that arrived after this update was validated.
    const judged = judge(payload, kind);
    if (!judged.ok) throw ApplicationFailure.nonRetryable(judged.reason, 'DecisionRefused');
    return takeDecision(state, kind, judged, 'update', new Date().toISOString());
  };
  const describe = HANDLER_DESCRIPTIONS;
  setHandler(approveUpdate, onUpdate('approved'), {
    validator: validatorFor('approved'),
    description: describe.approve,
  });
  setHandler(rejectUpdate, onUpdate('rejected'), {
    validator: validatorFor('rejected'),
    description: describe.reject,
  });
  const onSignal = (kind: Decision['kind']) => (payload: DecisionInput) => {
    const judged = judge(payload, kind);
    if (judged.ok) {
      takeDecision(state, kind, judged, 'signal', new Date().toISOString());
      return;
    }
    state.refuse(refusalOf(payload, kind, judged.reason, new Date().toISOString()));
    showDetails(state);
  };
  setHandler(approveSignal, onSignal('approved'), { description: describe.approve });
  setHandler(rejectSignal, onSignal('rejected'), { description: describe.reject });
}

/**
 * Makes a step wait for its decision (or the approval timeout) and returns it. A timeout under
 * `onTimeout: fail` throws ApprovalTimedOut; otherwise it rejects.
 */
export async function awaitDecision(
  state: RunState,
  step: PlannedStep,
  report: StepBuildReport,
  approval: RunPlan['approval'],
): Promise<Decision> {
  // Runs started before steps could wait in parallel queue their approvals one at a time, as
  // they did then: a step waiting in parallel starts its timeout timer earlier.
  if (!patched('parallel-approvals')) await condition(() => state.waiting.size === 0);
  const pending = pendingApproval(step, report, approval.timeoutMs, Date.now());
  state.waiting.set(step.name, pending);
  state.waitingDataset.set(step.name, step.produces);
  // The web UI's list can show and filter which datasets a run changed, and how gravely.
  // Runs started before these attributes existed do not set them (their histories replay as they ran).
  if (patched('change-search-attributes')) {
    if (report.compatibility.verdict === 'breaking') state.gravest = 'breaking';
    upsertSearchAttributes([
      { key: datasetKey, value: [...new Set(state.waitingDataset.values())] },
      { key: verdictKey, value: state.gravest },
    ]);
  }
  setStatus(state, 'awaiting_approval');
  showDetails(state);
  // The run's Summary is fixed at start; the wait's timer names the dataset, rule and deadline
  // in the web UI's History and Timeline. Older histories replay their timer without one.
  const decided = patched('approval-timer-summary')
    ? await condition(() => state.taken.has(step.name), approval.timeoutMs, {
        summary: approvalTimerSummary(pending),
      })
    : await condition(() => state.taken.has(step.name), approval.timeoutMs);
  let made = state.taken.get(step.name);
  state.taken.delete(step.name);
  state.waiting.delete(step.name);
  if (!decided || !made) {
    const timedOut = timedOutDecision(pending, approval.onTimeout, new Date().toISOString());
    state.decisions.push(timedOut);
    if (approval.onTimeout === 'fail') {
      settle(state, '');
      throw ApplicationFailure.nonRetryable(
        `no decision on the breaking change to ${step.produces} within the approval timeout`,
        'ApprovalTimedOut',
      );
    }
    made = timedOut;
  } else {
    state.decisions.push(made);
  }
  if (state.waiting.size === 0) {
    setStatus(state, 'running');
  }
  settle(state, state.decisionsDetails());
  return made;
}
