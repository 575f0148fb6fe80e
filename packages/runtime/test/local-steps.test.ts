// Steps on the embedded DuckDB file run as local activities of the worker running the workflow
// (the plan's `localSteps`): planning and sources go through the server, steps do not. A local
// attempt that fails and may be retried goes on as an ordinary activity, which `status` shows as
// the step's attempt 2 with the local attempt's cause; a failure that may not be retried ends the
// step at once. Real dev server, real worker, real DuckDB file; the one injected fault is a
// worker interceptor that fails the first local build (support/inject-faults.ts).
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerInterceptors } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { getStatus } from '../src/client/run-status.js';
import { startRun } from '../src/client/start-run.js';
import { AFTER_LOCAL_ATTEMPT } from '../src/workflows/run-definitions.js';
import { failFirstLocalBuild, INJECTED_FAILURE } from './support/inject-faults.js';
import {
  copyProject,
  editFile,
  eventually,
  publications,
  startWorker,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

/** What the history says ran where: activities scheduled through the server, and local ones (markers). */
async function ranWhere(handle: WorkflowHandle) {
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    scheduled: events.flatMap((event) => {
      const attributes = event.activityTaskScheduledEventAttributes;
      return attributes ? [`${attributes.activityType?.name} ${attributes.activityId}`] : [];
    }),
    // Patches are markers too; a local activity's result is a `core_local_activity` marker.
    local: events.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .length,
  };
}

describe('steps on the embedded file, as local activities', () => {
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

  async function setUp(interceptors?: WorkerInterceptors) {
    const project = copyProject();
    cleanups.push(project.remove);
    const taskQueue = uniqueTaskQueue('local');
    const pool = createWarehousePool({ idleCloseMs: 200 });
    const worker = await startWorker(env, {
      projectDir: project.dir,
      taskQueue,
      warehouses: pool,
      ...(interceptors ? { interceptors } : {}),
    });
    cleanups.push(() => worker.stop());
    const start = () =>
      startRun(env.client, {
        project: 'runtime-shop',
        projectDir: project.dir,
        pipeline: 'shop',
        logicalDate: uniqueDate(),
        taskQueue,
      });
    return { dir: project.dir, pool, start };
  }

  it('sends only planning and the source through the server; each step is built and published locally', async () => {
    const { start } = await setUp();
    const { handle } = await start();
    const result = await within(handle.result(), 'the run to finish');

    expect(result.status).toBe('succeeded');
    const { scheduled, local } = await ranWhere(handle);
    expect(scheduled.map((entry) => entry.split(' ')[0])).toEqual(['planRun', 'extractSource']);
    // Three steps, each built and published by one local activity.
    expect(local).toBe(3);
  });

  it('goes on as an ordinary activity after a local attempt that may be retried, and status counts it as attempt 2', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { start, dir, pool } = await setUp(failFirstLocalBuild(released));
    const { handle, runId } = await start();

    const retrying = await eventually(async () => {
      const status = await getStatus(env.client, runId);
      return status.retrying?.length ? status.retrying : undefined;
    }, 'status to report the step going on after its failed local attempt');
    release();
    const result = await within(handle.result(), 'the run to finish after the retried build');

    expect(retrying).toEqual([{ activity: 'buildStep', attempt: 2, cause: INJECTED_FAILURE }]);
    expect(result.status).toBe('succeeded');
    expect(result.view.steps.find((s) => s.name === 'stg_orders')?.localAttemptFailed).toBe(INJECTED_FAILURE);
    const { scheduled } = await ranWhere(handle);
    expect(scheduled).toEqual([
      expect.stringMatching(/^planRun /),
      expect.stringMatching(/^extractSource /),
      `buildStep ${AFTER_LOCAL_ATTEMPT}buildStep/stg_orders`,
    ]);
    expect((await publications(pool, dir, 'stg.orders')).map((v) => v.runId)).toEqual([runId]);
  });

  it('fails the step at once when its local attempt fails in a way no retry mends', async () => {
    const { start, dir } = await setUp();
    editFile(dir, 'pipelines/shop.pipeline.yaml', 'min: 1', 'min: 100');
    const { handle } = await start();

    const failure = await within(
      handle.result().then(
        () => undefined,
        (error: unknown) => error,
      ),
      'the run to fail',
    );

    expect(String((failure as Error).cause)).toMatch(/QualityGateFailed|quality gate/i);
    const { scheduled } = await ranWhere(handle);
    // No ordinary buildStep: the gate failure is not retried (discardStep drops what was staged).
    expect(scheduled.filter((entry) => entry.startsWith('buildStep'))).toEqual([]);
  });
});
