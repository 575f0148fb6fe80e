// The pipeline run: a durable workflow over the compiled plan of one pipeline and a logical date.
// It loads the sources, walks the step DAG (independent steps in parallel), and before publishing a
// dataset whose schema breaks what consumers last saw, waits for an approver's decision.
// Deterministic: imports only @temporalio/workflow and types; all I/O is in activities.
// Changing this file changes what running workflows replay: keep test/replay.test.ts green (guard
// incompatible changes with patched()) and regenerate the histories only for new behaviour.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunActivities } from '../activities/run-activities.js';
import { approvalDetails, approvalTimerSummary, decisionLine, refusalDetails } from './approval-details.js';
import { changeFingerprint } from './change-fingerprint.js';
import { parseDecisionInput } from './decision-input.js';
import { judgeSignature } from './decision-signature.js';
import { resolveLogicalDate, scheduledStartTimeKey } from './logical-date.js';
import {
  approveSignal,
  approveUpdate,
  awaitingApprovalKey,
  datasetKey,
  HANDLER_DESCRIPTIONS,
  pipelineKey,
  rejectSignal,
  rejectUpdate,
  statusKey,
  statusQuery,
  verdictKey,
} from './run-definitions.js';
import { CHANGE_REJECTED, isRunFailureType, NON_RETRYABLE_FAILURES } from './run-failures.js';
import {
  type ActivityRetry,
  type Decision,
  type DecisionInput,
  LINEAGE_MAX_ATTEMPTS,
  type LineageCounts,
  type LineageNotice,
  type PendingApproval,
  type PipelineRunInput,
  type PipelineRunResult,
  type PlannedStep,
  type PublishDecision,
  type PublishReport,
  type RefusedDecision,
  type RunPlan,
  type RunStatus,
  type RunStatusView,
  type SourceReport,
  type StepBuildReport,
  type StepState,
} from './run-types.js';
import { chooseApproval } from './waiting-approval.js';

/** How many refused signals a run keeps in its status (the latest). */
const MAX_REFUSED = 100;

const planning = proxyActivities<RunActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3, initialInterval: '2s', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

/**
 * The OpenLineage activity: best effort, off the critical path (the run does not wait for it until
 * it ends), a few quick attempts; on its last attempt it reports what it dropped instead of failing.
 */
const lineageActivity = proxyActivities<RunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: LINEAGE_MAX_ATTEMPTS, initialInterval: '1s', backoffCoefficient: 2 },
});

/** Activities that do data work: they heartbeat, so a lost worker is noticed within the plan's heartbeat timeout. */
function workActivities(retry: ActivityRetry, plan: RunPlan): RunActivities {
  return proxyActivities<RunActivities>({
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

export async function pipelineRun(input: PipelineRunInput): Promise<PipelineRunResult> {
  const info = workflowInfo();
  const runId = info.workflowId;
  const logicalDate = resolveLogicalDate(
    input,
    info.typedSearchAttributes.get(scheduledStartTimeKey),
    info.startTime,
  );
  let status: RunStatus = 'planning';
  /** Steps waiting for a decision, by step name, in the order they started waiting. */
  const waiting = new Map<string, PendingApproval>();
  /** Decisions taken for a waiting step, not yet picked up by its awaitDecision. */
  const taken = new Map<string, Decision>();
  let error: string | null = null;
  let errorType: string | null = null;
  const decisions: Decision[] = [];
  const refused: RefusedDecision[] = [];
  const sources: SourceReport[] = [];
  const steps = new Map<string, { state: StepState; report?: StepBuildReport }>();
  const published: PublishReport[] = [];
  /** The planned revision's approvers' keys, when the project requires signed approvals. */
  let signing: RunPlan['signatures'];
  /** OpenLineage deliveries, once the plan says the target emits events. */
  let lineage: LineageCounts | undefined;
  const lineageSends: Promise<void>[] = [];
  /** Sends OpenLineage events of these moments, without waiting (a run never waits on lineage). */
  const notify = (...notices: Omit<LineageNotice, 'at'>[]): void => {
    if (lineage === undefined) return;
    const at = new Date().toISOString();
    const stamped = notices.map((notice) => ({ ...notice, at }));
    const events = stamped.reduce((n, notice) => n + (notice.job === 'gates' ? 2 : 1), 0);
    // Not cancellable: a cancelled run still tells the lineage tools it was aborted.
    const sending = CancellationScope.nonCancellable(() =>
      lineageActivity.emitLineage({
        projectDir: input.projectDir,
        pipeline: input.pipeline,
        logicalDate,
        workflowId: runId,
        temporalRunId: info.runId,
        notices: stamped,
      }),
    ).then(
      (report) => countLineage(report.sent, report.dropped, report.reason),
      (failure: unknown) => countLineage(0, events, messageOf(failure)),
    );
    lineageSends.push(sending);
  };
  const countLineage = (sent: number, dropped: number, reason: string | undefined): void => {
    const counts = lineage ?? { sent: 0, dropped: 0 };
    lineage = {
      sent: counts.sent + sent,
      dropped: counts.dropped + dropped,
      ...(dropped > 0 && reason
        ? { lastError: reason }
        : counts.lastError
          ? { lastError: counts.lastError }
          : {}),
    };
  };
  /**
   * Waits for the sends still under way (bounded by their timeouts), then sends the run's last
   * event and waits for it: the pipeline's end reaches the lineage tools after its steps'.
   */
  const finishLineage = async (notice: Omit<LineageNotice, 'at'>): Promise<void> => {
    if (lineage === undefined) return;
    await CancellationScope.nonCancellable(() => Promise.all(lineageSends));
    notify(notice);
    await CancellationScope.nonCancellable(() => Promise.all(lineageSends));
  };

  const setStatus = (next: RunStatus): void => {
    status = next;
    upsertSearchAttributes([
      { key: statusKey, value: next },
      { key: awaitingApprovalKey, value: next === 'awaiting_approval' },
    ]);
  };
  /** A restore run's request, passed to each activity (ordinary runs pass nothing new). */
  const restore = input.restore ? { restore: input.restore } : {};
  const view = (): RunStatusView => ({
    pipeline: input.pipeline,
    ...(input.change ? { change: input.change } : {}),
    ...restore,
    logicalDate,
    status,
    sources: [...sources],
    steps: [...steps].map(([name, s]) =>
      s.report ? { name, state: s.state, report: s.report } : { name, state: s.state },
    ),
    pending: [...waiting.values()][0] ?? null,
    awaiting: [...waiting.values()],
    decisions: [...decisions],
    refused: [...refused],
    ...(signing ? { signatures: signing } : {}),
    error,
    errorType,
    ...(lineage ? { lineage: { ...lineage } } : {}),
  });
  /** What Current Details says while no step waits (the last decision, the outcome). */
  let settled = '';
  /** Current Details: every waiting change and how to decide it (or `settled`), and the refusals. */
  const showDetails = (): void => {
    setCurrentDetails(
      waiting.size > 0
        ? approvalDetails({
            runId,
            pipeline: input.pipeline,
            waiting: [...waiting.values()],
            refused,
            ...(input.change ? { change: input.change } : {}),
            signed: signing !== undefined,
          })
        : [settled, refusalDetails(refused)].filter((part) => part !== '').join('\n\n'),
    );
  };
  /** Current Details' record of every decision taken so far. */
  const decisionsDetails = (): string =>
    [
      '**Decisions**',
      '',
      ...decisions.map((d) => decisionLine(d, waitingDataset.get(d.step) ?? d.step, signing !== undefined)),
    ].join('\n');
  /** The dataset each step that waited produces, for decision lines after it stopped waiting. */
  const waitingDataset = new Map<string, string>();
  /** The gravest verdict of the changes that made the run wait (PipectlVerdict). */
  let gravest: 'breaking' | 'review' = 'review';
  const settle = (text: string): void => {
    settled = text;
    showDetails();
  };

  /** Keeps the first failure: the one that stopped the run. */
  const fail = (failure: unknown, where: string): void => {
    if (error !== null) return;
    errorType = failureTypeOf(failure);
    // pipectl's own failures name their step or source already; others (timeouts) get the place.
    error = errorType === 'PipelineRunFailed' ? `${where}: ${messageOf(failure)}` : messageOf(failure);
  };

  /** The waiting approval this payload decides, or why it may not decide now. */
  const judge = (
    payload: unknown,
    kind: Decision['kind'],
  ):
    | { ok: true; input: DecisionInput; pending: PendingApproval; signature?: Decision['signature'] }
    | { ok: false; reason: string } => {
    const parsed = parseDecisionInput(payload);
    if (!parsed.ok) return parsed;
    const { input } = parsed;
    const earlier =
      input.step !== undefined && !waiting.has(input.step)
        ? decisions.findLast((d) => d.step === input.step)
        : undefined;
    if (earlier) {
      return { ok: false, reason: `step "${earlier.step}" was already ${earlier.kind} by ${earlier.by}` };
    }
    const chosen = chooseApproval([...waiting.values()], input);
    if (!chosen.ok) {
      const last = waiting.size === 0 ? decisions.at(-1) : undefined;
      const why = last
        ? `${chosen.reason} (step "${last.step}" was ${last.kind} by ${last.by})`
        : chosen.reason;
      return { ok: false, reason: why };
    }
    const { pending } = chosen;
    const made = taken.get(pending.step);
    if (made) return { ok: false, reason: `step "${pending.step}" was already ${made.kind} by ${made.by}` };
    if (!pending.approvers.includes(input.by)) {
      return {
        ok: false,
        reason: `"${input.by}" is not an approver of ${pending.dataset} (approvers: ${pending.approvers.join(', ') || 'none listed in the contract'})`,
      };
    }
    if (!signing) return { ok: true, input, pending };
    const signed = judgeSignature({
      runId,
      kind: kind === 'approved' ? 'approve' : 'reject',
      input,
      pending,
      signers: signing.signers,
      now: Date.now(),
    });
    if (!signed.ok) return signed;
    return { ok: true, input, pending, signature: signed.signature };
  };
  const decide = (
    kind: Decision['kind'],
    input: DecisionInput,
    pending: PendingApproval,
    via: Decision['via'],
    signature: Decision['signature'],
  ): Decision => {
    const made: Decision = {
      kind,
      by: input.by,
      comment: input.comment ?? null,
      at: new Date().toISOString(),
      via,
      step: pending.step,
      fingerprint: pending.fingerprint,
      ...(signature ? { signature } : {}),
    };
    taken.set(pending.step, made);
    return made;
  };
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
    return decide(kind, judged.input, judged.pending, 'update', judged.signature);
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
      decide(kind, judged.input, judged.pending, 'signal', judged.signature);
      return;
    }
    const fields = (payload ?? {}) as { by?: unknown; step?: unknown };
    // Keep the latest: a flood of bad signals must not grow the status and the result without bound.
    if (refused.length >= MAX_REFUSED) refused.shift();
    refused.push({
      by: typeof fields.by === 'string' ? fields.by.slice(0, 200) : '',
      kind,
      step: typeof fields.step === 'string' ? fields.step.slice(0, 200) : null,
      reason: judged.reason,
      at: new Date().toISOString(),
    });
    showDetails();
  };
  setHandler(approveSignal, onSignal('approved'), { description: describe.approve });
  setHandler(rejectSignal, onSignal('rejected'), { description: describe.reject });
  setHandler(statusQuery, view, { description: describe.status });

  upsertSearchAttributes([{ key: pipelineKey, value: input.pipeline }]);
  setStatus('planning');
  /** Steps whose output is staged but not published: dropped when the run ends without publishing them. */
  const staged = new Set<string>();
  let plan: RunPlan | undefined;

  try {
    plan = await planning.planRun({ projectDir: input.projectDir, pipeline: input.pipeline, ...restore });
    signing = plan.signatures;
    const planned = plan;
    for (const step of planned.steps) steps.set(step.name, { state: 'pending' });
    // Runs started before OpenLineage events existed send none (their histories replay as they ran).
    if (planned.lineage && patched('openlineage-events')) {
      lineage = { sent: 0, dropped: 0 };
      notify({ job: 'pipeline', eventType: 'START' });
    }

    setStatus('extracting');
    await Promise.all(
      planned.sources.map(async (source) => {
        const report = await workActivities(source.retry, planned).extractSource({
          projectDir: input.projectDir,
          pipeline: input.pipeline,
          logicalDate,
          source: source.name,
          runId,
          fingerprint: source.fingerprint,
        });
        sources.push(report);
      }),
    );
  } catch (failure) {
    if (isCancellation(failure)) {
      setStatus('cancelled');
      await finishLineage({ job: 'pipeline', eventType: 'ABORT', error: 'the run was cancelled' });
      throw failure;
    }
    fail(failure, plan ? 'extracting sources' : 'planning');
    setStatus('failed');
    await finishLineage({ job: 'pipeline', eventType: 'FAIL', error: error ?? 'the run failed' });
    throw runFailure(error, errorType, view(), failure);
  }

  setStatus('running');
  const planned = plan;
  let stopped = false;
  let cancelled: unknown = null;
  const running = new Map<string, Promise<StepState>>();
  const byName = new Map(planned.steps.map((step) => [step.name, step]));

  const awaitDecision = async (step: PlannedStep, report: StepBuildReport): Promise<Decision> => {
    // Runs started before steps could wait in parallel queue their approvals one at a time, as
    // they did then: a step waiting in parallel starts its timeout timer earlier.
    if (!patched('parallel-approvals')) await condition(() => waiting.size === 0);
    const now = Date.now();
    const pending: PendingApproval = {
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
      deadline: new Date(now + planned.approval.timeoutMs).toISOString(),
    };
    waiting.set(step.name, pending);
    waitingDataset.set(step.name, step.produces);
    // The web UI's list can show and filter which datasets a run changed, and how gravely.
    // Runs started before these attributes existed do not set them (their histories replay as they ran).
    if (patched('change-search-attributes')) {
      if (report.compatibility.verdict === 'breaking') gravest = 'breaking';
      upsertSearchAttributes([
        { key: datasetKey, value: [...new Set(waitingDataset.values())] },
        { key: verdictKey, value: gravest },
      ]);
    }
    setStatus('awaiting_approval');
    showDetails();
    // The run's Summary is fixed at start; the wait's timer names the dataset, rule and deadline
    // in the web UI's History and Timeline. Older histories replay their timer without one.
    const decided = patched('approval-timer-summary')
      ? await condition(() => taken.has(step.name), planned.approval.timeoutMs, {
          summary: approvalTimerSummary(pending),
        })
      : await condition(() => taken.has(step.name), planned.approval.timeoutMs);
    let made = taken.get(step.name);
    taken.delete(step.name);
    waiting.delete(step.name);
    if (!decided || !made) {
      const timedOut: Decision = {
        kind: 'rejected',
        by: 'timeout',
        comment:
          planned.approval.onTimeout === 'fail'
            ? 'no decision before the approval timeout: the run fails'
            : 'rejected: no decision before the approval timeout',
        at: new Date().toISOString(),
        via: 'timeout',
        step: step.name,
        fingerprint: pending.fingerprint,
      };
      decisions.push(timedOut);
      if (planned.approval.onTimeout === 'fail') {
        settle('');
        throw ApplicationFailure.nonRetryable(
          `no decision on the breaking change to ${step.produces} within the approval timeout`,
          'ApprovalTimedOut',
        );
      }
      made = timedOut;
    } else {
      decisions.push(made);
    }
    if (waiting.size === 0) {
      setStatus('running');
    }
    settle(decisionsDetails());
    return made;
  };

  const runStep = async (step: PlannedStep): Promise<StepState> => {
    const entry = steps.get(step.name) ?? { state: 'pending' as StepState };
    const upstream = await Promise.all(step.dependsOn.map((name) => start(name)));
    if (stopped || upstream.some((state) => state !== 'published')) {
      entry.state = 'skipped';
      return entry.state;
    }
    const acts = workActivities(step.retry, planned);
    const stepInput = {
      projectDir: input.projectDir,
      pipeline: input.pipeline,
      logicalDate,
      step: step.name,
      runId,
      fingerprint: step.fingerprint,
      ...restore,
    };
    entry.state = 'building';
    const startedAt = new Date().toISOString();
    notify({ job: 'step', step: step.name, eventType: 'START' });
    const report = await acts.buildStep(stepInput);
    staged.add(step.name);
    entry.report = report;
    notify({ job: 'gates', step: step.name, eventType: 'COMPLETE', checks: report.checks, startedAt });
    const verdict = report.compatibility.verdict;
    let made: Decision | null = null;
    if (verdict === 'breaking' || verdict === 'review') {
      entry.state = 'awaiting_approval';
      notify({ job: 'step', step: step.name, eventType: 'RUNNING' });
      made = await awaitDecision(step, report);
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
    published.push(result);
    entry.state = 'published';
    notify({ job: 'step', step: step.name, eventType: 'COMPLETE' });
    return entry.state;
  };

  const start = (name: string): Promise<StepState> => {
    const existing = running.get(name);
    if (existing) return existing;
    const step = byName.get(name);
    if (!step) return Promise.resolve('skipped');
    const promise = runStep(step).catch((failure: unknown) => {
      stopped = true;
      const entry = steps.get(name);
      if (entry) entry.state = 'failed';
      if (isCancellation(failure)) cancelled ??= failure;
      else fail(failure, `step ${name}`);
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

  const states = await Promise.all(planned.steps.map((step) => start(step.name)));
  if (cancelled !== null || states.includes('failed')) {
    // Nothing will publish what is still staged; drop it even when the run is being cancelled.
    await CancellationScope.nonCancellable(() =>
      Promise.all(
        [...staged].map((name) =>
          planning
            .discardStep({
              projectDir: input.projectDir,
              pipeline: input.pipeline,
              logicalDate,
              step: name,
              runId,
              ...restore,
            })
            .catch(() => undefined),
        ),
      ),
    );
  }
  if (cancelled !== null && error === null) {
    setStatus('cancelled');
    await finishLineage({ job: 'pipeline', eventType: 'ABORT', error: 'the run was cancelled' });
    throw cancelled;
  }
  if (states.includes('failed')) {
    setStatus('failed');
    await finishLineage({ job: 'pipeline', eventType: 'FAIL', error: error ?? 'the run failed' });
    throw runFailure(error, errorType, view());
  }
  const rejected = states.includes('rejected');
  setStatus(rejected ? 'rejected' : 'succeeded');
  await finishLineage(
    rejected
      ? { job: 'pipeline', eventType: 'ABORT', error: 'a change was rejected: it was not published' }
      : { job: 'pipeline', eventType: 'COMPLETE' },
  );
  // Runs started before rejections failed end Completed with status `rejected`, as they did then.
  if (rejected && patched('rejected-run-fails')) {
    const refusals = decisions.filter((d) => d.kind === 'rejected');
    settle([rejectedDetails(refusals, byName, published), decisionsDetails()].join('\n\n'));
    throw ApplicationFailure.create({
      type: CHANGE_REJECTED,
      nonRetryable: true,
      message: refusals
        .map(
          (d) =>
            `the change to ${byName.get(d.step)?.produces ?? d.step} was rejected by ${d.by} (${d.via})${d.comment ? `: ${d.comment}` : ''}`,
        )
        .concat('nothing of it was published; the data is as before')
        .join('; '),
      details: [view()],
    });
  }
  settle(
    [
      rejected
        ? 'Rejected: the breaking change was not published.'
        : `Published: ${published.map((p) => `\`${p.dataset}\` ${p.version}`).join(', ') || 'nothing'}.`,
      decisions.length > 0 ? decisionsDetails() : '',
    ]
      .filter((part) => part !== '')
      .join('\n\n'),
  );
  return { status: rejected ? 'rejected' : 'succeeded', published, view: view() };
}

/** Current Details of a run that ended rejected (the decisions follow it). */
function rejectedDetails(
  refusals: readonly Decision[],
  steps: ReadonlyMap<string, PlannedStep>,
  published: readonly PublishReport[],
): string {
  const datasets = refusals.map((d) => `\`${steps.get(d.step)?.produces ?? d.step}\``).join(', ');
  return [
    `## Rejected: the change to ${datasets} was not published`,
    '',
    `The data is as before. Published by this run: ${published.map((p) => `\`${p.dataset}\` ${p.version}`).join(', ') || 'nothing'}.`,
  ].join('\n');
}

/** What publishStep records of a decision; runs without signatures send what they always sent. */
function publishDecision(made: Decision): PublishDecision {
  const base = { by: made.by, kind: made.kind, comment: made.comment };
  return made.signature ? { ...base, at: made.at, via: made.via, signature: made.signature } : base;
}

/** The run's failure: typed like the failure that stopped it, carrying the final status view. */
function runFailure(
  message: string | null,
  type: string | null,
  view: RunStatusView,
  cause?: unknown,
): ApplicationFailure {
  return ApplicationFailure.create({
    message: message ?? 'the run failed',
    type: type ?? 'PipelineRunFailed',
    nonRetryable: true,
    details: [view],
    ...(cause instanceof Error ? { cause } : {}),
  });
}

function failureTypeOf(failure: unknown): string {
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  if (cause instanceof ApplicationFailure && isRunFailureType(cause.type ?? undefined)) {
    return cause.type as string;
  }
  return 'PipelineRunFailed';
}

function messageOf(failure: unknown): string {
  const cause = failure instanceof ActivityFailure ? (failure.cause ?? failure) : failure;
  return cause instanceof Error ? cause.message : String(cause);
}
