// Starting a restore: a run of the pipeline whose step produces the dataset, with `restore` in its
// input, so it is durable and goes through the same build, compatibility check, approval and
// publication as any run. Its id says what it restores and when it was asked for
// (`pipectl-<project>-restore-<dataset>-v<N>-<stamp>`): every restore is a new run.
import type { Client } from '@temporalio/client';
import type { pipelineRun } from '../workflows/pipeline-run.workflow.js';
import {
  awaitingApprovalKey,
  PIPELINE_RUN_WORKFLOW,
  pipelineKey,
  projectKey,
  RUN_WORKFLOW_TASK_TIMEOUT,
  statusKey,
} from '../workflows/run-definitions.js';
import type { PipelineRunInput, RestoreRequest } from '../workflows/run-types.js';
import { todayUtc } from './run-id.js';
import type { RunHandle } from './start-run.js';

export interface StartRestoreOptions extends RestoreRequest {
  /** The project's `name` (pipectl.yaml). */
  readonly project: string;
  /** Absolute path of the project as the worker sees it. */
  readonly projectDir: string;
  /** The pipeline whose step produces `dataset`. */
  readonly pipeline: string;
  readonly taskQueue: string;
  /** The clock of the run id's stamp and the logical date. */
  readonly now?: Date;
}

/** `pipectl-shop-restore-mart.daily_revenue-v1-20261203T101500Z`. */
export function restoreRunIdFor(project: string, restore: RestoreRequest, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `pipectl-${project}-restore-${restore.dataset}-v${restore.version}-${stamp}`;
}

/**
 * @example
 * const { runId, handle } = await startRestore(client, { project: 'shop', projectDir, pipeline: 'shop_marts', dataset: 'mart.daily_revenue', version: 1, taskQueue: 'pipectl-shop' });
 */
export async function startRestore(
  client: Client,
  options: StartRestoreOptions,
): Promise<{ runId: string; handle: RunHandle }> {
  const now = options.now ?? new Date();
  const restore: RestoreRequest = { dataset: options.dataset, version: options.version };
  const runId = restoreRunIdFor(options.project, restore, now);
  const logicalDate = todayUtc(now);
  const input: PipelineRunInput = {
    projectDir: options.projectDir,
    pipeline: options.pipeline,
    logicalDate,
    restore,
  };
  const handle = await client.workflow.start<typeof pipelineRun>(PIPELINE_RUN_WORKFLOW, {
    taskQueue: options.taskQueue,
    workflowTaskTimeout: RUN_WORKFLOW_TASK_TIMEOUT,
    workflowId: runId,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    staticSummary: `pipectl restore ${restore.dataset} --version ${restore.version}`,
    staticDetails: [
      `**pipectl restore** of \`${restore.dataset}\` to version ${restore.version} (as \`pipectl history\` numbers them)`,
      '',
      `- by a run of pipeline \`${options.pipeline}\`, project ${options.project} (\`${options.projectDir}\`)`,
      `- run id: \`${runId}\``,
      '',
      'The version is built again from its snapshot under the contract published with it, compared with what consumers see now, and published only when compatible or approved.',
    ].join('\n'),
    typedSearchAttributes: [
      { key: projectKey, value: options.project },
      { key: pipelineKey, value: options.pipeline },
      { key: statusKey, value: 'planning' },
      { key: awaitingApprovalKey, value: false },
    ],
    memo: { pipectlProject: options.project, projectDir: options.projectDir, logicalDate, restore },
  });
  return { runId, handle };
}
