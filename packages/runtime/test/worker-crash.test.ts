// A worker killed with SIGKILL in the middle of a step: the activity's heartbeats stop, Temporal
// gives the step to the next attempt on a new worker process, which rebuilds the staging relation
// from scratch and publishes. The dataset is published exactly once, with no duplicated rows.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { startRun } from '../src/client/start-run.js';
import {
  copyProject,
  eventually,
  publications,
  query,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';
import { spawnWorker } from './support/worker-child.js';

describe('a worker crash in the middle of a step', () => {
  let env: TestWorkflowEnvironment;
  const children = new Set<ChildProcess>();
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.clear();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Starts the worker script in a child process and waits until it polls. */
  async function startChild(projectDir: string, taskQueue: string): Promise<ChildProcess> {
    const { process: child } = await spawnWorker(projectDir, taskQueue);
    children.add(child);
    return child;
  }

  it('resumes on a new worker and publishes the dataset exactly once', async () => {
    const project = copyProject();
    cleanups.push(project.remove);
    const taskQueue = uniqueTaskQueue('crash');
    const first = await startChild(project.dir, taskQueue);
    const run = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: project.dir,
      pipeline: 'bulk',
      logicalDate: uniqueDate(),
      taskQueue,
    });

    // Kill on the build's first heartbeat: it is then inside DuckDB, staging for seconds.
    await eventually(async () => {
      const { raw } = await run.handle.describe();
      const build = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'buildStep');
      return build?.lastHeartbeatTime ? true : undefined;
    }, 'the build to heartbeat');
    first.kill('SIGKILL');
    await once(first, 'exit');

    const pool = createWarehousePool({ idleCloseMs: 0 });
    const beforeResume = await publications(pool, project.dir, 'mart.numbers');
    await pool.close();
    const second = await startChild(project.dir, taskQueue);
    const result = await within(run.handle.result(), 'the run to finish on the second worker');
    second.kill('SIGTERM');
    await once(second, 'exit');

    const history = await run.handle.fetchHistory();
    const buildAttempts = (history.events ?? [])
      .filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'buildStep')
      .map((event) => {
        const started = history.events?.find(
          (e) =>
            e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === event.eventId?.toString(),
        );
        return started?.activityTaskStartedEventAttributes?.attempt;
      });
    const registry = await publications(pool, project.dir, 'mart.numbers');
    const rows = await query<{ total: number; distinct_ids: number }>(
      pool,
      project.dir,
      'select count(*)::int as total, count(distinct id)::int as distinct_ids from mart.numbers',
    );
    const staging = await query(
      pool,
      project.dir,
      "select table_name from information_schema.tables where table_name like '_pipectl_stage%'",
    );
    await pool.close();

    expect(beforeResume).toEqual([]);
    // The killed attempt was not the last (a loaded machine may need one more).
    expect(buildAttempts).toHaveLength(1);
    expect(buildAttempts[0]).toBeGreaterThanOrEqual(2);
    expect(result.status).toBe('succeeded');
    expect(result.published).toMatchObject([
      { dataset: 'mart.numbers', published: true, rowsWritten: 3_000_000 },
    ]);
    expect(registry.map((v) => [v.runId, v.rowsWritten])).toEqual([[run.runId, 3_000_000]]);
    expect(rows).toEqual([{ total: 3_000_000, distinct_ids: 3_000_000 }]);
    expect(staging).toEqual([]);
  });
});
