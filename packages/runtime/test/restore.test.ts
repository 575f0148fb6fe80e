// `pipectl restore` on the dev server: a run that republishes an earlier version of a dataset from
// its snapshot on a (local-file) DuckLake, through the same compatibility check and approval as any
// publication. v1 publishes three rows (contract 1.0.0), v2 five rows and a `note` column (1.1.0);
// restoring v1 drops `note` (FIELD_REMOVED, breaking under `forward`), so it waits for an approver:
// rejected (the run fails as ChangeRejected), the data stays v2's; approved, it is v1's again as a new version 3 under contract 1.0.0.
// Restoring v2 then is compatible and publishes without waiting.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '@pipectl/compiler';
import { openTargetWarehouse, publicationHistory, type Warehouse } from '@pipectl/engine';
import { resolveTarget } from '@pipectl/spec';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../src/client/decide.js';
import { getStatus } from '../src/client/run-status.js';
import { startRestore } from '../src/client/start-restore.js';
import { startRun } from '../src/client/start-run.js';
import {
  copyProject,
  editFile,
  eventually,
  startWorker,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

const DATASET = 'mart.kept_numbers';

describe('restoring an earlier version of a dataset on a DuckLake', () => {
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

  /** The project's lake, read in this process while no activity has it open (a local catalog file). */
  async function withLake<T>(projectDir: string, read: (lake: Warehouse) => Promise<T>): Promise<T> {
    const loaded = await loadProject(projectDir);
    const resolved = resolveTarget(loaded.project, { env: process.env });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const lake = await openTargetWarehouse(resolved.target, projectDir);
    try {
      return await read(lake);
    } finally {
      lake.close();
    }
  }

  const rows = (dir: string) =>
    withLake(dir, (lake) =>
      lake.all<Record<string, unknown>>(`SELECT * FROM "mart"."kept_numbers" ORDER BY id`),
    ).then((found) => JSON.parse(JSON.stringify(found, (_, v) => (typeof v === 'bigint' ? Number(v) : v))));
  const history = (dir: string) => withLake(dir, (lake) => publicationHistory(lake, DATASET));

  function awaitingApproval(runId: string) {
    return eventually(async () => {
      const status = await getStatus(env.client, runId);
      return status.view?.pending ? status.view.pending : undefined;
    }, `restore run ${runId} to wait for an approval`);
  }

  it('republishes v1 only through the approval its breaking schema needs, and v2 without one', async () => {
    const project = copyProject('restore');
    cleanups.push(project.remove);
    const dir = project.dir;
    appendFileSync(
      join(dir, 'pipectl.yaml'),
      [
        'targets:',
        '  lake:',
        '    warehouse:',
        '      kind: ducklake',
        '      catalog: .pipectl/lake.ducklake',
        '      dataPath: .pipectl/lake',
        'target: lake',
        '',
      ].join('\n'),
    );
    const taskQueue = uniqueTaskQueue('restore');
    const worker = await startWorker(env, { projectDir: dir, taskQueue, project: 'runtime-shop' });
    cleanups.push(() => worker.stop());
    const run = async () => {
      const started = await startRun(env.client, {
        project: 'runtime-shop',
        projectDir: dir,
        pipeline: 'numbers',
        logicalDate: uniqueDate(),
        taskQueue,
      });
      return within(started.handle.result(), `run ${started.runId} to finish`);
    };
    let clock = Date.UTC(2026, 11, 3, 10, 0, 0);
    const restore = (version: number) => {
      clock += 1000;
      return startRestore(env.client, {
        project: 'runtime-shop',
        projectDir: dir,
        pipeline: 'numbers',
        dataset: DATASET,
        version,
        taskQueue,
        now: new Date(clock),
      });
    };

    // v1, then v2: two more rows and a nullable column (compatible under `forward`).
    expect((await run()).status).toBe('succeeded');
    const v1Rows = await rows(dir);
    expect(v1Rows).toEqual([
      { id: 0, amount: 0 },
      { id: 1, amount: 10 },
      { id: 2, amount: 20 },
    ]);
    editFile(
      dir,
      'pipelines/numbers.pipeline.yaml',
      '(i * 10)::bigint as amount',
      "(i * 10)::bigint as amount, 'v2' as note",
    );
    editFile(dir, 'pipelines/numbers.pipeline.yaml', 'range(3)', 'range(5)');
    editFile(dir, 'contracts/kept-numbers.contract.yaml', 'version: 1.0.0', 'version: 1.1.0');
    appendFileSync(join(dir, 'contracts/kept-numbers.contract.yaml'), '  - name: note\n    type: varchar\n');
    expect((await run()).status).toBe('succeeded');
    const v2Rows = await rows(dir);
    expect(v2Rows).toHaveLength(5);

    // Restoring v1 removes `note`: breaking, so it waits; rejected, nothing changes.
    const rejected = await restore(1);
    expect(rejected.runId).toBe('pipectl-runtime-shop-restore-mart.kept_numbers-v1-20261203T100001Z');
    const pending = await awaitingApproval(rejected.runId);
    expect(pending).toMatchObject({ dataset: DATASET, approvers: ['alice'] });
    expect(pending.compatibility.verdict).toBe('breaking');
    expect(pending.compatibility.changes.map((c) => c.rule)).toContain('FIELD_REMOVED');
    expect(pending.compatibility).toMatchObject({ fromVersion: '1.1.0', toVersion: '1.0.0' });
    await decide(env.client, rejected.runId, 'reject', { by: 'alice', comment: 'keep v2' });
    const refused = await within(rejected.handle.result(), 'the rejected restore to end').then(
      () => undefined,
      (error: unknown) => error as { cause?: { type?: string } },
    );
    expect(refused?.cause?.type).toBe('ChangeRejected');
    expect(await rows(dir)).toEqual(v2Rows);
    expect(await history(dir)).toHaveLength(2);

    // Approved, v1's rows are back as version 3, under v1's contract.
    const approved = await restore(1);
    await awaitingApproval(approved.runId);
    await decide(env.client, approved.runId, 'approve', { by: 'alice', comment: 'roll back' });
    const result = await within(approved.handle.result(), 'the approved restore to end');
    expect(result.status).toBe('succeeded');
    expect(result.published).toEqual([
      {
        step: 'numbers',
        dataset: DATASET,
        published: true,
        version: '1.0.0',
        rowsWritten: 3,
        restoredFrom: 1,
      },
    ]);
    expect(result.view.restore).toEqual({ dataset: DATASET, version: 1 });
    expect(result.view.steps[0]?.report?.restoredFrom).toBe(1);
    expect(await rows(dir)).toEqual(v1Rows);
    const afterRollback = await history(dir);
    expect(afterRollback).toHaveLength(3);
    expect(afterRollback[2]).toMatchObject({
      runId: approved.runId,
      contractVersion: afterRollback[0]?.contractVersion,
      schemaHash: afterRollback[0]?.schemaHash,
      rowsWritten: 3,
      approval: { by: 'alice', decision: 'approved', comment: 'roll back' },
    });

    // Restoring v2 adds `note` back: compatible, published without an approval.
    const forward = await restore(2);
    const again = await within(forward.handle.result(), 'the compatible restore to end');
    expect(again.status).toBe('succeeded');
    expect(again.view.decisions).toEqual([]);
    expect(await rows(dir)).toEqual(v2Rows);
    const last = (await history(dir)).at(-1);
    expect(last).toMatchObject({ contractVersion: '1.1.0', rowsWritten: 5, runId: forward.runId });
    expect(last?.approval).toBeUndefined();
  });

  it('fails a restore of a version the registry does not have, publishing nothing', async () => {
    const project = copyProject('restore');
    cleanups.push(project.remove);
    appendFileSync(
      join(project.dir, 'pipectl.yaml'),
      'targets:\n  lake:\n    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }\ntarget: lake\n',
    );
    const taskQueue = uniqueTaskQueue('restore-missing');
    const worker = await startWorker(env, { projectDir: project.dir, taskQueue, project: 'runtime-shop' });
    cleanups.push(() => worker.stop());
    const started = await startRestore(env.client, {
      project: 'runtime-shop',
      projectDir: project.dir,
      pipeline: 'numbers',
      dataset: DATASET,
      version: 4,
      taskQueue,
    });
    const failure = await within(started.handle.result(), 'the restore to fail').then(
      () => undefined,
      (error: unknown) => error as { cause?: { type?: string; message?: string } },
    );
    expect(failure?.cause?.type).toBe('RestoreUnavailable');
    expect(failure?.cause?.message).toMatch(/PIPE5221 mart\.kept_numbers has no version 4 \(0 published/);
  });
});
