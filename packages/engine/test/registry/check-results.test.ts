// Every gate check's result is kept in `_pipectl.check_results`: a passing gate's results land in
// the publishing transaction with the version (none when the publication rolls back, none twice
// when it is retried); a blocking gate's results are recorded once, as `blocked`, while nothing of
// its data lands.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  buildStep,
  checkResultHistory,
  discardStaged,
  publicationHistory,
  publishStep,
} from '../../src/index.js';
import { CHECK_RESULTS_TABLE, stagedChecksNameOf } from '../../src/registry/check-results.js';
import { relationKind } from '../../src/schema/relation-name.js';
import { type RunStepInput, runStep } from '../../src/steps/run-step.js';
import {
  fixtureContract,
  rowsOf,
  rule,
  type TempWarehouse,
  tempWarehouse,
} from '../helpers/temp-warehouse.js';
import { warehouseKinds } from '../support/warehouse-kinds.js';

describe.each(warehouseKinds())('on a $name', (kind) => {
  let db: TempWarehouse;
  beforeEach(async () => {
    db = await tempWarehouse(kind);
    await db.warehouse.run(`
      CREATE SCHEMA raw;
      CREATE TABLE raw.lines (order_id BIGINT, line_number INTEGER, quantity INTEGER);
      INSERT INTO raw.lines VALUES (1, 1, 2), (1, 2, 1);
    `);
  });
  afterEach(() => db.close());

  const step = (runId: string, at = '2026-12-03T09:00:00Z'): RunStepInput => ({
    runId,
    step: 'sales/lines',
    dataset: 'sales.order_lines',
    sql: 'select order_id, line_number, quantity from "raw"."lines"',
    materialized: 'table',
    contract: fixtureContract('order-lines'),
    gates: [rule({ check: 'row_count', name: 'at_most_two', max: 2, severity: 'warn' })],
    now: new Date(at),
  });
  const results = () =>
    rowsOf(
      db.warehouse,
      `SELECT run_id, check_id, status, passed, outcome, failing_rows, observed_value
       FROM ${CHECK_RESULTS_TABLE} ORDER BY run_id, outcome, check_id`,
    );
  const stagedChecks = (runId: string) => relationKind(db.warehouse, stagedChecksNameOf(step(runId)));

  test('a publication records every check of its gate, with the version, run, observed value and time', async () => {
    expect((await runStep(db.warehouse, step('run-1'))).status).toBe('published');
    const history = await checkResultHistory(db.warehouse, 'sales.order_lines');
    expect(history.map((r) => [r.checkId, r.kind, r.origin, r.column ?? null, r.status, r.passed])).toEqual([
      ['at_most_two', 'row_count', 'gate', null, 'pass', true],
      ['not_null_line_number', 'not_null', 'constraint', 'line_number', 'pass', true],
      ['not_null_order_id', 'not_null', 'constraint', 'order_id', 'pass', true],
      ['not_null_quantity', 'not_null', 'constraint', 'quantity', 'pass', true],
      ['range_quantity', 'range', 'constraint', 'quantity', 'pass', true],
      ['unique_order_id_line_number', 'unique', 'constraint', 'order_id, line_number', 'pass', true],
    ]);
    expect(history[0]).toMatchObject({
      dataset: 'sales.order_lines',
      contractVersion: '1.0.0',
      runId: 'run-1',
      step: 'sales/lines',
      severity: 'warn',
      outcome: 'published',
      value: '2',
      checkedAt: '2026-12-03T09:00:00.000Z',
    });
    expect(history[4]).toMatchObject({ failingRows: 0, severity: 'error' });
    // Moved, not copied: nothing is left waiting.
    expect(await stagedChecks('run-1')).toBeUndefined();
  });

  test('results land in the publishing transaction: none when it rolls back, none twice when it is retried', async () => {
    expect((await buildStep(db.warehouse, step('run-1'))).status).toBe('ready');
    // Staged, not yet results.
    expect(await stagedChecks('run-1')).toBe('table');
    expect(await results()).toEqual([]);
    const failing = publishStep(db.warehouse, {
      ...step('run-1'),
      beforeCommit: async () => {
        throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await results()).toEqual([]);
    expect(await stagedChecks('run-1')).toBe('table');

    expect((await publishStep(db.warehouse, step('run-1'))).status).toBe('published');
    expect(await results()).toHaveLength(6);
    // A retried publication, and a retried run after a crash (a new process), add nothing.
    expect((await publishStep(db.warehouse, step('run-1'))).status).toBe('already-published');
    const warehouse = await db.reopen();
    expect((await runStep(warehouse, step('run-1'))).status).toBe('already-published');
    expect(await results()).toHaveLength(6);
    expect((await publicationHistory(warehouse, 'sales.order_lines')).map((v) => v.runId)).toEqual(['run-1']);
  });

  test('a blocking gate publishes nothing but records its results once, as blocked', async () => {
    await runStep(db.warehouse, step('run-1'));
    await db.warehouse.run('UPDATE raw.lines SET quantity = 0 WHERE line_number = 2');
    const failed = await runStep(db.warehouse, step('run-2', '2026-12-04T09:00:00Z'));
    expect(failed.status).toBe('failed');
    // The same build again (an activity retried after a crash): no second set of rows.
    expect((await runStep(db.warehouse, step('run-2', '2026-12-04T09:00:05Z'))).status).toBe('failed');
    expect((await results()).filter((r) => r.run_id === 'run-2')).toEqual(
      expect.arrayContaining([
        {
          run_id: 'run-2',
          check_id: 'range_quantity',
          status: 'fail',
          passed: false,
          outcome: 'blocked',
          failing_rows: 1,
          observed_value: null,
        },
      ]),
    );
    expect((await results()).filter((r) => r.run_id === 'run-2')).toHaveLength(6);
    expect(await stagedChecks('run-2')).toBeUndefined();
    expect((await publicationHistory(db.warehouse, 'sales.order_lines')).map((v) => v.runId)).toEqual([
      'run-1',
    ]);
    // The trend of the check shows the pass, then the failure.
    const range = (await checkResultHistory(db.warehouse, 'sales.order_lines')).filter(
      (r) => r.checkId === 'range_quantity',
    );
    expect(range.map((r) => [r.runId, r.status, r.outcome, r.checkedAt])).toEqual([
      ['run-1', 'pass', 'published', '2026-12-03T09:00:00.000Z'],
      ['run-2', 'fail', 'blocked', '2026-12-04T09:00:00.000Z'],
    ]);
  });

  test('a rejected change drops its staged results; the history keeps the newest results of each check', async () => {
    for (const [i, day] of ['01', '02', '03'].entries())
      await runStep(db.warehouse, step(`run-${i + 1}`, `2026-12-${day}T09:00:00Z`));
    await buildStep(db.warehouse, step('run-4', '2026-12-04T09:00:00Z'));
    await discardStaged(db.warehouse, step('run-4'));
    expect(await stagedChecks('run-4')).toBeUndefined();
    const newest = await checkResultHistory(db.warehouse, 'sales.order_lines', 2);
    expect(newest.filter((r) => r.checkId === 'at_most_two').map((r) => r.runId)).toEqual(['run-2', 'run-3']);
    expect(newest).toHaveLength(12);
  });

  test('a warehouse whose registry predates check results gains the table at its next publication', async () => {
    await db.warehouse.run(`
      CREATE SCHEMA IF NOT EXISTS "_pipectl";
      CREATE TABLE "_pipectl"."published_versions" (
        dataset VARCHAR NOT NULL, run_id VARCHAR NOT NULL, step VARCHAR, contract_version VARCHAR NOT NULL,
        schema_json JSON NOT NULL, schema_hash VARCHAR NOT NULL, materialized VARCHAR NOT NULL,
        rows_written BIGINT NOT NULL, published_at TIMESTAMPTZ NOT NULL, approved_by VARCHAR,
        decision VARCHAR, decision_comment VARCHAR);
    `);
    expect(await checkResultHistory(db.warehouse, 'sales.order_lines')).toEqual([]);
    expect((await runStep(db.warehouse, step('run-1'))).status).toBe('published');
    expect(await checkResultHistory(db.warehouse, 'sales.order_lines')).toHaveLength(6);
  });
});
