// The pipeline run: a durable workflow over the compiled plan of one pipeline and a logical date.
// It loads the sources, walks the step DAG (independent steps in parallel), and before publishing a
// dataset whose schema breaks what consumers last saw, waits for an approver's decision.
// This file is the run's phases in order (plan, extract, walk the steps, end); the parts live beside
// it: run-state.ts (status, steps, Current Details, search attributes), approval-gate.ts (decisions
// and the wait for them), step-walk.ts (the DAG walk), run-lineage.ts (OpenLineage events),
// activity-proxies.ts (timeouts and retries).
// Deterministic: imports only @temporalio/workflow, workflow-safe packages and types; all I/O is in
// activities.
// Changing this file or its parts changes what running workflows replay: keep test/replay.test.ts
// green (guard incompatible changes with patched()) and record histories only for new behaviour.
import {
  ApplicationFailure,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { planning, workActivities } from './activity-proxies.js';
import { handleDecisions } from './approval-gate.js';
import { resolveLogicalDate, scheduledStartTimeKey } from './logical-date.js';
import { HANDLER_DESCRIPTIONS, pipelineKey, statusQuery } from './run-definitions.js';
import { CHANGE_REJECTED } from './run-failures.js';
import { type RunLineage, runLineage } from './run-lineage.js';
import { RunState, runFailure, setStatus, settle } from './run-state.js';
import type {
  Decision,
  PipelineRunInput,
  PipelineRunResult,
  PlannedStep,
  PublishReport,
  RunPlan,
} from './run-types.js';
import { type StepWalkOutcome, walkSteps } from './step-walk.js';

export async function pipelineRun(input: PipelineRunInput): Promise<PipelineRunResult> {
  const info = workflowInfo();
  const runId = info.workflowId;
  const logicalDate = resolveLogicalDate(
    input,
    info.typedSearchAttributes.get(scheduledStartTimeKey),
    info.startTime,
  );
  const state = new RunState({ runId, logicalDate, input });
  const lineage = runLineage(state, {
    projectDir: input.projectDir,
    pipeline: input.pipeline,
    logicalDate,
    workflowId: runId,
    temporalRunId: info.runId,
  });

  handleDecisions(state);
  setHandler(statusQuery, () => state.view(), { description: HANDLER_DESCRIPTIONS.status });

  upsertSearchAttributes([{ key: pipelineKey, value: input.pipeline }]);
  setStatus(state, 'planning');
  const plan = await planAndExtract(state, lineage, input.projectDir);

  setStatus(state, 'running');
  const walked = await walkSteps({ state, plan, projectDir: input.projectDir, lineage });
  return endRun(state, lineage, plan, walked);
}

/** Plans the run and lands its sources (in parallel); a failure or cancellation here ends the run. */
async function planAndExtract(state: RunState, lineage: RunLineage, projectDir: string): Promise<RunPlan> {
  const { runId, logicalDate, input } = state.run;
  let plan: RunPlan | undefined;
  try {
    plan = await planning.planRun({ projectDir, pipeline: input.pipeline, ...state.restore });
    state.signing = plan.signatures;
    const planned = plan;
    for (const step of planned.steps) state.steps.set(step.name, { state: 'pending' });
    // Runs started before OpenLineage events existed send none (their histories replay as they ran).
    if (planned.lineage && patched('openlineage-events')) {
      lineage.start();
      lineage.notify({ job: 'pipeline', eventType: 'START' });
    }

    setStatus(state, 'extracting');
    await Promise.all(
      planned.sources.map(async (source) => {
        const report = await workActivities(source.retry, planned).extractSource({
          projectDir,
          pipeline: input.pipeline,
          logicalDate,
          source: source.name,
          runId,
          fingerprint: source.fingerprint,
        });
        state.sources.push(report);
      }),
    );
    return planned;
  } catch (failure) {
    if (isCancellation(failure)) {
      setStatus(state, 'cancelled');
      await lineage.finish({ job: 'pipeline', eventType: 'ABORT', error: 'the run was cancelled' });
      throw failure;
    }
    state.fail(failure, plan ? 'extracting sources' : 'planning');
    setStatus(state, 'failed');
    await lineage.finish({ job: 'pipeline', eventType: 'FAIL', error: state.error ?? 'the run failed' });
    throw runFailure(state.error, state.errorType, state.view(), failure);
  }
}

/** Ends the run after its walk: cancelled, failed, rejected (a failure since 'rejected-run-fails') or succeeded. */
async function endRun(
  state: RunState,
  lineage: RunLineage,
  plan: RunPlan,
  { states, cancelled }: StepWalkOutcome,
): Promise<PipelineRunResult> {
  if (cancelled !== null && state.error === null) {
    setStatus(state, 'cancelled');
    await lineage.finish({ job: 'pipeline', eventType: 'ABORT', error: 'the run was cancelled' });
    throw cancelled;
  }
  if (states.includes('failed')) {
    setStatus(state, 'failed');
    await lineage.finish({ job: 'pipeline', eventType: 'FAIL', error: state.error ?? 'the run failed' });
    throw runFailure(state.error, state.errorType, state.view());
  }
  const rejected = states.includes('rejected');
  setStatus(state, rejected ? 'rejected' : 'succeeded');
  await lineage.finish(
    rejected
      ? { job: 'pipeline', eventType: 'ABORT', error: 'a change was rejected: it was not published' }
      : { job: 'pipeline', eventType: 'COMPLETE' },
  );
  const { decisions, published } = state;
  const byName = new Map(plan.steps.map((step) => [step.name, step]));
  // Runs started before rejections failed end Completed with status `rejected`, as they did then.
  if (rejected && patched('rejected-run-fails')) {
    const refusals = decisions.filter((d) => d.kind === 'rejected');
    settle(state, [rejectedDetails(refusals, byName, published), state.decisionsDetails()].join('\n\n'));
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
      details: [state.view()],
    });
  }
  settle(
    state,
    [
      rejected
        ? 'Rejected: the breaking change was not published.'
        : `Published: ${published.map((p) => `\`${p.dataset}\` ${p.version}`).join(', ') || 'nothing'}.`,
      decisions.length > 0 ? state.decisionsDetails() : '',
    ]
      .filter((part) => part !== '')
      .join('\n\n'),
  );
  return { status: rejected ? 'rejected' : 'succeeded', published, view: state.view() };
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
