// Workers on a lakehouse: a project whose target is a DuckLake with its catalog in a real
// PostgreSQL server, served by TWO worker processes at once (on the DuckDB file a second worker
// would refuse to start). Each activity opens the lake for itself, so parallel steps run on both
// workers; a worker killed while it publishes leaves the publication to the other, which publishes
// each dataset exactly once; two pipelines publishing at the same moment both land.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '@pipectl/compiler';
import { openTargetWarehouse, publicationHistory, type Warehouse } from '@pipectl/engine';
import { resolveTarget } from '@pipectl/spec';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type TestPostgresServer } from '../../../test-support/postgres-server.js';
import { startRun } from '../src/client/start-run.js';
import { copyProject, eventually, uniqueDate, uniqueTaskQueue, within } from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';
import { spawnWorker, type WorkerChild } from './support/worker-child.js';

const PASSWORD_VARIABLE = 'PIPECTL_TEST_LAKE_PASSWORD';

describe('two worker processes on a DuckLake whose catalog is in PostgreSQL', () => {
  let env: TestWorkflowEnvironment;
  let postgres: TestPostgresServer;
  const workers = new Set<WorkerChild>();
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    [env, postgres] = await Promise.all([connectTestEnv(), startPostgresServer()]);
  });
  afterEach(async () => {
    for (const { process: child } of workers) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    workers.clear();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await env?.teardown();
    await postgres?.stop();
  });

  /** A copy of the fixture whose target `lake` is a DuckLake in a new PostgreSQL database. */
  async function lakeProject(): Promise<string> {
    const project = copyProject('lakehouse');
    cleanups.push(project.remove);
    const database = `lake_${randomBytes(6).toString('hex')}`;
    await postgres.createDatabase(database);
    const catalog = postgres.catalogOf(database).replace(postgres.password, `\${${PASSWORD_VARIABLE}}`);
    appendFileSync(
      join(project.dir, 'pipectl.yaml'),
      [
        'targets:',
        '  lake:',
        '    warehouse:',
        '      kind: ducklake',
        `      catalog: "${catalog}"`,
        '      dataPath: .pipectl/lake',
        'target: lake',
        '',
      ].join('\n'),
    );
    return project.dir;
  }

  /** Two workers on the project, one activity at a time each, so parallel steps need both. */
  async function twoWorkers(projectDir: string, taskQueue: string): Promise<[WorkerChild, WorkerChild]> {
    const started = await Promise.all(
      ['worker-a', 'worker-b'].map((identity) =>
        spawnWorker(projectDir, taskQueue, {
          [PASSWORD_VARIABLE]: postgres.password,
          PIPECTL_WORKER_IDENTITY: identity,
          PIPECTL_MAX_ACTIVITIES: '1',
          // The publishing phase reaches the server within 100 ms, not 80% of the heartbeat timeout.
          PIPECTL_HEARTBEAT_THROTTLE_MS: '100',
        }),
      ),
    );
    for (const worker of started) workers.add(worker);
    return started as [WorkerChild, WorkerChild];
  }

  /** The project's lake, opened in this process as one more reader. */
  async function withLake<T>(projectDir: string, read: (lake: Warehouse) => Promise<T>): Promise<T> {
    const loaded = await loadProject(projectDir);
    const resolved = resolveTarget(loaded.project, {
      env: { ...process.env, [PASSWORD_VARIABLE]: postgres.password },
    });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const lake = await openTargetWarehouse(resolved.target, projectDir);
    try {
      return await read(lake);
    } finally {
      lake.close();
    }
  }

  /** Which worker started each attempt of each activity of a finished run, in history order. */
  /** The phase a pending activity's last heartbeat named (withHeartbeat's `{ phase }`), if any. */
  function phaseOf(activity: { heartbeatDetails?: { payloads?: unknown[] | null } | null }): unknown {
    const [payload] = activity.heartbeatDetails?.payloads ?? [];
    if (payload === undefined) return undefined;
    const details = defaultPayloadConverter.fromPayload<{ phase?: string }>(payload as Payload);
    return details?.phase;
  }

  async function attempts(handle: WorkflowHandle) {
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    return events.flatMap((event) => {
      const started = event.activityTaskStartedEventAttributes;
      if (!started) return [];
      const scheduled = events.find(
        (e) => e.eventId?.toString() === started.scheduledEventId?.toString(),
      )?.activityTaskScheduledEventAttributes;
      return [
        {
          activity: scheduled?.activityType?.name ?? '',
          worker: started.identity ?? '',
          attempt: started.attempt ?? 0,
        },
      ];
    });
  }

  it('runs the parallel steps of one run on both workers', async () => {
    const projectDir = await lakeProject();
    const taskQueue = uniqueTaskQueue('lake-fan');
    const [a] = await twoWorkers(projectDir, taskQueue);
    expect(a.output()).toMatch(
      /serving the DuckLake with catalog postgres:host=127\.0\.0\.1 .*password=\*\*\*/,
    );

    const run = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir,
      pipeline: 'fan',
      logicalDate: uniqueDate(),
      taskQueue,
    });
    const result = await within(run.handle.result(), 'the fan run to finish');

    expect(result.status).toBe('succeeded');
    const builds = (await attempts(run.handle)).filter((attempt) => attempt.activity === 'buildStep');
    expect(builds.map((build) => build.worker).sort()).toEqual(['worker-a', 'worker-b']);
    const registry = await withLake(projectDir, async (lake) => ({
      left: await publicationHistory(lake, 'mart.left_numbers'),
      right: await publicationHistory(lake, 'mart.right_numbers'),
    }));
    expect(registry.left.map((v) => [v.runId, v.rowsWritten])).toEqual([[run.runId, 1_500_000]]);
    expect(registry.right.map((v) => [v.runId, v.rowsWritten])).toEqual([[run.runId, 1_500_000]]);
  });

  it('publishes exactly once when the publishing worker is killed', async () => {
    const projectDir = await lakeProject();
    const taskQueue = uniqueTaskQueue('lake-crash');
    const [a, b] = await twoWorkers(projectDir, taskQueue);
    const start = (logicalDate: string) =>
      startRun(env.client, {
        project: 'runtime-shop',
        projectDir,
        pipeline: 'merge',
        logicalDate,
        taskQueue,
      });
    // The first run creates the dataset; the second merges 2 M rows into it, which takes a while.
    const first = await start(uniqueDate());
    expect((await within(first.handle.result(), 'the first merge run to finish')).status).toBe('succeeded');
    const second = await start(uniqueDate());

    // The change is compatible, so buildStep publishes it too: its heartbeat says when it does.
    const publisher = await Promise.race([
      eventually(async () => {
        const { raw } = await second.handle.describe();
        const publish = raw.pendingActivities?.find(
          (activity) =>
            activity.lastStartedTime &&
            (activity.activityType?.name === 'publishStep' || phaseOf(activity) === 'publishing'),
        );
        return publish?.lastWorkerIdentity || undefined;
      }, 'the publication of mart.merged_numbers to start on a worker'),
      second.handle.result().then(() => {
        throw new Error('the second merge run ended before its publication was seen on a worker');
      }),
    ]);
    const [killed, survivor] = publisher === 'worker-a' ? [a, b] : [b, a];
    killed.process.kill('SIGKILL');
    await once(killed.process, 'exit');

    const result = await within(second.handle.result(), 'the second merge run to finish on the other worker');
    const publishes = (await attempts(second.handle)).filter((attempt) =>
      ['buildStep', 'publishStep'].includes(attempt.activity),
    );
    const state = await withLake(projectDir, async (lake) => ({
      registry: await publicationHistory(lake, 'mart.merged_numbers'),
      rows: await lake.json<{ total: number; ids: number }>(
        'select count(*)::int as total, count(distinct id)::int as ids from mart.merged_numbers',
      ),
      // Each check of each run's gate once: the retried publication moved its results once.
      results: await lake.json<{ run_id: string; rows: number; checks: number }>(
        `select run_id, count(*)::int as rows, count(distinct check_id)::int as checks
         from _pipectl.check_results where dataset = 'mart.merged_numbers' group by run_id order by run_id`,
      ),
      snapshots: await lake.json<{ n: number }>(
        `select count(*)::int as n from lake.snapshots() where author = 'pipectl' and commit_extra_info::varchar like ?`,
        [`%${second.runId}%`],
      ),
    }));

    expect(result.status).toBe('succeeded');
    // The publication completed on the survivor, after the killed attempt.
    expect(publishes.at(-1)).toMatchObject({ worker: survivor === a ? 'worker-a' : 'worker-b' });
    expect(publishes.at(-1)?.attempt).toBeGreaterThanOrEqual(2);
    expect(state.registry.map((v) => [v.runId, v.rowsWritten])).toEqual([
      [first.runId, 2_000_000],
      [second.runId, 2_000_000],
    ]);
    expect(state.snapshots).toEqual([{ n: 1 }]);
    // not_null and unique on id, not_null on digest: three checks, one row each, per run.
    expect(state.results).toEqual(
      [first.runId, second.runId].sort().map((runId) => ({ run_id: runId, rows: 3, checks: 3 })),
    );
    expect(state.rows).toEqual([{ total: 2_000_000, ids: 2_000_000 }]);
  });

  it('lands two runs of different pipelines that publish at the same moment', async () => {
    const projectDir = await lakeProject();
    const taskQueue = uniqueTaskQueue('lake-both');
    await twoWorkers(projectDir, taskQueue);
    const logicalDate = uniqueDate();
    const runs = await Promise.all(
      ['fan', 'merge'].map((pipeline) =>
        startRun(env.client, { project: 'runtime-shop', projectDir, pipeline, logicalDate, taskQueue }),
      ),
    );
    const results = await within(Promise.all(runs.map((run) => run.handle.result())), 'both runs to finish');

    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded']);
    // One connection: one query at a time.
    const registry = await withLake(projectDir, async (lake) => {
      const runIds: string[][] = [];
      for (const dataset of ['mart.left_numbers', 'mart.right_numbers', 'mart.merged_numbers'])
        runIds.push((await publicationHistory(lake, dataset)).map((v) => v.runId));
      return runIds;
    });
    const [fan, merge] = runs.map((run) => run.runId);
    expect(registry).toEqual([[fan], [fan], [merge]]);
  });
});
