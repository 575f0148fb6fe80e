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
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunActivities } from '../activities/run-activities.js';
import { approvalDetails } from './approval-details.js';
import { resolveLogicalDate, scheduledStartTimeKey } from './logical-date.js';
import {
  approveSignal,
  approveUpdate,
  awaitingApprovalKey,
  HANDLER_DESCRIPTIONS,
  pipelineKey,
  rejectSignal,
  rejectUpdate,
  statusKey,
  statusQuery,
} from './run-definitions.js';
import { isRunFailureType, NON_RETRYABLE_FAILURES } from './run-failures.js';
import type {
  ActivityRetry,
  Decision,
  DecisionInput,
  PendingApproval,
  PipelineRunInput,
  PipelineRunResult,
  PlannedStep,
  PublishReport,
  RunPlan,
  RunStatus,
  RunStatusView,
  SourceReport,
  StepBuildReport,
  StepState,
} from './run-types.js';

const planning = proxyActivities<RunActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3, initialInterval: '2s', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
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
  let pending: PendingApproval | null = null;
  let decision: Decision | null = null;
  let error: string | null = null;
  let errorType: string | null = null;
  const decisions: Decision[] = [];
  const refused: { by: string; reason: string; at: string }[] = [];
  const sources: SourceReport[] = [];
  const steps = new Map<string, { state: StepState; report?: StepBuildReport }>();
  const published: PublishReport[] = [];

  const setStatus = (next: RunStatus): void => {
    status = next;
    upsertSearchAttributes([
      { key: statusKey, value: next },
      { key: awaitingApprovalKey, value: next === 'awaiting_approval' },
    ]);
  };
  const view = (): RunStatusView => ({
    pipeline: input.pipeline,
    logicalDate,
    status,
    sources: [...sources],
    steps: [...steps].map(([name, s]) =>
      s.report ? { name, state: s.state, report: s.report } : { name, state: s.state },
    ),
    pending,
    decisions: [...decisions],
    refused: [...refused],
    error,
    errorType,
  });
  /** Keeps the first failure: the one that stopped the run. */
  const fail = (failure: unknown, where: string): void => {
    if (error !== null) return;
    errorType = failureTypeOf(failure);
    // pipectl's own failures name their step or source already; others (timeouts) get the place.
    error = errorType === 'PipelineRunFailed' ? `${where}: ${messageOf(failure)}` : messageOf(failure);
  };

  /** Why `by` may not decide now, or null when they may. */
  const refusal = (by: unknown): string | null => {
    if (!pending) return 'this run is not waiting for an approval';
    if (decision) return `already ${decision.kind} by ${decision.by}`;
    if (typeof by !== 'string' || by.trim() === '') return 'the decision needs "by": the approver\'s name';
    if (!pending.approvers.includes(by)) {
      return `"${by}" is not an approver of ${pending.dataset} (approvers: ${pending.approvers.join(', ') || 'none listed in the contract'})`;
    }
    return null;
  };
  const decide = (kind: Decision['kind'], payload: DecisionInput, via: Decision['via']): Decision => {
    const made: Decision = {
      kind,
      by: payload.by,
      comment: payload.comment ?? null,
      at: new Date().toISOString(),
      via,
      step: pending?.step ?? '',
    };
    decision = made;
    return made;
  };
  const validator = (payload: DecisionInput): void => {
    const reason = refusal(payload?.by);
    if (reason) throw new Error(reason);
  };
  const onUpdate = (kind: Decision['kind']) => (payload: DecisionInput) => {
    // First write wins, also against a signal that arrived after this update was validated.
    const reason = refusal(payload?.by);
    if (reason) throw ApplicationFailure.nonRetryable(reason, 'DecisionRefused');
    return decide(kind, payload, 'update');
  };
  const describe = HANDLER_DESCRIPTIONS;
  setHandler(approveUpdate, onUpdate('approved'), { validator, description: describe.approve });
  setHandler(rejectUpdate, onUpdate('rejected'), { validator, description: describe.reject });
  const onSignal = (kind: Decision['kind']) => (payload: DecisionInput) => {
    const reason = refusal(payload?.by);
    if (reason) refused.push({ by: String(payload?.by ?? ''), reason, at: new Date().toISOString() });
    else decide(kind, payload, 'signal');
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
    plan = await planning.planRun({ projectDir: input.projectDir, pipeline: input.pipeline });
    const planned = plan;
    for (const step of planned.steps) steps.set(step.name, { state: 'pending' });

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
      throw failure;
    }
    fail(failure, plan ? 'extracting sources' : 'planning');
    setStatus('failed');
    throw runFailure(error, errorType, view(), failure);
  }

  setStatus('running');
  const planned = plan;
  let stopped = false;
  let cancelled: unknown = null;
  const running = new Map<string, Promise<StepState>>();
  const byName = new Map(planned.steps.map((step) => [step.name, step]));

  const awaitDecision = async (step: PlannedStep, report: StepBuildReport): Promise<Decision> => {
    // One approval at a time: parallel branches queue here.
    await condition(() => pending === null);
    const now = Date.now();
    pending = {
      step: step.name,
      dataset: step.produces,
      approvers: step.approvers,
      compatibility: report.compatibility,
      since: new Date(now).toISOString(),
      deadline: new Date(now + planned.approval.timeoutMs).toISOString(),
    };
    decision = null;
    setStatus('awaiting_approval');
    setCurrentDetails(approvalDetails({ runId, pipeline: input.pipeline, pending }));
    const decided = await condition(() => decision !== null, planned.approval.timeoutMs);
    let made = decision as Decision | null;
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
      };
      decisions.push(timedOut);
      pending = null;
      setCurrentDetails('');
      if (planned.approval.onTimeout === 'fail') {
        throw ApplicationFailure.nonRetryable(
          `no decision on the breaking change to ${step.produces} within the approval timeout`,
          'ApprovalTimedOut',
        );
      }
      made = timedOut;
    } else {
      decisions.push(made);
    }
    pending = null;
    decision = null;
    setCurrentDetails(`Decided: ${made.kind} by ${made.by} (${made.via}) for \`${step.produces}\`.`);
    setStatus('running');
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
    };
    entry.state = 'building';
    const report = await acts.buildStep(stepInput);
    staged.add(step.name);
    entry.report = report;
    const verdict = report.compatibility.verdict;
    let made: Decision | null = null;
    if (verdict === 'breaking' || verdict === 'review') {
      entry.state = 'awaiting_approval';
      made = await awaitDecision(step, report);
      if (made.kind === 'rejected') {
        await acts.discardStep(stepInput);
        staged.delete(step.name);
        entry.state = 'rejected';
        return entry.state;
      }
    }
    entry.state = 'publishing';
    const result = await acts.publishStep({
      ...stepInput,
      decision: made ? { by: made.by, kind: made.kind, comment: made.comment } : null,
    });
    staged.delete(step.name);
    published.push(result);
    entry.state = 'published';
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
            })
            .catch(() => undefined),
        ),
      ),
    );
  }
  if (cancelled !== null && error === null) {
    setStatus('cancelled');
    throw cancelled;
  }
  if (states.includes('failed')) {
    setStatus('failed');
    throw runFailure(error, errorType, view());
  }
  const rejected = states.includes('rejected');
  setStatus(rejected ? 'rejected' : 'succeeded');
  setCurrentDetails(
    rejected
      ? 'Rejected: the breaking change was not published.'
      : `Published: ${published.map((p) => `\`${p.dataset}\` ${p.version}`).join(', ') || 'nothing'}.`,
  );
  return { status: rejected ? 'rejected' : 'succeeded', published, view: view() };
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
