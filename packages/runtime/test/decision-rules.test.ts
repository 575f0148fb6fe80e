// The pure rules of a decision: the one payload schema, which waiting step a decision is for, and
// the change fingerprint (a SHA-256 computed inside workflow code) that binds it to what was shown.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { approvalDetails, approvalTimerSummary } from '../src/workflows/approval-details.js';
import { changeFingerprint } from '../src/workflows/change-fingerprint.js';
import { parseDecisionInput } from '../src/workflows/decision-input.js';
import type { CompatibilitySummary, PendingApproval } from '../src/workflows/run-types.js';
import { sha256Hex } from '../src/workflows/sha256.js';
import { chooseApproval } from '../src/workflows/waiting-approval.js';

const compatibility: CompatibilitySummary = {
  verdict: 'breaking',
  mode: 'forward',
  fromVersion: '1.0.0',
  toVersion: '2.0.0',
  changes: [{ rule: 'FIELD_REMOVED', path: 'columns.customers', verdict: 'breaking', message: 'removed' }],
  consumers: [{ kind: 'pipeline', name: 'reporting', owner: 'finance@example.com' }],
};

function pending(step: string, fingerprint: string): PendingApproval {
  return {
    step,
    fingerprint,
    dataset: `mart.${step}`,
    approvers: ['alice'],
    compatibility,
    since: '2026-12-03T00:00:00.000Z',
    deadline: '2026-12-03T01:00:00.000Z',
  };
}

describe('a decision payload', () => {
  it.each([
    [{ by: 'alice' }, { by: 'alice' }],
    [
      { by: 'alice', comment: '', step: 'daily_revenue', fingerprint: 'abc' },
      { by: 'alice', comment: '', step: 'daily_revenue', fingerprint: 'abc' },
    ],
  ])('is accepted when it keeps to the schema: %j', (payload, input) => {
    expect(parseDecisionInput(payload)).toEqual({ ok: true, input });
  });

  it.each([
    [{ by: 'alice', comment: { x: 1 } }, '"comment" must be a string (why, in words), not an object'],
    [{ by: '' }, `"by" must not be empty: the approver's name, as listed in the contract's approvers`],
    [{ by: '  ' }, `"by" must not be empty: the approver's name, as listed in the contract's approvers`],
    [{ comment: 'lgtm' }, `"by" is required: the approver's name, as listed in the contract's approvers`],
    [
      { by: 'alice', approved: true },
      'unknown field "approved" (allowed: by, comment, step, fingerprint, signedAt, signature)',
    ],
    [
      { by: 'alice', comment: 'x'.repeat(2001) },
      '"comment" is 2001 characters long; at most 2000 are allowed',
    ],
    [
      { by: 'alice', step: 3 },
      '"step" must be a string (the waiting step decided, as `pipectl status` names it), not a number',
    ],
    [{ by: 'alice', comment: null }, '"comment" must be a string (why, in words), not null'],
    ['alice', 'expected a JSON object like {"by": "alice", "comment": "why"}, not a string'],
    [null, 'expected a JSON object like {"by": "alice", "comment": "why"}, not null'],
    [[{ by: 'alice' }], 'expected a JSON object like {"by": "alice", "comment": "why"}, not an array'],
  ])('is refused with its reason: %j', (payload, reason) => {
    expect(parseDecisionInput(payload)).toEqual({ ok: false, reason: `invalid decision: ${reason}` });
  });
});

describe('the waiting step a decision is for', () => {
  const one = [pending('daily_revenue', 'f1')];
  const two = [pending('daily_revenue', 'f1'), pending('customer_totals', 'f2')];

  it('is the only one waiting when the decision names none', () => {
    expect(chooseApproval(one, {})).toMatchObject({ ok: true, pending: { step: 'daily_revenue' } });
  });

  it('is the one it names, by step or by fingerprint', () => {
    expect(chooseApproval(two, { step: 'customer_totals' })).toMatchObject({
      pending: { step: 'customer_totals' },
    });
    expect(chooseApproval(two, { fingerprint: 'f2' })).toMatchObject({
      pending: { step: 'customer_totals' },
    });
    expect(chooseApproval(two, { step: 'daily_revenue', fingerprint: 'f1' })).toMatchObject({
      pending: { step: 'daily_revenue' },
    });
  });

  it.each([
    [
      'two wait and it names none',
      two,
      {},
      '2 steps wait for a decision: daily_revenue (fingerprint f1), customer_totals (fingerprint f2); name the one you reviewed with "step" and "fingerprint"',
    ],
    ['nothing waits', [], { step: 'daily_revenue' }, 'this run is not waiting for an approval'],
    [
      'the step does not wait',
      one,
      { step: 'customer_totals' },
      'step "customer_totals" is not waiting for an approval (waiting: daily_revenue (fingerprint f1))',
    ],
    [
      'the fingerprint is another change',
      one,
      { step: 'daily_revenue', fingerprint: 'f0' },
      'the change waiting at step "daily_revenue" has fingerprint f1, not f0: it is not the change that was reviewed; look again with `pipectl status`',
    ],
    [
      'no waiting change has the fingerprint',
      two,
      { fingerprint: 'f0' },
      'no waiting change has fingerprint f0 (waiting: daily_revenue (fingerprint f1), customer_totals (fingerprint f2)); the change may have been replaced: look again with `pipectl status`',
    ],
  ])('is none, with the reason, when %s', (_, waiting, target, reason) => {
    expect(chooseApproval(waiting, target)).toEqual({ ok: false, reason });
  });
});

describe('the change fingerprint', () => {
  const change = { step: 'daily_revenue', dataset: 'mart.daily_revenue', plan: 'p1', compatibility };

  it('is SHA-256 as node:crypto computes it', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'x'.repeat(1000), 'héllo → 世界 😀']) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });

  it('is stable across key order and changes with anything the approver was shown', () => {
    const fingerprint = changeFingerprint(change);
    const reordered = { ...change, compatibility: { ...compatibility, mode: 'forward' } };
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(changeFingerprint(reordered)).toBe(fingerprint);
    expect(changeFingerprint({ ...change, plan: 'p2' })).not.toBe(fingerprint);
    expect(
      changeFingerprint({ ...change, compatibility: { ...compatibility, toVersion: '3.0.0' } }),
    ).not.toBe(fingerprint);
    expect(changeFingerprint({ ...change, compatibility: { ...compatibility, consumers: [] } })).not.toBe(
      fingerprint,
    );
  });
});

describe('Current Details of a run waiting for two approvals', () => {
  it('shows each change with its fingerprint and the exact input that decides it', () => {
    const details = approvalDetails({
      runId: 'pipectl-shop-2026-12-03',
      pipeline: 'shop',
      waiting: [pending('daily_revenue', 'f1'), pending('customer_totals', 'f2')],
      refused: [
        {
          by: 'alice',
          kind: 'approved',
          step: null,
          reason: '2 steps wait for a decision',
          at: '2026-12-03T00:01:00.000Z',
        },
      ],
    });
    expect(details).toContain('## 2 changes await approval: `daily_revenue`, `customer_totals`');
    expect(details).toContain('**Change fingerprint:** `f2`');
    expect(details).toContain(
      '`{"by": "alice", "comment": "why", "step": "customer_totals", "fingerprint": "f2"}`',
    );
    expect(details).toContain(
      '`pipectl approve pipectl-shop-2026-12-03 --as alice --step daily_revenue --fingerprint f1 --comment "why"`',
    );
    expect(details).toContain('- 2026-12-03T00:01:00.000Z approve from "alice": 2 steps wait for a decision');
  });
});

describe('Current Details with a docs site', () => {
  it("links the waiting dataset's catalog page when the project sets docs.url", () => {
    const docsPage = 'https://data.example.com/catalog/index.html#/contract/mart.daily_revenue';
    const details = approvalDetails({
      runId: 'pipectl-shop-2026-12-03',
      pipeline: 'shop',
      waiting: [{ ...pending('daily_revenue', 'f1'), docsPage }],
    });
    expect(details).toContain(`**Contract page:** [mart.daily_revenue](${docsPage})`);
    expect(
      approvalDetails({ runId: 'r', pipeline: 'shop', waiting: [pending('daily_revenue', 'f1')] }),
    ).not.toContain('Contract page');
  });

  it('reducePlan gives each step the page of the dataset it produces', async () => {
    const { compile } = await import('@pipectl/compiler');
    const { reducePlan } = await import('../src/activities/reduce-plan.js');
    const root = new URL('../../../', import.meta.url).pathname;
    const { plan } = await compile(root);
    const pipeline = plan.pipelines.find((p) => p.name === 'shop_marts');
    if (!pipeline) throw new Error('no shop_marts pipeline in the default project');
    const reduced = reducePlan({
      pipeline,
      datasets: plan.datasets,
      contracts: new Map(),
      heartbeatTimeoutMs: 30_000,
      docsUrl: 'https://data.example.com/catalog/',
    });
    expect(reduced.steps.find((s) => s.produces === 'mart.daily_revenue')?.docsPage).toBe(
      'https://data.example.com/catalog/index.html#/contract/mart.daily_revenue',
    );
  });
});

describe("the approval wait's timer summary", () => {
  it('names the dataset, the first gating rule, how many more, and the deadline, in one bounded line', () => {
    const base = pending('daily_revenue', 'f1');
    const gating = (rule: string, path: string) => ({
      rule,
      path,
      verdict: 'breaking' as const,
      message: rule,
    });
    const many = {
      ...base,
      compatibility: {
        ...base.compatibility,
        verdict: 'breaking' as const,
        changes: [
          { rule: 'FIELD_ADDED', path: 'columns.note', verdict: 'compatible' as const, message: 'added' },
          gating('FIELD_REMOVED', 'columns.customers'),
          gating('TYPE_NARROWED', 'columns.revenue'),
        ],
      },
    };
    expect(approvalTimerSummary(many)).toBe(
      `awaiting approval: breaking change to ${base.dataset}: FIELD_REMOVED at columns.customers (+1 more); decide before ${base.deadline}`,
    );
    const long = { ...many, dataset: `mart.${'x'.repeat(300)}` };
    expect(approvalTimerSummary(long)).toHaveLength(200);
    expect(approvalTimerSummary(long).endsWith('…')).toBe(true);
  });
});
