// The pure parts of the run workflow, without Temporal: the run state's transitions and views,
// and the approval gate's choice of which waiting step a decision settles and who may settle it.
// The Temporal parts (handlers, timers, activities) are proved by the pipeline-run, approval and
// replay tests.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import {
  judgeDecision,
  pendingApproval,
  refusalOf,
  takeDecision,
  timedOutDecision,
} from '../src/workflows/approval-gate.js';
import { MAX_REFUSED, RunState, statusAttributes } from '../src/workflows/run-state.js';
import type { CompatibilitySummary, PlannedStep, StepBuildReport } from '../src/workflows/run-types.js';
import { publishDecision } from '../src/workflows/step-walk.js';

const compatibility: CompatibilitySummary = {
  verdict: 'breaking',
  mode: 'backward',
  fromVersion: '1.0.0',
  toVersion: '2.0.0',
  changes: [{ rule: 'FIELD_REMOVED', path: 'columns.amount', verdict: 'breaking', message: 'removed' }],
  consumers: [],
};
const report: StepBuildReport = {
  step: 'daily_revenue',
  dataset: 'mart.daily_revenue',
  rowsWritten: 3,
  rowsQuarantined: 0,
  checks: [],
  compatibility,
  durationMs: 1,
};
const step = (name: string): PlannedStep => ({
  name,
  produces: `mart.${name}`,
  dependsOn: [],
  approvers: ['alice'],
  retry: { maximumAttempts: 1, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 1000 },
  fingerprint: `plan-of-${name}`,
});
const NOW = Date.parse('2026-12-03T10:00:00.000Z');
const AT = '2026-12-03T10:05:00.000Z';

function newState(): RunState {
  return new RunState({
    runId: 'pipectl/shop/orders_daily/2026-12-03',
    logicalDate: '2026-12-03',
    input: { pipeline: 'orders_daily' },
  });
}

/** A run state with these steps waiting for a decision. */
function waitingOn(...names: string[]): RunState {
  const state = newState();
  for (const name of names) {
    state.waiting.set(name, pendingApproval(step(name), report, 3_600_000, NOW));
    state.waitingDataset.set(name, `mart.${name}`);
  }
  return state;
}

describe('the run state', () => {
  it('starts planning with an empty view', () => {
    expect(newState().view()).toEqual({
      pipeline: 'orders_daily',
      logicalDate: '2026-12-03',
      status: 'planning',
      sources: [],
      steps: [],
      pending: null,
      awaiting: [],
      decisions: [],
      refused: [],
      error: null,
      errorType: null,
    });
  });

  it('shows a status in both search attributes: awaiting approval is the only one that sets the flag', () => {
    expect(statusAttributes('awaiting_approval').map((a) => a.value)).toEqual(['awaiting_approval', true]);
    expect(statusAttributes('running').map((a) => a.value)).toEqual(['running', false]);
  });

  it('keeps the first failure, typed by a pipectl failure type or placed when it is not one', () => {
    const state = newState();
    const gate = ApplicationFailure.nonRetryable('gate not_null on amount failed', 'QualityGateFailed');
    state.fail(
      new ActivityFailure('activity failed', 'buildStep', '1', 'NON_RETRYABLE_FAILURE', undefined, gate),
      'step daily_revenue',
    );
    state.fail(new Error('later'), 'step other');

    expect([state.error, state.errorType]).toEqual(['gate not_null on amount failed', 'QualityGateFailed']);

    const timedOut = newState();
    timedOut.fail(new Error('activity timed out'), 'extracting sources');
    expect([timedOut.error, timedOut.errorType]).toEqual([
      'extracting sources: activity timed out',
      'PipelineRunFailed',
    ]);
  });

  it(`keeps the latest ${MAX_REFUSED} refused signals`, () => {
    const state = newState();
    for (let i = 0; i < MAX_REFUSED + 5; i++) state.refuse(refusalOf({ by: `u${i}` }, 'approved', 'no', AT));

    expect(state.refused).toHaveLength(MAX_REFUSED);
    expect(state.refused[0]?.by).toBe('u5');
  });

  it('counts lineage deliveries, keeping the reason of the latest drop', () => {
    const state = newState();
    state.countLineage(2, 0, undefined);
    state.countLineage(0, 1, 'connection refused');
    state.countLineage(3, 0, undefined);

    expect(state.view().lineage).toEqual({ sent: 5, dropped: 1, lastError: 'connection refused' });
  });

  it('shows the waiting changes in Current Details while a step waits, and what settled otherwise', () => {
    const state = waitingOn('daily_revenue');
    expect(state.details()).toContain('## Awaiting approval: breaking change to `mart.daily_revenue`');

    state.waiting.clear();
    state.settled = 'Published: nothing.';
    state.refuse(refusalOf({ by: 'mallory', step: 'daily_revenue' }, 'approved', 'not an approver', AT));
    expect(state.details()).toBe(
      `Published: nothing.\n\n**Refused decisions (not applied)**\n\n- ${AT} approve of step \`daily_revenue\` from "mallory": not an approver`,
    );
  });
});

describe('the approval gate', () => {
  it('lets an approver decide the one waiting step without naming it', () => {
    const judged = judgeDecision(waitingOn('daily_revenue'), { by: 'alice' }, 'approved', NOW);

    expect(judged).toMatchObject({
      ok: true,
      pending: { step: 'daily_revenue', dataset: 'mart.daily_revenue' },
    });
  });

  it.each([
    ['a malformed payload', waitingOn('daily_revenue'), { by: 7 }, /by/],
    ['no step waiting', newState(), { by: 'alice' }, /this run is not waiting for an approval/],
    [
      'someone not among the approvers',
      waitingOn('daily_revenue'),
      { by: 'mallory' },
      /"mallory" is not an approver of mart.daily_revenue \(approvers: alice\)/,
    ],
    ['two steps waiting and none named', waitingOn('a', 'b'), { by: 'alice' }, /a|b/],
    ['a step that does not wait', waitingOn('a'), { by: 'alice', step: 'c' }, /step "c" is not waiting/],
  ])('refuses %s', (_name, state, payload, reason) => {
    const judged = judgeDecision(state, payload, 'approved', NOW);

    expect(judged.ok).toBe(false);
    expect(judged.ok ? '' : judged.reason).toMatch(reason);
  });

  it('takes the first decision for a step and refuses a second one, naming who decided', () => {
    const state = waitingOn('daily_revenue');
    const first = judgeDecision(state, { by: 'alice', comment: 'ok' }, 'approved', NOW);
    if (!first.ok) throw new Error(first.reason);
    const made = takeDecision(state, 'approved', first, 'update', AT);

    expect(made).toEqual({
      kind: 'approved',
      by: 'alice',
      comment: 'ok',
      at: AT,
      via: 'update',
      step: 'daily_revenue',
      fingerprint: state.waiting.get('daily_revenue')?.fingerprint,
    });
    expect(judgeDecision(state, { by: 'alice' }, 'rejected', NOW)).toEqual({
      ok: false,
      reason: 'step "daily_revenue" was already approved by alice',
    });

    // Once the step stopped waiting, a decision naming it hears who decided it.
    state.waiting.delete('daily_revenue');
    state.decisions.push(made);
    expect(judgeDecision(state, { by: 'alice', step: 'daily_revenue' }, 'rejected', NOW)).toEqual({
      ok: false,
      reason: 'step "daily_revenue" was already approved by alice',
    });
  });

  it('waits until the plan’s timeout from now, and a timeout rejects, saying whether the run fails', () => {
    const pending = pendingApproval(step('daily_revenue'), report, 3_600_000, NOW);

    expect([pending.since, pending.deadline]).toEqual([
      '2026-12-03T10:00:00.000Z',
      '2026-12-03T11:00:00.000Z',
    ]);
    expect(timedOutDecision(pending, 'fail', AT)).toMatchObject({
      kind: 'rejected',
      by: 'timeout',
      via: 'timeout',
      comment: 'no decision before the approval timeout: the run fails',
    });
    expect(timedOutDecision(pending, 'reject', AT).comment).toBe(
      'rejected: no decision before the approval timeout',
    );
  });

  it('records of a refused signal only short strings of what it was sent', () => {
    expect(refusalOf({ by: 'x'.repeat(500), step: 3 }, 'rejected', 'why', AT)).toEqual({
      by: 'x'.repeat(200),
      kind: 'rejected',
      step: null,
      reason: 'why',
      at: AT,
    });
  });

  it('sends publishStep what unsigned runs always sent, and the signature with its time when signed', () => {
    const made = {
      kind: 'approved' as const,
      by: 'alice',
      comment: null,
      at: AT,
      via: 'signal' as const,
      step: 'a',
      fingerprint: 'f',
    };

    expect(publishDecision(made)).toEqual({ by: 'alice', kind: 'approved', comment: null });
  });
});
