// Pipelines with a `schedule` become Temporal Schedules that start `pipelineRun` on their cron, in
// their time zone. Deploying is idempotent: a schedule is created, or updated to the plan when it
// exists; with `prune`, this project's schedules for pipelines that lost their schedule are deleted.
//
// Logical dates: a Schedule passes the marker `scheduled` (SCHEDULED_LOGICAL_DATE) and the
// pipeline's time zone; the run takes the calendar date of its nominal scheduled time
// (TemporalScheduledStartTime, which the server records in the run's start event) in that zone,
// so a 06:00 Europe/Berlin run on 23 Nov has logical date 2026-11-23, also for catch-up runs, and
// the workflow stays deterministic. Scheduled run ids are `pipectl-<project>-<pipeline>-scheduled-<time>`
// (the server appends the scheduled time), distinct from `pipectl run` ids and from other projects'.
import type { ProjectPlan } from '@pipectl/compiler';
import { type Client, ScheduleAlreadyRunning } from '@temporalio/client';
import { SCHEDULED_LOGICAL_DATE } from '../workflows/logical-date.js';
import type { pipelineRun } from '../workflows/pipeline-run.workflow.js';
import {
  awaitingApprovalKey,
  PIPELINE_RUN_WORKFLOW,
  pipelineKey,
  projectKey,
  RUN_WORKFLOW_TASK_TIMEOUT,
  statusKey,
} from '../workflows/run-definitions.js';
import type { PipelineRunInput } from '../workflows/run-types.js';
import { scheduledRunIdFor } from './run-id.js';

export interface DeploySchedulesOptions {
  /** Absolute path of the project as the worker sees it. */
  readonly projectDir: string;
  readonly taskQueue: string;
  /** Delete this project's schedules whose pipeline has no schedule any more (default false). */
  readonly prune?: boolean;
}

export interface DeploySchedulesResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
}

/** `pipectl-<project>-<pipeline>`: one schedule per pipeline and project in a namespace. */
export function scheduleIdFor(project: string, pipeline: string): string {
  return `pipectl-${project}-${pipeline}`;
}

/**
 * @example const { created, updated } = await deploySchedules(client, compiled.plan, { projectDir, taskQueue: 'pipectl-shop' });
 */
export async function deploySchedules(
  client: Client,
  plan: ProjectPlan,
  options: DeploySchedulesOptions,
): Promise<DeploySchedulesResult> {
  const project = plan.project.name;
  const created: string[] = [];
  const updated: string[] = [];
  const wanted = new Set<string>();
  for (const pipeline of plan.pipelines) {
    if (!pipeline.schedule) continue;
    const scheduleId = scheduleIdFor(project, pipeline.name);
    wanted.add(scheduleId);
    const input: PipelineRunInput = {
      projectDir: options.projectDir,
      pipeline: pipeline.name,
      logicalDate: SCHEDULED_LOGICAL_DATE,
      timezone: pipeline.schedule.timezone,
    };
    const spec = { cronExpressions: [pipeline.schedule.cron], timezone: pipeline.schedule.timezone };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: PIPELINE_RUN_WORKFLOW,
      taskQueue: options.taskQueue,
      workflowTaskTimeout: RUN_WORKFLOW_TASK_TIMEOUT,
      workflowId: scheduledRunIdFor(project, pipeline.name),
      args: [input] as Parameters<typeof pipelineRun>,
      staticSummary: `pipectl scheduled run of ${pipeline.name} (${pipeline.schedule.cron} ${pipeline.schedule.timezone})`,
      typedSearchAttributes: [
        { key: projectKey, value: project },
        { key: pipelineKey, value: pipeline.name },
        { key: statusKey, value: 'planning' },
        { key: awaitingApprovalKey, value: false },
      ],
    };
    // Without catch-up, slots missed while the server was down are skipped (a minute of grace).
    const policies = {
      overlap: 'SKIP' as const,
      catchupWindow: pipeline.schedule.catchup ? '365 days' : '1 minute',
    };
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action,
        policies,
        memo: { pipectlProject: project, projectDir: options.projectDir, pipeline: pipeline.name },
        state: { note: `deployed by pipectl from ${pipeline.file}` },
      });
      created.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        action,
        policies,
        state: { ...previous.state, note: `deployed by pipectl from ${pipeline.file}` },
      }));
      updated.push(scheduleId);
    }
  }

  const deleted: string[] = [];
  if (options.prune) {
    for await (const schedule of client.schedule.list()) {
      if (schedule.memo?.pipectlProject !== project || wanted.has(schedule.scheduleId)) continue;
      await client.schedule.getHandle(schedule.scheduleId).delete();
      deleted.push(schedule.scheduleId);
    }
  }
  return { created, updated, deleted };
}
