// Publication is atomic and idempotent: a failure inside the publishing transaction leaves the
// previous dataset as it was; a crash between staging and swap, then a retry, publishes once; the
// same run id publishing twice changes nothing; a failed error gate publishes nothing.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildStep, publicationHistory, publishStep } from '../../src/index.js';
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

  const step = (runId: string, materialized: RunStepInput['materialized'] = 'table'): RunStepInput => ({
    runId,
    step: 'lines',
    dataset: 'sales.order_lines',
    sql: 'select order_id, line_number, quantity from "raw"."lines"',
    materialized,
    contract: fixtureContract('order-lines'),
  });
  const published = () =>
    rowsOf(db.warehouse, 'SELECT * FROM sales.order_lines ORDER BY order_id, line_number');
  const runsRecorded = async () =>
    (await publicationHistory(db.warehouse, 'sales.order_lines')).map((v) => v.runId);
  const stagingLeft = () =>
    rowsOf(
      db.warehouse,
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '_pipectl_stage_%'",
    );

  describe('atomic publication', () => {
    test.each(['table', 'view', 'incremental'] as const)(
      '%s: a failure inside the publishing transaction leaves the previous dataset intact',
      async (materialized) => {
        await runStep(db.warehouse, step('run-1', materialized));
        const before = await published();
        await db.warehouse.run('UPDATE raw.lines SET quantity = 99');
        const build = await buildStep(db.warehouse, step('run-2', materialized));
        expect(build.status).toBe('ready');
        const failing = publishStep(db.warehouse, {
          ...step('run-2', materialized),
          beforeCommit: async () => {
            throw new Error('disk full');
          },
        });
        await expect(failing).rejects.toThrow('disk full');
        // Views read their inputs live; tables and merges must still hold run-1's rows.
        if (materialized !== 'view') expect(await published()).toEqual(before);
        expect(await runsRecorded()).toEqual(['run-1']);
        // The staged output survived the rollback, so the retry publishes it.
        const retry = await publishStep(db.warehouse, step('run-2', materialized));
        expect(retry.status).toBe('published');
        expect((await published()).map((row) => row.quantity)).toEqual([99, 99]);
        expect(await runsRecorded()).toEqual(['run-1', 'run-2']);
      },
    );

    test('a crash between staging and swap, then a retry of the run, publishes once and leaves no partial data', async () => {
      await runStep(db.warehouse, step('run-1', 'incremental'));
      await db.warehouse.run('INSERT INTO raw.lines VALUES (2, 1, 4)');
      expect((await buildStep(db.warehouse, step('run-2', 'incremental'))).status).toBe('ready');
      // The worker dies here: staging exists, the swap never ran. A new process opens the file.
      const warehouse = await db.reopen();
      expect(await stagingLeft()).toHaveLength(1);
      expect(await published()).toHaveLength(2);

      const retry = await runStep(warehouse, step('run-2', 'incremental'));
      expect(retry.status).toBe('published');
      expect(await published()).toEqual([
        { order_id: 1, line_number: 1, quantity: 2 },
        { order_id: 1, line_number: 2, quantity: 1 },
        { order_id: 2, line_number: 1, quantity: 4 },
      ]);
      expect(await runsRecorded()).toEqual(['run-1', 'run-2']);
      expect(await stagingLeft()).toEqual([]);
    });

    test('publishing the same run id twice is a no-op', async () => {
      const first = await runStep(db.warehouse, step('run-1', 'incremental'));
      const second = await runStep(db.warehouse, step('run-1', 'incremental'));
      const third = await publishStep(db.warehouse, step('run-1', 'incremental'));
      expect([first.status, second.status, third.status]).toEqual([
        'published',
        'already-published',
        'already-published',
      ]);
      expect(third).toMatchObject({ rowsWritten: 2, contractVersion: '1.0.0' });
      expect(await published()).toHaveLength(2);
      expect(await runsRecorded()).toEqual(['run-1']);
    });

    test('a failed gate at severity error publishes nothing and keeps the previous dataset', async () => {
      await runStep(db.warehouse, step('run-1'));
      await db.warehouse.run('UPDATE raw.lines SET quantity = 0');
      const report = await runStep(db.warehouse, {
        ...step('run-2'),
        gates: [rule({ check: 'row_count', name: 'at_most_one', max: 1, severity: 'warn' })],
      });
      expect(report.status).toBe('failed');
      expect(
        report.build.quality?.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.blocking]),
      ).toEqual([
        ['range_quantity', true],
        ['at_most_one', false],
      ]);
      expect((await published()).map((row) => row.quantity)).toEqual([2, 1]);
      expect(await runsRecorded()).toEqual(['run-1']);
      expect(await stagingLeft()).toEqual([]);
      // And publishing the failed run directly finds nothing to publish.
      expect(await publishStep(db.warehouse, step('run-2'))).toMatchObject({
        status: 'blocked',
        blockedBy: 'nothing-staged',
        reason:
          'nothing is staged for step "lines" of run "run-2": build the step first (a failed gate leaves nothing to publish)',
      });
    });

    test('a failed warn gate still publishes', async () => {
      const report = await runStep(db.warehouse, {
        ...step('run-1'),
        gates: [rule({ check: 'row_count', name: 'at_most_one', max: 1, severity: 'warn' })],
      });
      expect(report.status).toBe('published');
      expect(report.build.quality?.summary).toMatchObject({ warned: 1, failed: 0 });
    });
  });
});
