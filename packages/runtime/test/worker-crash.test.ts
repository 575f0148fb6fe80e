// A worker killed with SIGKILL in the middle of a step on the embedded DuckDB file, where a step
// runs as a local activity of the worker running the workflow: the workflow task it held times
// out, a new worker process replays the run and runs the step again, rebuilding the staging
// relation from scratch, and publishes. The dataset is published exactly once, with no duplicated
// rows. (On a lakehouse, where steps are ordinary activities, lakehouse-workers.test.ts kills one.)
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
import { spawnWorker, type WorkerChild } from './support/worker-child.js';

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
  async function startChild(projectDir: string, taskQueue: string): Promise<WorkerChild> {
    const worker = await spawnWorker(projectDir, taskQueue);
    children.add(worker.process);
    return worker;
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

    // Kill once the build has started: it stages 3 million rows, for seconds.
    await eventually(
      async () => (first.output().includes('started buildStep\n') ? true : undefined),
      'the first worker to start building',
    );
    first.process.kill('SIGKILL');
    await once(first.process, 'exit');

    const pool = createWarehousePool({ idleCloseMs: 0 });
    const beforeResume = await publications(pool, project.dir, 'mart.numbers');
    await pool.close();
    const second = await startChild(project.dir, taskQueue);
    const result = await within(run.handle.result(), 'the run to finish on the second worker');
    second.process.kill('SIGTERM');
    await once(second.process, 'exit');

    const events = (await run.handle.fetchHistory()).events ?? [];
    const scheduled = events.flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    const markers = events.filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    ).length;
    const timedOut = events.filter((event) => event.workflowTaskTimedOutEventAttributes).length;
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
    // The first worker died holding the workflow task its local build ran in; the step ran again,
    // locally, on the second: planning and the source went through the server, the step did not.
    expect(second.output()).toContain('started buildStep\n');
    expect(timedOut).toBeGreaterThanOrEqual(1);
    expect(scheduled).toEqual(['planRun']);
    expect(markers).toBe(1);
    expect(result.status).toBe('succeeded');
    expect(result.published).toMatchObject([
      { dataset: 'mart.numbers', published: true, rowsWritten: 3_000_000 },
    ]);
    expect(registry.map((v) => [v.runId, v.rowsWritten])).toEqual([[run.runId, 3_000_000]]);
    expect(rows).toEqual([{ total: 3_000_000, distinct_ids: 3_000_000 }]);
    expect(staging).toEqual([]);
  });
});
