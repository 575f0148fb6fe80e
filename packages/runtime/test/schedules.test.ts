// Pipelines with a schedule become Temporal Schedules; deploying twice updates instead of failing,
// pruning removes what the plan no longer schedules, and a scheduled run takes its logical date
// from its scheduled time in the pipeline's time zone.
import { compile } from '@pipectl/compiler';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { deploySchedules, scheduleIdFor } from '../src/client/deploy-schedules.js';
import { listRuns } from '../src/client/list-runs.js';
import { calendarDate, scheduledStartTimeKey } from '../src/workflows/logical-date.js';
import type { pipelineRun } from '../src/workflows/pipeline-run.workflow.js';
import {
  copyProject,
  eventually,
  publishDirectly,
  startWorker,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

describe('deploySchedules', () => {
  let env: TestWorkflowEnvironment;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('creates a schedule per scheduled pipeline, updates it on the next deploy, and prunes what lost its schedule', async () => {
    const project = copyProject();
    cleanups.push(project.remove);
    const { plan } = await compile(project.dir);
    const options = { projectDir: project.dir, taskQueue: uniqueTaskQueue('schedules') };
    const id = scheduleIdFor(plan.project.name, 'reporting');
    cleanups.push(() =>
      env.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined),
    );

    const first = await deploySchedules(env.client, plan, options);
    const second = await deploySchedules(env.client, plan, options);
    const description = await env.client.schedule.getHandle(id).describe();
    const unscheduled = { ...plan, pipelines: plan.pipelines.map((p) => ({ ...p, schedule: null })) };
    const pruned = await deploySchedules(env.client, unscheduled, { ...options, prune: true });

    expect(first).toEqual({ created: ['pipectl-runtime-shop-reporting'], updated: [], deleted: [] });
    expect(second).toEqual({ created: [], updated: ['pipectl-runtime-shop-reporting'], deleted: [] });
    expect(description.spec.timezone).toBe('Europe/Berlin');
    expect(description.action).toMatchObject({
      workflowType: 'pipelineRun',
      taskQueue: options.taskQueue,
      args: [
        {
          projectDir: project.dir,
          pipeline: 'reporting',
          logicalDate: 'scheduled',
          timezone: 'Europe/Berlin',
        },
      ],
    });
    expect(description.memo).toMatchObject({ pipectlProject: 'runtime-shop', pipeline: 'reporting' });
    expect(pruned).toEqual({ created: [], updated: [], deleted: ['pipectl-runtime-shop-reporting'] });
  });

  it('starts runs whose logical date is the scheduled time’s date in the pipeline’s time zone', async () => {
    const project = copyProject();
    cleanups.push(project.remove);
    const pool = createWarehousePool({ idleCloseMs: 200 });
    // reporting reads mart.daily_revenue, which the shop pipeline publishes.
    await publishDirectly(pool, project.dir, 'shop', 'seed');
    const taskQueue = uniqueTaskQueue('scheduled');
    const worker = await startWorker(env, { projectDir: project.dir, taskQueue, warehouses: pool });
    cleanups.push(() => worker.stop());
    const { plan } = await compile(project.dir);
    const id = scheduleIdFor(plan.project.name, 'reporting');
    await deploySchedules(env.client, plan, { projectDir: project.dir, taskQueue });
    cleanups.push(() =>
      env.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined),
    );

    await env.client.schedule.getHandle(id).trigger();
    const started = await eventually(async () => {
      const runs = await listRuns(env.client, { project: 'runtime-shop', pipeline: 'reporting' });
      return runs.find((run) => run.runId.startsWith('pipectl-runtime-shop-reporting-scheduled-'));
    }, 'the scheduled run to start');
    const handle = env.client.workflow.getHandle<typeof pipelineRun>(started.runId);
    const result = await within(handle.result(), 'the scheduled run to finish');
    const scheduledAt = (await handle.describe()).typedSearchAttributes.get(scheduledStartTimeKey);

    expect(result.status).toBe('succeeded');
    expect(scheduledAt).toBeInstanceOf(Date);
    expect(result.view.logicalDate).toBe(calendarDate(scheduledAt as Date, 'Europe/Berlin'));
    expect(result.published).toMatchObject([{ dataset: 'report.weekly_revenue', published: true }]);
  });
});
