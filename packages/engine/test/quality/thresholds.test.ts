// maxFailing in rows or percent of the relation under test, and severity: error blocks, warn reports.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CheckSpec, runQualityGate } from '../../src/index.js';
import { allowedFailing, thresholdOf } from '../../src/quality/threshold.js';
import { rule, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

let db: TempWarehouse;
beforeAll(async () => {
  db = await tempWarehouse();
  // 2,000 rows; `flag` is null on the first `n` rows of each test's column.
  await db.warehouse.run(`
    CREATE SCHEMA s;
    CREATE TABLE s.t AS SELECT range AS id,
      CASE WHEN range < 20 THEN NULL ELSE 1 END AS twenty_nulls,
      CASE WHEN range < 21 THEN NULL ELSE 1 END AS twenty_one_nulls
    FROM range(2000);
  `);
});
afterAll(() => db.close());

async function verdict(column: string, maxFailing: number | string, severity: 'error' | 'warn' = 'error') {
  const check: CheckSpec = {
    id: 'c',
    origin: 'gate',
    rule: rule({ check: 'not_null', column, maxFailing, severity }),
  };
  const report = await runQualityGate(db.warehouse, { dataset: 's.t', checks: [check], runId: 'r' });
  return { report, check: report.checks[0] };
}

describe('thresholds', () => {
  test.each([
    { column: 'twenty_nulls', maxFailing: 0, status: 'fail', expected: 'no failing rows' },
    { column: 'twenty_nulls', maxFailing: 20, status: 'pass', expected: 'at most 20 failing rows' },
    { column: 'twenty_one_nulls', maxFailing: 20, status: 'fail', expected: 'at most 20 failing rows' },
    {
      column: 'twenty_nulls',
      maxFailing: '1%',
      status: 'pass',
      expected: 'at most 1% failing rows (20 of 2,000)',
    },
    {
      column: 'twenty_one_nulls',
      maxFailing: '1%',
      status: 'fail',
      expected: 'at most 1% failing rows (20 of 2,000)',
    },
    {
      column: 'twenty_one_nulls',
      maxFailing: '1.05%',
      status: 'pass',
      expected: 'at most 1.05% failing rows (21 of 2,000)',
    },
  ])('$column with maxFailing $maxFailing: $status', async ({ column, maxFailing, status, expected }) => {
    const { check } = await verdict(column, maxFailing);
    expect(check).toMatchObject({ status, expected });
  });

  test('the observed count says how many rows failed, and what share', async () => {
    const { check } = await verdict('twenty_one_nulls', '1%');
    expect(check).toMatchObject({
      observed: '21 failing of 2,000 rows (1.05%)',
      failingRows: 21,
      allowedFailing: 20,
    });
  });

  test.each([
    [{ unit: 'rows', value: 10 }, 5, 10],
    [{ unit: 'percent', value: 1 }, 2000, 20],
    [{ unit: 'percent', value: 0.1 }, 3000, 3],
    [{ unit: 'percent', value: 0.25 }, 399, 0],
    [{ unit: 'percent', value: 100 }, 7, 7],
  ] as const)('allowedFailing(%o, %i rows) is %i', (threshold, rows, allowed) => {
    expect(allowedFailing(threshold, rows)).toBe(allowed);
  });

  test('maxFailing strings are percentages, numbers are rows', () => {
    expect(thresholdOf('0.5%')).toEqual({ unit: 'percent', value: 0.5 });
    expect(thresholdOf(3)).toEqual({ unit: 'rows', value: 3 });
  });
});

describe('severity', () => {
  test('a failed error check blocks the gate', async () => {
    const { report, check } = await verdict('twenty_nulls', 0, 'error');
    expect(check).toMatchObject({ status: 'fail', blocking: true });
    expect(report.passed).toBe(false);
    expect(report.summary).toMatchObject({ failed: 1, warned: 0 });
  });

  test('a failed warn check is reported with samples and lets the gate pass', async () => {
    const { report, check } = await verdict('twenty_nulls', 0, 'warn');
    expect(check).toMatchObject({ status: 'fail', severity: 'warn', blocking: false });
    expect(check?.samples).toHaveLength(5);
    expect(report.passed).toBe(true);
    expect(report.summary).toMatchObject({ failed: 0, warned: 1 });
  });
});
