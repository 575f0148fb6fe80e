// The approval gate on the dev server. The warehouse first holds what v1 of the fixture published;
// the run then builds v2, whose mart.daily_revenue drops a column (FIELD_REMOVED, breaking under
// `forward`), and waits for an approver: by update (answered, refusals explained), by signal (taken
// even while no worker runs), or until the pipeline's approval timeout fails or rejects the run.
import { WorkflowFailedError, type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool, type WarehousePool } from '../src/activities/warehouse-pool.js';
import { decide, signalDecision, targetDecision } from '../src/client/decide.js';
import { listRuns } from '../src/client/list-runs.js';
import { DecisionRefusedError, WorkerUnavailableError } from '../src/client/run-errors.js';
import { getStatus, type RunStatusReport } from '../src/client/run-status.js';
import { type StartRunResult, startRun } from '../src/client/start-run.js';
import { approveSignal, approveUpdate } from '../src/workflows/run-definitions.js';
import type { PendingApproval, RunStatusView } from '../src/workflows/run-types.js';
import {
  applyOverlay,
  copyProject,
  eventually,
  type Overlay,
  publications,
  publishDirectly,
  query,
  startWorker,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

describe('a run with a breaking schema change', () => {
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

  /** A project whose warehouse holds v1, changed to v2 (plus `overlays`), a worker, and a started run. */
  async function startBreakingRun(...overlays: Overlay[]) {
    const project = copyProject();
    cleanups.push(project.remove);
    const pool = createWarehousePool({ idleCloseMs: 200 });
    await publishDirectly(pool, project.dir, 'shop', 'seed-v1');
    for (const overlay of ['shop-v2' as const, ...overlays]) applyOverlay(project.dir, overlay);
    const taskQueue = uniqueTaskQueue('approval');
    const worker = await startWorker(env, { projectDir: project.dir, taskQueue, warehouses: pool });
    cleanups.push(() => worker.stop());
    const run = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: project.dir,
      pipeline: 'shop',
      logicalDate: uniqueDate(),
      taskQueue,
    });
    return { dir: project.dir, pool, taskQueue, worker, run };
  }

  function awaitingApproval(run: StartRunResult): Promise<RunStatusReport> {
    return eventually(async () => {
      const status = await getStatus(env.client, run.runId);
      return status.view?.pending ? status : undefined;
    }, 'the run to wait for an approval');
  }

  /** Waits until `count` steps of the run wait for a decision at once. */
  function awaitingSteps(run: StartRunResult, count: number): Promise<readonly PendingApproval[]> {
    return eventually(async () => {
      const awaiting = (await getStatus(env.client, run.runId)).view?.awaiting ?? [];
      return awaiting.length >= count ? awaiting : undefined;
    }, `${count} steps of the run to wait for an approval`);
  }

  /** The reason the run gave for refusing an update, or undefined when it took it. */
  async function refusedUpdate(run: StartRunResult, payload: unknown): Promise<string | undefined> {
    return run.handle.executeUpdate(approveUpdate, { args: [payload as never] }).then(
      () => undefined,
      (error: unknown) => {
        expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
        return (error as WorkflowUpdateFailedError).cause?.message;
      },
    );
  }

  async function failureOf(run: StartRunResult): Promise<ApplicationFailure> {
    const error = await within(run.handle.result(), 'the run to end').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return cause as ApplicationFailure;
  }

  async function dailyRevenueRegistry(pool: WarehousePool, dir: string) {
    return (await publications(pool, dir, 'mart.daily_revenue')).map((v) => ({
      runId: v.runId,
      version: v.contractVersion,
      approval: v.approval ?? null,
    }));
  }

  it('waits, names the change and its consumers, refuses a non-approver, and publishes what an approver approves', async () => {
    const { dir, pool, run } = await startBreakingRun();

    const waiting = await awaitingApproval(run);
    const listed = await eventually(async () => {
      const runs = await listRuns(env.client, { awaitingApproval: true, pipeline: 'shop' });
      return runs.find((r) => r.runId === run.runId);
    }, 'the run to be listed as awaiting approval');
    const metadata = (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails: string };
    const timerSummaries = await timerSummariesOf(run.handle);
    const refused = await decide(env.client, run.runId, 'approve', { by: 'mallory', comment: 'lgtm' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const decision = await decide(env.client, run.runId, 'approve', {
      by: 'alice',
      comment: 'finance migrated',
    });
    const result = await within(run.handle.result(), 'the run to finish');

    expect(waiting.status).toBe('awaiting_approval');
    expect(waiting.awaitingApproval).toBe(true);
    expect(waiting.view?.pending).toMatchObject({
      step: 'daily_revenue',
      dataset: 'mart.daily_revenue',
      approvers: ['alice'],
      compatibility: {
        verdict: 'breaking',
        mode: 'forward',
        fromVersion: '1.0.0',
        toVersion: '2.0.0',
        consumers: [
          { kind: 'dataset', name: 'report.weekly_revenue', owner: 'finance@example.com' },
          { kind: 'pipeline', name: 'reporting', owner: 'finance@example.com' },
        ],
      },
    });
    expect(
      waiting.view?.pending?.compatibility.changes
        .filter((change) => change.verdict === 'breaking')
        .map((change) => [change.rule, change.path]),
    ).toEqual([['FIELD_REMOVED', 'columns.customers']]);
    expect(listed).toMatchObject({ status: 'awaiting_approval', awaitingApproval: true });
    expect(metadata.currentDetails).toContain(
      '## Awaiting approval: breaking change to `mart.daily_revenue`',
    );
    expect(metadata.currentDetails).toContain(`pipectl approve ${run.runId} --as alice`);
    // The run's Summary is fixed at start: the approval wait's timer names what waits, in History.
    expect(timerSummaries).toEqual([
      expect.stringMatching(
        /^awaiting approval: breaking change to mart\.daily_revenue: FIELD_REMOVED at columns\.customers; decide before \d{4}-/,
      ),
    ]);
    expect(refused).toBeInstanceOf(DecisionRefusedError);
    expect((refused as DecisionRefusedError).reason).toBe(
      '"mallory" is not an approver of mart.daily_revenue (approvers: alice)',
    );
    expect(decision).toMatchObject({
      kind: 'approved',
      by: 'alice',
      comment: 'finance migrated',
      via: 'update',
    });
    expect(result.status).toBe('succeeded');
    expect(result.published.find((p) => p.dataset === 'mart.daily_revenue')).toMatchObject({
      published: true,
      version: '2.0.0',
    });
    expect(await dailyRevenueRegistry(pool, dir)).toEqual([
      { runId: 'seed-v1', version: '1.0.0', approval: null },
      {
        runId: run.runId,
        version: '2.0.0',
        approval: { by: 'alice', decision: 'approved', comment: 'finance migrated' },
      },
    ]);
  });

  it('publishes nothing of a rejected change and ends rejected', async () => {
    const { dir, pool, run } = await startBreakingRun();
    await awaitingApproval(run);

    const decision = await decide(env.client, run.runId, 'reject', {
      by: 'alice',
      comment: 'finance still reads it',
    });
    const again = await decide(env.client, run.runId, 'approve', { by: 'alice' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const failure = await failureOf(run);
    const status = await getStatus(env.client, run.runId);
    const metadata = (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails: string };

    expect(decision).toMatchObject({ kind: 'rejected', by: 'alice', via: 'update' });
    expect(again).toBeInstanceOf(DecisionRefusedError);
    // A rejected run ends Failed with a named type, not green: the list shows it did not succeed.
    expect(failure.type).toBe('ChangeRejected');
    expect(failure.message).toBe(
      'the change to mart.daily_revenue was rejected by alice (update): finance still reads it; nothing of it was published; the data is as before',
    );
    expect(status).toMatchObject({
      execution: 'FAILED',
      status: 'rejected',
      failure: { type: 'ChangeRejected' },
    });
    expect(status.view?.steps.find((s) => s.name === 'daily_revenue')?.state).toBe('rejected');
    expect(
      status.view?.steps
        .filter((s) => s.state === 'published')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['customer_totals', 'stg_orders']);
    expect(metadata.currentDetails).toContain(
      '## Rejected: the change to `mart.daily_revenue` was not published',
    );
    expect(metadata.currentDetails).toMatch(
      /- \*\*rejected\*\* `mart.daily_revenue` \(step `daily_revenue`\) by \*\*alice\*\* via update at \S+ — "finance still reads it"/,
    );
    expect(await dailyRevenueRegistry(pool, dir)).toEqual([
      { runId: 'seed-v1', version: '1.0.0', approval: null },
    ]);
    expect(
      await query(pool, dir, 'select count(*)::int as n from mart.daily_revenue where customers is not null'),
    ).toEqual([{ n: 3 }]);
    expect(
      await query(
        pool,
        dir,
        "select table_name from information_schema.tables where table_name like '_pipectl_stage%'",
      ),
    ).toEqual([]);
  });

  it('fails with ApprovalTimedOut when nobody decides in time and the pipeline says fail', async () => {
    const { dir, pool, run } = await startBreakingRun('approval-fail');

    const failure = await failureOf(run);
    const status = await getStatus(env.client, run.runId);

    expect(failure.type).toBe('ApprovalTimedOut');
    expect(failure.message).toBe(
      'no decision on the breaking change to mart.daily_revenue within the approval timeout',
    );
    expect(status).toMatchObject({
      execution: 'FAILED',
      status: 'failed',
      failure: { type: 'ApprovalTimedOut' },
    });
    expect(status.view?.decisions).toMatchObject([{ kind: 'rejected', by: 'timeout', via: 'timeout' }]);
    expect(await dailyRevenueRegistry(pool, dir)).toEqual([
      { runId: 'seed-v1', version: '1.0.0', approval: null },
    ]);
    expect(
      await query(
        pool,
        dir,
        "select table_name from information_schema.tables where table_name like '_pipectl_stage%'",
      ),
    ).toEqual([]);
  });

  it('rejects the change when nobody decides in time and the pipeline says reject', async () => {
    const { dir, pool, run } = await startBreakingRun('approval-reject');

    const failure = await failureOf(run);

    expect(failure.type).toBe('ChangeRejected');
    expect((failure.details?.[0] as RunStatusView | undefined)?.decisions).toMatchObject([
      { kind: 'rejected', by: 'timeout', via: 'timeout' },
    ]);
    expect(await dailyRevenueRegistry(pool, dir)).toEqual([
      { runId: 'seed-v1', version: '1.0.0', approval: null },
    ]);
  });

  it('honours a signal sent while no worker runs once a worker is back, and records a refused one', async () => {
    const { dir, pool, taskQueue, worker, run } = await startBreakingRun();
    await awaitingApproval(run);
    await worker.stop();

    const unanswered = await decide(
      env.client,
      run.runId,
      'approve',
      { by: 'mallory' },
      { timeoutMs: 500 },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    await signalDecision(env.client, run.runId, 'approve', { by: 'mallory' });
    await signalDecision(env.client, run.runId, 'approve', { by: 'alice', comment: 'via the web UI' });
    const comeback = await startWorker(env, { projectDir: dir, taskQueue, warehouses: pool });
    cleanups.push(() => comeback.stop());
    const result = await within(run.handle.result(), 'the run to finish');

    expect(unanswered).toBeInstanceOf(WorkerUnavailableError);
    expect(result.status).toBe('succeeded');
    expect(result.view.refused).toMatchObject([
      { by: 'mallory', reason: '"mallory" is not an approver of mart.daily_revenue (approvers: alice)' },
    ]);
    expect(result.view.decisions).toMatchObject([{ kind: 'approved', by: 'alice', via: 'signal' }]);
    expect((await dailyRevenueRegistry(pool, dir)).at(-1)).toEqual({
      runId: run.runId,
      version: '2.0.0',
      approval: { by: 'alice', decision: 'approved', comment: 'via the web UI' },
    });
  });

  it('waits for two breaking steps at once, and takes only decisions that name the step and the change reviewed', async () => {
    const { dir, pool, run } = await startBreakingRun('two-breaking');
    const waiting = await awaitingSteps(run, 2);
    const fingerprint = (step: string) => waiting.find((p) => p.step === step)?.fingerprint ?? '';
    const metadata = (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails: string };

    // The probed bug: the same "approve as alice" twice approved a step nobody had looked at.
    const unnamed = await decide(env.client, run.runId, 'approve', { by: 'alice' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const unnamedAgain = await decide(env.client, run.runId, 'approve', { by: 'alice' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const target = await targetDecision(env.client, run.runId, { by: 'alice' });
    const stale = await decide(env.client, run.runId, 'approve', {
      by: 'alice',
      step: 'customer_totals',
      fingerprint: fingerprint('daily_revenue'),
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await signalDecision(env.client, run.runId, 'reject', {
      by: 'alice',
      step: 'daily_revenue',
      fingerprint: '0123456789abcdef',
    });
    const first = await decide(env.client, run.runId, 'approve', {
      by: 'alice',
      comment: 'finance migrated',
      step: 'daily_revenue',
      fingerprint: fingerprint('daily_revenue'),
    });
    const named = await targetDecision(env.client, run.runId, { by: 'alice', step: 'customer_totals' });
    const again = await decide(env.client, run.runId, 'reject', {
      by: 'alice',
      step: 'daily_revenue',
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const second = await decide(env.client, run.runId, 'approve', {
      by: 'alice',
      comment: 'nobody reads spent',
      fingerprint: fingerprint('customer_totals'),
    });
    const result = await within(run.handle.result(), 'the run to finish');

    expect(waiting.map((p) => p.step).sort()).toEqual(['customer_totals', 'daily_revenue']);
    expect(fingerprint('daily_revenue')).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('customer_totals')).not.toBe(fingerprint('daily_revenue'));
    expect(metadata.currentDetails).toContain('changes await approval');
    for (const p of waiting)
      expect(metadata.currentDetails).toContain(`**Change fingerprint:** \`${p.fingerprint}\``);
    const both = `${waiting.map((p) => `${p.step} (fingerprint ${p.fingerprint})`).join(', ')}`;
    for (const refused of [unnamed, unnamedAgain]) {
      expect(refused).toBeInstanceOf(DecisionRefusedError);
      expect((refused as DecisionRefusedError).reason).toBe(
        `2 steps wait for a decision: ${both}; name the one you reviewed with "step" and "fingerprint"`,
      );
    }
    expect(target).toMatchObject({ ok: false, waiting: [{}, {}] });
    expect((stale as DecisionRefusedError).reason).toBe(
      `the change waiting at step "customer_totals" has fingerprint ${fingerprint('customer_totals')}, not ${fingerprint('daily_revenue')}: it is not the change that was reviewed; look again with \`pipectl status\``,
    );
    expect(first).toMatchObject({
      kind: 'approved',
      step: 'daily_revenue',
      fingerprint: fingerprint('daily_revenue'),
    });
    expect(named).toMatchObject({
      ok: true,
      input: { by: 'alice', step: 'customer_totals', fingerprint: fingerprint('customer_totals') },
    });
    expect((again as DecisionRefusedError).reason).toBe('step "daily_revenue" was already approved by alice');
    expect(second).toMatchObject({ kind: 'approved', step: 'customer_totals' });
    expect(result.status).toBe('succeeded');
    expect(result.view.refused).toMatchObject([
      {
        by: 'alice',
        kind: 'rejected',
        step: 'daily_revenue',
        reason: `the change waiting at step "daily_revenue" has fingerprint ${fingerprint('daily_revenue')}, not 0123456789abcdef: it is not the change that was reviewed; look again with \`pipectl status\``,
      },
    ]);
    expect(result.view.decisions.map((d) => [d.kind, d.step, d.fingerprint])).toEqual([
      ['approved', 'daily_revenue', fingerprint('daily_revenue')],
      ['approved', 'customer_totals', fingerprint('customer_totals')],
    ]);
    expect((await dailyRevenueRegistry(pool, dir)).at(-1)).toEqual({
      runId: run.runId,
      version: '2.0.0',
      approval: { by: 'alice', decision: 'approved', comment: 'finance migrated' },
    });
  });

  it('refuses malformed decisions by update and by signal before recording anything, and publishes after a valid one', async () => {
    const { dir, pool, run } = await startBreakingRun();
    await awaitingApproval(run);
    const malformed = [
      { by: 'alice', comment: { x: 1 } },
      { by: '', comment: 'lgtm' },
      { by: 'alice', comment: 'lgtm', approved: true },
    ];

    const updates = [];
    for (const payload of malformed) updates.push(await refusedUpdate(run, payload));
    for (const payload of malformed) await run.handle.signal(approveSignal, payload as never);
    const refused = await eventually(async () => {
      const status = await getStatus(env.client, run.runId);
      return (status.view?.refused.length ?? 0) >= malformed.length ? status.view?.refused : undefined;
    }, 'the run to record the three refused signals');
    const metadata = (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails: string };
    const stillWaiting = await getStatus(env.client, run.runId);
    const decision = await decide(env.client, run.runId, 'approve', {
      by: 'alice',
      comment: 'finance migrated',
    });
    const result = await within(run.handle.result(), 'the run to finish');

    const reasons = [
      'invalid decision: "comment" must be a string (why, in words), not an object',
      `invalid decision: "by" must not be empty: the approver's name, as listed in the contract's approvers`,
      'invalid decision: unknown field "approved" (allowed: by, comment, step, fingerprint, signedAt, signature)',
    ];
    expect(updates).toEqual(reasons);
    expect(refused?.map((r) => r.reason)).toEqual(reasons);
    expect(metadata.currentDetails).toContain('**Refused decisions (not applied)**');
    expect(metadata.currentDetails).toContain('not an object');
    expect(stillWaiting.view?.decisions).toEqual([]);
    expect(stillWaiting.view?.awaiting).toHaveLength(1);
    expect(decision).toMatchObject({ kind: 'approved', by: 'alice', step: 'daily_revenue' });
    expect(result.status).toBe('succeeded');
    expect((await dailyRevenueRegistry(pool, dir)).at(-1)).toEqual({
      runId: run.runId,
      version: '2.0.0',
      approval: { by: 'alice', decision: 'approved', comment: 'finance migrated' },
    });
  });
});

/** The summaries of the timers a run started, as the web UI shows them in History. */
async function timerSummariesOf(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.timerStartedEventAttributes && event.userMetadata?.summary)
    .map((event) => defaultPayloadConverter.fromPayload<string>(event.userMetadata?.summary as never));
}
