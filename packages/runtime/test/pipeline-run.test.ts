// A pipeline run end to end on the dev server: the real worker (bundle, activities, DuckDB file)
// extracts the CSV source, builds the steps (two of them in parallel), publishes each once, and
// the client helpers start, find, describe and list the run.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { decide } from '../src/client/decide.js';
import { listRuns } from '../src/client/list-runs.js';
import { DecisionRefusedError, RunNotFoundError } from '../src/client/run-errors.js';
import { getStatus, type RunStatusReport } from '../src/client/run-status.js';
import { startRun } from '../src/client/start-run.js';
import { watchRun } from '../src/client/watch-run.js';
import { PIPELINE_RUN_WORKFLOW } from '../src/workflows/run-definitions.js';
import {
  copyProject,
  editFile,
  eventually,
  publications,
  query,
  startWorker,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

describe('a pipeline run on the dev server', () => {
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

  async function setUp() {
    const project = copyProject();
    cleanups.push(project.remove);
    const taskQueue = uniqueTaskQueue('run');
    const pool = createWarehousePool({ idleCloseMs: 200 });
    const worker = await startWorker(env, { projectDir: project.dir, taskQueue, warehouses: pool });
    cleanups.push(() => worker.stop());
    return { dir: project.dir, taskQueue, pool, worker };
  }

  it('extracts, builds and publishes every step once, and returns the report', async () => {
    const { dir, taskQueue, pool } = await setUp();
    const logicalDate = uniqueDate();

    const started = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: dir,
      pipeline: 'shop',
      logicalDate,
      taskQueue,
    });
    const result = await within(started.handle.result(), 'the run to finish');

    expect(started).toMatchObject({
      outcome: 'started',
      runId: `pipectl-runtime-shop-shop-${logicalDate}`,
      attempt: 1,
    });
    expect(result.status).toBe('succeeded');
    expect(result.published.map((p) => [p.dataset, p.published, p.version, p.rowsWritten]).sort()).toEqual([
      ['mart.customer_totals', true, '1.0.0', 3],
      ['mart.daily_revenue', true, '1.0.0', 3],
      ['stg.orders', true, '1.0.0', 5],
    ]);
    expect(result.view.sources).toMatchObject([{ source: 'orders', dataset: 'raw.orders', rowsWritten: 6 }]);
    expect(result.view.steps.map((s) => [s.name, s.state, s.report?.compatibility.verdict])).toEqual([
      ['stg_orders', 'published', 'first'],
      ['daily_revenue', 'published', 'first'],
      ['customer_totals', 'published', 'first'],
    ]);
    const registry = await publications(pool, dir, 'mart.daily_revenue');
    expect(registry.map((v) => [v.runId, v.contractVersion, v.rowsWritten])).toEqual([
      [started.runId, '1.0.0', 3],
    ]);
    expect(
      await query(
        pool,
        dir,
        'select ordered_on::varchar as day, revenue::varchar as revenue from mart.daily_revenue order by 1',
      ),
    ).toEqual([
      { day: '2026-11-20', revenue: '35.50' },
      { day: '2026-11-21', revenue: '37.25' },
      { day: '2026-11-22', revenue: '4.75' },
    ]);
  });

  it('attaches a second start of a running run, reports a finished one as already run, and reruns on request', async () => {
    const { dir, taskQueue, pool } = await setUp();
    const options = {
      project: 'runtime-shop',
      projectDir: dir,
      pipeline: 'shop',
      logicalDate: uniqueDate(),
      taskQueue,
    };

    const first = await startRun(env.client, options);
    const second = await startRun(env.client, options);
    await within(first.handle.result(), 'the run to finish');
    const third = await startRun(env.client, options);
    const rerun = await startRun(env.client, { ...options, rerun: true });
    const rerunResult = await within(rerun.handle.result(), 'the run to finish');

    expect(second).toMatchObject({ outcome: 'attached', runId: first.runId });
    expect(third).toMatchObject({ outcome: 'already-run', runId: first.runId, closedStatus: 'COMPLETED' });
    expect(rerun).toMatchObject({ outcome: 'started', runId: `${first.runId}-r2`, attempt: 2 });
    expect(rerunResult.view.steps.map((s) => s.report?.compatibility.verdict)).toEqual([
      'compatible',
      'compatible',
      'compatible',
    ]);
    const registry = await publications(pool, dir, 'stg.orders');
    expect(registry.map((v) => v.runId)).toEqual([first.runId, rerun.runId]);
  });

  it('reports progress while it runs, until it closes', async () => {
    const { dir, taskQueue } = await setUp();
    const started = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: dir,
      pipeline: 'shop',
      logicalDate: uniqueDate(),
      taskQueue,
    });
    const seen: RunStatusReport[] = [];

    const final = await watchRun(env.client, started.runId, (status) => seen.push(status), {
      intervalMs: 50,
    });

    expect(final).toMatchObject({ execution: 'COMPLETED', status: 'succeeded' });
    expect(seen.at(-1)).toBe(final);
    expect(seen.length).toBeGreaterThan(1);
    // Each report differs from the one before: unchanged polls are not reported.
    const changes = seen.map((status) => JSON.stringify([status.execution, status.status, status.view]));
    expect(changes.every((change, index) => index === 0 || change !== changes[index - 1])).toBe(true);
  });

  it('describes a finished run from the server and finds it by its search attributes', async () => {
    const { dir, taskQueue } = await setUp();
    const logicalDate = uniqueDate();
    const started = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: dir,
      pipeline: 'shop',
      logicalDate,
      taskQueue,
    });
    await within(started.handle.result(), 'the run to finish');

    const status = await getStatus(env.client, started.runId);
    const description = await started.handle.describe();
    const decided = await decide(env.client, started.runId, 'approve', { by: 'alice' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const listed = await eventually(async () => {
      const runs = await listRuns(env.client, { pipeline: 'shop', status: 'succeeded' });
      return runs.find((run) => run.runId === started.runId);
    }, 'the run to be listed as succeeded');

    expect(status).toMatchObject({
      execution: 'COMPLETED',
      status: 'succeeded',
      pipeline: 'shop',
      awaitingApproval: false,
      result: { status: 'succeeded' },
    });
    expect(listed).toMatchObject({
      project: 'runtime-shop',
      pipeline: 'shop',
      status: 'succeeded',
      execution: 'COMPLETED',
      awaitingApproval: false,
      logicalDate,
    });
    expect(await description.staticSummary()).toBe(`pipectl run shop for ${logicalDate}`);
    expect(await description.staticDetails()).toContain(`- project: runtime-shop (\`${dir}\`)`);
    expect(decided).toBeInstanceOf(DecisionRefusedError);
    expect((decided as DecisionRefusedError).reason).toBe('the run has finished (COMPLETED)');
    await expect(getStatus(env.client, 'pipectl-shop-1999-01-01')).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it('reads a run whose id has no project (started before ids carried it), as runs in flight during an upgrade', async () => {
    const { dir, taskQueue } = await setUp();
    const logicalDate = uniqueDate();
    const oldId = `pipectl-shop-${logicalDate}`;
    const handle = await env.client.workflow.start(PIPELINE_RUN_WORKFLOW, {
      taskQueue,
      workflowId: oldId,
      args: [{ projectDir: dir, pipeline: 'shop', logicalDate }],
    });
    await within(handle.result(), 'the run to finish');

    expect(await getStatus(env.client, oldId)).toMatchObject({ runId: oldId, status: 'succeeded' });
  });

  it('fails with QualityGateFailed, and publishes nothing of the failed step, when a gate at error fails', async () => {
    const { dir, taskQueue, pool } = await setUp();
    editFile(dir, 'pipelines/shop.pipeline.yaml', 'min: 1', 'min: 100');
    const started = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: dir,
      pipeline: 'shop',
      logicalDate: uniqueDate(),
      taskQueue,
    });

    const failure = await within(started.handle.result(), 'the run to end').then(
      () => undefined,
      (error: unknown) => error,
    );
    const status = await getStatus(env.client, started.runId);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('QualityGateFailed');
    expect(status.failure?.type).toBe('QualityGateFailed');
    expect(status.failure?.message).toContain('some_revenue');
    expect(status.view?.steps.find((s) => s.name === 'daily_revenue')?.state).toBe('failed');
    expect(status.view?.status).toBe('failed');
    expect(await publications(pool, dir, 'mart.daily_revenue')).toEqual([]);
    expect(
      await query(
        pool,
        dir,
        "select table_name from information_schema.tables where table_name like '_pipectl_stage%'",
      ),
    ).toEqual([]);
    // Nothing published, but the gate's results are kept, marked blocked, for the catalog's trend.
    expect(
      await query(
        pool,
        dir,
        `select check_id, status, outcome, run_id from _pipectl.check_results
         where dataset = 'mart.daily_revenue' and check_id = 'some_revenue'`,
      ),
    ).toEqual([{ check_id: 'some_revenue', status: 'fail', outcome: 'blocked', run_id: started.runId }]);
  });
});
