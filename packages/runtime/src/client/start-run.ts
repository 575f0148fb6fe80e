// Starting a run: the workflow id is derived from project, pipeline and logical date (runIdFor), so a second
// `pipectl run` of the same day attaches to the running one, and a finished one is reported as
// already run; `rerun` starts the next attempt (`...-r2`), which publishes afresh.

import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { changeLine } from '../workflows/approval-details.js';
import type { pipelineRun } from '../workflows/pipeline-run.workflow.js';
import {
  awaitingApprovalKey,
  PIPELINE_RUN_WORKFLOW,
  pipelineKey,
  projectKey,
  RUN_WORKFLOW_TASK_TIMEOUT,
  statusKey,
} from '../workflows/run-definitions.js';
import type { PipelineRunInput, RunChange } from '../workflows/run-types.js';
import { runIdFor } from './run-id.js';

export interface StartRunOptions {
  /** The project's `name` (pipectl.yaml): part of the run id, and its PipectlProject search attribute. */
  readonly project: string;
  /** Absolute path of the project as the worker sees it. */
  readonly projectDir: string;
  readonly pipeline: string;
  /** `YYYY-MM-DD`. */
  readonly logicalDate: string;
  readonly taskQueue: string;
  /** Start a new attempt when this pipeline and date already ran (a running attempt is attached to instead). */
  readonly rerun?: boolean;
  /** The revision being run (commit, author, subject, pull request): shown beside the change. */
  readonly change?: RunChange;
}

export type RunHandle = WorkflowHandle<typeof pipelineRun>;

export interface StartRunResult {
  /** `started`: a new run; `attached`: that run was already running; `already-run`: it finished (see `closedStatus`). */
  readonly outcome: 'started' | 'attached' | 'already-run';
  /** The workflow id, which is the run id everywhere in pipectl. */
  readonly runId: string;
  /** 1 for the first run of a pipeline and date, 2 for the first rerun, ... */
  readonly attempt: number;
  readonly handle: RunHandle;
  /** How the earlier run ended (COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT), for `already-run`. */
  readonly closedStatus?: string;
}

/**
 * @example
 * const { outcome, runId, handle } = await startRun(client, { project: 'shop', projectDir, pipeline: 'shop_marts', logicalDate: '2026-11-22', taskQueue: 'pipectl-shop' });
 * const result = await handle.result();
 */
export async function startRun(client: Client, options: StartRunOptions): Promise<StartRunResult> {
  const { project, pipeline, logicalDate } = options;
  // The latest attempt decides: running → attach; finished → already run, unless rerun.
  let latest: { attempt: number; description: WorkflowExecutionDescription } | undefined;
  for (let attempt = 1; ; attempt++) {
    const description = await describeIfAny(client, runIdFor(project, pipeline, logicalDate, attempt));
    if (!description) break;
    latest = { attempt, description };
  }
  if (latest) {
    const runId = runIdFor(project, pipeline, logicalDate, latest.attempt);
    const handle = client.workflow.getHandle<typeof pipelineRun>(runId);
    const status = latest.description.status.name;
    if (status === 'RUNNING') return { outcome: 'attached', runId, attempt: latest.attempt, handle };
    if (!options.rerun) {
      return { outcome: 'already-run', runId, attempt: latest.attempt, handle, closedStatus: status };
    }
  }

  const attempt = latest ? latest.attempt + 1 : 1;
  const runId = runIdFor(project, pipeline, logicalDate, attempt);
  const input: PipelineRunInput = {
    projectDir: options.projectDir,
    pipeline,
    logicalDate,
    ...(options.change ? { change: options.change } : {}),
  };
  try {
    const handle = await client.workflow.start<typeof pipelineRun>(PIPELINE_RUN_WORKFLOW, {
      taskQueue: options.taskQueue,
      workflowTaskTimeout: RUN_WORKFLOW_TASK_TIMEOUT,
      workflowId: runId,
      args: [input],
      // Two starts racing: the second attaches to the first; a finished run is never started again.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `pipectl run ${pipeline} for ${logicalDate}${attempt > 1 ? ` (attempt ${attempt})` : ''}${options.change ? ` at ${options.change.commit.slice(0, 8)}: ${options.change.subject.slice(0, 80)}` : ''}`,
      staticDetails: staticDetailsOf(input, runId, attempt, project),
      typedSearchAttributes: [
        { key: projectKey, value: project },
        { key: pipelineKey, value: pipeline },
        { key: statusKey, value: 'planning' },
        { key: awaitingApprovalKey, value: false },
      ],
      memo: { pipectlProject: project, projectDir: options.projectDir, logicalDate, attempt },
    });
    return { outcome: 'started', runId, attempt, handle };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // Another start won the race and that run has finished already.
    const handle = client.workflow.getHandle<typeof pipelineRun>(runId);
    const description = await handle.describe();
    return { outcome: 'already-run', runId, attempt, handle, closedStatus: description.status.name };
  }
}

/** The Markdown the web UI shows as the run's details. */
export function staticDetailsOf(
  input: PipelineRunInput,
  runId: string,
  attempt: number,
  project: string,
): string {
  return [
    `**pipectl run** of pipeline \`${input.pipeline}\``,
    '',
    `- logical date: ${input.logicalDate}`,
    `- project: ${project} (\`${input.projectDir}\`)`,
    `- run id: \`${runId}\`${attempt > 1 ? ` (attempt ${attempt})` : ''}`,
    ...(input.change ? [`- ${changeLine(input.change).replace('**Why:** ', 'revision: ')}`] : []),
    '',
    `Follow it with \`pipectl status ${runId}\`; when it waits for an approval, the *Current Details* below say who may decide and how.`,
  ].join('\n');
}

async function describeIfAny(
  client: Client,
  workflowId: string,
): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
