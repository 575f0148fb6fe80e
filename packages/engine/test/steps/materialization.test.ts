// Steps materialized as a table, a view, or incrementally (merged on the key, twice, without
// duplicates, keeping rows the SELECT no longer returns).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { relationKind } from '../../src/schema/relation-name.js';
import { type RunStepInput, runStep } from '../../src/steps/run-step.js';
import { fixtureContract, rowsOf, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

let db: TempWarehouse;
beforeEach(async () => {
  db = await tempWarehouse();
  await db.warehouse.run(`
    CREATE SCHEMA raw;
    CREATE TABLE raw.lines (order_id BIGINT, line_number INTEGER, quantity INTEGER);
    INSERT INTO raw.lines VALUES (1, 1, 2), (1, 2, 1), (2, 1, 5);
  `);
});
afterEach(() => db.close());

const step = (runId: string, materialized: RunStepInput['materialized']): RunStepInput => ({
  runId,
  step: 'lines',
  dataset: 'sales.order_lines',
  sql: 'select order_id, line_number, quantity from "raw"."lines"',
  materialized,
  contract: fixtureContract('order-lines'),
});

const published = () =>
  rowsOf(db.warehouse, 'SELECT * FROM sales.order_lines ORDER BY order_id, line_number');
const stagingLeft = () =>
  rowsOf(
    db.warehouse,
    "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '_pipectl_stage_%'",
  );

describe('materialization', () => {
  test('table: the output is published as a table and the staging relation is gone', async () => {
    const report = await runStep(db.warehouse, step('run-1', 'table'));
    expect(report.status).toBe('published');
    expect(report.publish).toMatchObject({ rowsWritten: 3, rowsTotal: 3, relation: '"sales"."order_lines"' });
    expect(await relationKind(db.warehouse, { schema: 'sales', table: 'order_lines' })).toBe('table');
    expect(await published()).toHaveLength(3);
    expect(await stagingLeft()).toEqual([]);
  });

  test('table: a rebuild replaces the rows', async () => {
    await runStep(db.warehouse, step('run-1', 'table'));
    await db.warehouse.run('DELETE FROM raw.lines WHERE order_id = 2');
    await runStep(db.warehouse, step('run-2', 'table'));
    expect(await published()).toEqual([
      { order_id: 1, line_number: 1, quantity: 2 },
      { order_id: 1, line_number: 2, quantity: 1 },
    ]);
  });

  test('view: the output is published as a view that reads its inputs live', async () => {
    const report = await runStep(db.warehouse, step('run-1', 'view'));
    expect(report.status).toBe('published');
    expect(await relationKind(db.warehouse, { schema: 'sales', table: 'order_lines' })).toBe('view');
    await db.warehouse.run('INSERT INTO raw.lines VALUES (3, 1, 1)');
    expect(await published()).toHaveLength(4);
    expect(await stagingLeft()).toEqual([]);
  });

  test('incremental: a batch merges on the primary key; rows it does not return are kept', async () => {
    const first = await runStep(db.warehouse, step('run-1', 'incremental'));
    expect(first.publish).toMatchObject({ status: 'published', rowsWritten: 3, rowsTotal: 3 });
    // The next batch changes one line, adds one, and no longer returns the others.
    await db.warehouse.run('DELETE FROM raw.lines; INSERT INTO raw.lines VALUES (1, 2, 7), (3, 1, 1)');
    const second = await runStep(db.warehouse, step('run-2', 'incremental'));
    expect(second.publish).toMatchObject({ rowsWritten: 2, rowsInserted: 1, rowsReplaced: 1, rowsTotal: 4 });
    expect(await published()).toEqual([
      { order_id: 1, line_number: 1, quantity: 2 },
      { order_id: 1, line_number: 2, quantity: 7 },
      { order_id: 2, line_number: 1, quantity: 5 },
      { order_id: 3, line_number: 1, quantity: 1 },
    ]);
  });

  test('incremental: the same batch merged twice leaves no duplicates', async () => {
    await runStep(db.warehouse, step('run-1', 'incremental'));
    const again = await runStep(db.warehouse, step('run-2', 'incremental'));
    expect(again.publish).toMatchObject({ rowsInserted: 0, rowsReplaced: 3, rowsTotal: 3 });
    expect(await published()).toHaveLength(3);
  });

  test('incremental: a uniqueKey other than the primary key is the merge key', async () => {
    await runStep(db.warehouse, { ...step('run-1', 'incremental'), uniqueKey: ['order_id'] });
    expect(
      (await runStep(db.warehouse, { ...step('run-2', 'incremental'), uniqueKey: ['order_id'] })).publish
        ?.reason,
    ).toBe('the batch has 1 merge key (order_id) on more than one row');
  });

  test('incremental: a batch with duplicate keys fails its key check and publishes nothing', async () => {
    await db.warehouse.run('INSERT INTO raw.lines VALUES (1, 1, 9)');
    const report = await runStep(db.warehouse, step('run-1', 'incremental'));
    expect(report.status).toBe('failed');
    expect(report.build.failure).toEqual({
      stage: 'quality',
      message: 'quality gate failed: unique_order_id_line_number',
    });
    expect(await relationKind(db.warehouse, { schema: 'sales', table: 'order_lines' })).toBeUndefined();
    expect(await stagingLeft()).toEqual([]);
  });
});
