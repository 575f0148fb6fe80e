// The pipeline run: a durable workflow over the compiled plan of one pipeline and a logical date.
// It loads the sources, walks the step DAG (independent steps in parallel), and before publishing a
// dataset whose schema breaks what consumers last saw, waits for an approver's decision.
// Deterministic: imports only @temporalio/workflow and types; all I/O is in activities.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunActivities } from '../activities/run-activities.js';
import { approvalDetails } from './approval-details.js';
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
import type {
  Decision,
  DecisionInput,
  PendingApproval,
  PipelineRunInput,
  PipelineRunResult,
  PlannedStep,
  PublishReport,
  RunStatus,
  RunStatusView,
  SourceReport,
  StepBuildReport,
  StepState,
} from './run-types.js';

const planning = proxyActivities<RunActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3, initialInterval: '2s' },
});

function stepActivities(step: PlannedStep): RunActivities {
  return proxyActivities<RunActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '2 minutes',
    retry: {
      maximumAttempts: step.retry.maximumAttempts,
      initialInterval: step.retry.initialIntervalMs,
      backoffCoefficient: step.retry.backoffCoefficient,
      maximumInterval: step.retry.maximumIntervalMs,
      nonRetryableErrorTypes: ['QualityGateFailed', 'ContractViolation', 'InvalidProject'],
    },
  });
}

export async function pipelineRun(input: PipelineRunInput): Promise<PipelineRunResult> {
  const runId = workflowInfo().workflowId;
  let status: RunStatus = 'planning';
  let pending: PendingApproval | null = null;
  let decision: Decision | null = null;
  let error: string | null = null;
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
    logicalDate: input.logicalDate,
    status,
    sources: [...sources],
    steps: [...steps].map(([name, s]) =>
      s.report ? { name, state: s.state, report: s.report } : { name, state: s.state },
    ),
    pending,
    decisions: [...decisions],
    refused: [...refused],
    error,
  });

  /** Why `by` may not decide now, or null when they may. */
  const refusal = (by: string): string | null => {
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
  const describe = HANDLER_DESCRIPTIONS;
  setHandler(approveUpdate, (payload) => decide('approved', payload, 'update'), {
    validator,
    description: describe.approve,
  });
  setHandler(rejectUpdate, (payload) => decide('rejected', payload, 'update'), {
    validator,
    description: describe.reject,
  });
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
  const plan = await planning.planRun({ projectDir: input.projectDir, pipeline: input.pipeline });
  for (const step of plan.steps) steps.set(step.name, { state: 'pending' });

  setStatus('extracting');
  await Promise.all(
    plan.sources.map(async (source) => {
      const report = await planning.extractSource({ ...input, source: source.name, runId });
      sources.push(report);
    }),
  );

  setStatus('running');
  let stopped = false;
  const running = new Map<string, Promise<StepState>>();
  const byName = new Map(plan.steps.map((step) => [step.name, step]));

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
      deadline: new Date(now + plan.approval.timeoutMs).toISOString(),
    };
    decision = null;
    setStatus('awaiting_approval');
    setCurrentDetails(approvalDetails({ runId, pipeline: input.pipeline, pending }));
    const decided = await condition(() => decision !== null, plan.approval.timeoutMs);
    let made = decision as Decision | null;
    if (!decided || !made) {
      const at = new Date().toISOString();
      if (plan.approval.onTimeout === 'fail') {
        decisions.push({
          kind: 'rejected',
          by: 'timeout',
          comment: 'no decision before the approval timeout',
          at,
          via: 'timeout',
          step: step.name,
        });
        pending = null;
        setCurrentDetails('');
        throw ApplicationFailure.nonRetryable(
          `no decision on the breaking change to ${step.produces} within the approval timeout`,
          'ApprovalTimedOut',
        );
      }
      made = {
        kind: 'rejected',
        by: 'timeout',
        comment: 'rejected: no decision before the approval timeout',
        at,
        via: 'timeout',
        step: step.name,
      };
    }
    decisions.push(made);
    pending = null;
    decision = null;
    setCurrentDetails('');
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
    const acts = stepActivities(step);
    const stepInput = { ...input, step: step.name, runId };
    entry.state = 'building';
    const report = await acts.buildStep(stepInput);
    entry.report = report;
    const verdict = report.compatibility.verdict;
    let made: Decision | null = null;
    if (verdict === 'breaking' || verdict === 'review') {
      entry.state = 'awaiting_approval';
      made = await awaitDecision(step, report);
      if (made.kind === 'rejected') {
        await acts.discardStep(stepInput);
        entry.state = 'rejected';
        return entry.state;
      }
    }
    entry.state = 'publishing';
    const result = await acts.publishStep({
      ...stepInput,
      decision: made ? { by: made.by, kind: made.kind, comment: made.comment } : null,
    });
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
      error ??= describeFailure(name, failure);
      return 'failed' as StepState;
    });
    running.set(name, promise);
    return promise;
  };

  const states = await Promise.all(plan.steps.map((step) => start(step.name)));
  if (states.includes('failed')) {
    setStatus('failed');
    throw ApplicationFailure.nonRetryable(error ?? 'a step failed', 'PipelineRunFailed', view());
  }
  const rejected = states.includes('rejected');
  setStatus(rejected ? 'rejected' : 'succeeded');
  return { status: rejected ? 'rejected' : 'succeeded', published, view: view() };
}

function describeFailure(step: string, failure: unknown): string {
  const cause = failure instanceof ActivityFailure ? (failure.cause ?? failure) : failure;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `step ${step}: ${message}`;
}
