// A publication that loses a commit race on a lake is run again in place: two processes replacing
// the same dataset of a DuckLake on PostgreSQL, the second committing between the first one's
// statements and its commit. The first attempt conflicts (nothing of it lands), the retry sees the
// other publication and lands after it: both are in the history, once each, and the activity
// around it never sees the conflict.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildStep, publicationHistory, publishStep, type Warehouse } from '../../src/index.js';
import { type RunStepInput, runStep } from '../../src/steps/run-step.js';
import { fixtureContract, rowsOf } from '../helpers/temp-warehouse.js';
import { DUCKLAKE_POSTGRES, warehouseKinds } from '../support/warehouse-kinds.js';

warehouseKinds();
let dir: string;
let first: Warehouse;
let second: Warehouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-conflict-'));
  const lake = await DUCKLAKE_POSTGRES.create(dir);
  first = await lake.open();
  second = await lake.open();
  await first.run(`
    CREATE SCHEMA raw;
    CREATE TABLE raw.lines (order_id BIGINT, line_number INTEGER, quantity INTEGER);
    INSERT INTO raw.lines VALUES (1, 1, 2), (1, 2, 1);
  `);
});
afterAll(() => {
  first?.close();
  second?.close();
  rmSync(dir, { recursive: true, force: true });
});

const step = (runId: string): RunStepInput => ({
  runId,
  step: 'lines',
  dataset: 'sales.order_lines',
  sql: 'select order_id, line_number, quantity from "raw"."lines"',
  materialized: 'table',
  contract: fixtureContract('order-lines'),
});

test('a publication whose commit conflicts with another process publishing the same dataset is run again and lands', async () => {
  await runStep(first, step('run-0'));
  expect((await buildStep(first, step('run-a'))).status).toBe('ready');
  let attempts = 0;

  const report = await publishStep(first, {
    ...step('run-a'),
    beforeCommit: async () => {
      attempts++;
      // Another process publishes the same dataset and commits first, once.
      if (attempts === 1) expect((await runStep(second, step('run-b'))).status).toBe('published');
    },
  });

  expect(report.status).toBe('published');
  expect(attempts).toBe(2);
  const history = await publicationHistory(first, 'sales.order_lines');
  expect(history.map((version) => version.runId)).toEqual(['run-0', 'run-b', 'run-a']);
  expect(await rowsOf(first, 'SELECT count(*)::INT AS n FROM sales.order_lines')).toEqual([{ n: 2 }]);
});
