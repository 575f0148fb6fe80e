// Two projects on one Temporal namespace, each with a pipeline named `shop`: their run ids, task
// queues, schedules and search attributes carry the project's name, so runs of the same pipeline
// and date never collide, each is served by its own project's worker, and each project lists only
// its own runs. A worker refuses a task queue another project's worker polls.
import { randomUUID } from 'node:crypto';
import { compile } from '@pipectl/compiler';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool, type WarehousePool } from '../src/activities/warehouse-pool.js';
import { deploySchedules } from '../src/client/deploy-schedules.js';
import { listRuns } from '../src/client/list-runs.js';
import { TaskQueueSharedError } from '../src/client/run-errors.js';
import { taskQueueFor } from '../src/client/run-id.js';
import { startRun } from '../src/client/start-run.js';
import { taskQueueWorkers } from '../src/client/task-queue-workers.js';
import { projectKey } from '../src/workflows/run-definitions.js';
import {
  copyProject,
  editFile,
  eventually,
  publications,
  query,
  startWorker,
  uniqueDate,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

describe('projects side by side on one Temporal', () => {
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

  /** A copy of the fixture project renamed `name`, with one more order when `extraOrder`. */
  function project(name: string, extraOrder = false) {
    const copy = copyProject();
    cleanups.push(copy.remove);
    editFile(copy.dir, 'pipectl.yaml', 'name: runtime-shop', `name: ${name}`);
    if (extraOrder) {
      editFile(
        copy.dir,
        'data/orders.csv',
        '6,bob,4.75,2026-11-22,paid',
        '6,bob,4.75,2026-11-22,paid\n7,eve,99.00,2026-11-22,paid',
      );
    }
    return { name, dir: copy.dir, taskQueue: taskQueueFor(name) };
  }

  async function serve(p: { name: string; dir: string; taskQueue: string }, pool: WarehousePool) {
    const worker = await startWorker(env, {
      projectDir: p.dir,
      taskQueue: p.taskQueue,
      project: p.name,
      warehouses: pool,
    });
    cleanups.push(() => worker.stop());
    return worker;
  }

  it('runs a pipeline of the same name and date in two projects at once, each on its own worker and warehouse', async () => {
    const suffix = randomUUID().slice(0, 8);
    const a = project(`side-a-${suffix}`);
    const b = project(`side-b-${suffix}`, true);
    const poolA = createWarehousePool({ idleCloseMs: 200 });
    const poolB = createWarehousePool({ idleCloseMs: 200 });
    await serve(a, poolA);
    await serve(b, poolB);
    const logicalDate = uniqueDate();

    const [runA, runB] = await Promise.all(
      [a, b].map((p) =>
        startRun(env.client, {
          project: p.name,
          projectDir: p.dir,
          pipeline: 'shop',
          logicalDate,
          taskQueue: p.taskQueue,
        }),
      ),
    );
    if (!runA || !runB) throw new Error('both runs should have started');
    const [resultA, resultB] = await within(
      Promise.all([runA.handle.result(), runB.handle.result()]),
      'both runs to finish',
    );

    expect(runA).toMatchObject({ outcome: 'started', runId: `pipectl-${a.name}-shop-${logicalDate}` });
    expect(runB).toMatchObject({ outcome: 'started', runId: `pipectl-${b.name}-shop-${logicalDate}` });
    expect([resultA.status, resultB.status]).toEqual(['succeeded', 'succeeded']);

    // Every activity of each run was taken by its own project's worker.
    for (const [run, p] of [
      [runA, a],
      [runB, b],
    ] as const) {
      const history = await run.handle.fetchHistory();
      const takenBy = new Set(
        (history.events ?? [])
          .map((event) => event.activityTaskStartedEventAttributes?.identity)
          .filter((identity): identity is string => typeof identity === 'string'),
      );
      expect([...takenBy]).toEqual([expect.stringMatching(`\\(pipectl project ${p.name}\\)$`)]);
      const description = await run.handle.describe();
      expect(description.typedSearchAttributes.get(projectKey)).toBe(p.name);
    }

    // Each warehouse holds its own project's data, published by its own run.
    const orders = (pool: WarehousePool, dir: string) =>
      query<{ n: string }>(pool, dir, 'select count(*)::varchar as n from stg.orders');
    expect(await orders(poolA, a.dir)).toEqual([{ n: '5' }]);
    expect(await orders(poolB, b.dir)).toEqual([{ n: '6' }]);
    expect((await publications(poolA, a.dir, 'stg.orders')).map((v) => v.runId)).toEqual([runA.runId]);
    expect((await publications(poolB, b.dir, 'stg.orders')).map((v) => v.runId)).toEqual([runB.runId]);

    // Each project lists only its own runs.
    for (const [p, mine, theirs] of [
      [a, runA, runB],
      [b, runB, runA],
    ] as const) {
      const listed = await eventually(async () => {
        const runs = await listRuns(env.client, { project: p.name });
        return runs.some((r) => r.runId === mine.runId && r.status === 'succeeded') ? runs : undefined;
      }, `listRuns of project ${p.name} to show its finished run`);
      expect(listed.map((r) => r.runId)).toEqual([mine.runId]);
      expect(listed.map((r) => r.project)).toEqual([p.name]);
      expect(listed.map((r) => r.runId)).not.toContain(theirs.runId);
    }
  });

  it('deploys the schedules of two projects with a pipeline of the same name as distinct schedules and run ids', async () => {
    const suffix = randomUUID().slice(0, 8);
    const deployed = [];
    for (const p of [project(`sched-a-${suffix}`), project(`sched-b-${suffix}`)]) {
      const { plan } = await compile(p.dir);
      const result = await deploySchedules(env.client, plan, { projectDir: p.dir, taskQueue: p.taskQueue });
      for (const id of result.created) {
        cleanups.push(() =>
          env.client.schedule
            .getHandle(id)
            .delete()
            .catch(() => undefined),
        );
      }
      const id = result.created[0] ?? '';
      const action = (await env.client.schedule.getHandle(id).describe()).action;
      deployed.push({ p, created: result.created, action });
    }

    const [first, second] = deployed;
    if (!first || !second) throw new Error('both projects should have deployed');
    expect(first.created).toEqual([`pipectl-${first.p.name}-reporting`]);
    expect(second.created).toEqual([`pipectl-${second.p.name}-reporting`]);
    for (const { p, action } of deployed) {
      expect(action).toMatchObject({
        workflowId: `pipectl-${p.name}-reporting-scheduled`,
        taskQueue: `pipectl-${p.name}`,
      });
      if (action.type !== 'startWorkflow') throw new Error('a schedule starts a workflow');
      const attributes = action.typedSearchAttributes;
      const projectOf = Array.isArray(attributes)
        ? attributes.find((pair) => pair.key.name === projectKey.name)?.value
        : attributes?.get(projectKey);
      expect(projectOf).toBe(p.name);
    }
  });

  it("refuses to start a worker on a task queue another project's worker polls, and says who serves a queue", async () => {
    const suffix = randomUUID().slice(0, 8);
    const a = project(`queue-a-${suffix}`);
    const b = project(`queue-b-${suffix}`);
    expect(await taskQueueWorkers(env.client, a.taskQueue)).toEqual([]);

    await serve(a, createWarehousePool({ idleCloseMs: 200 }));
    const serving = await eventually(async () => {
      const workers = await taskQueueWorkers(env.client, a.taskQueue);
      return workers.length > 0 ? workers : undefined;
    }, `a poller on ${a.taskQueue}`);
    expect(serving.map((w) => w.project)).toEqual([a.name]);

    const refused = await startWorker(env, {
      projectDir: b.dir,
      taskQueue: a.taskQueue,
      project: b.name,
    }).then(
      async (worker) => {
        await worker.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TaskQueueSharedError);
    expect((refused as TaskQueueSharedError).message).toContain(
      `task queue "${a.taskQueue}" is served by a worker of project "${a.name}"`,
    );
  });
});
