// Freshness compares instants in UTC, whatever the machine's time zone: this file runs the
// process under TZ=Asia/Tokyo (set before any DuckDB instance exists, and checked below to reach
// DuckDB's ICU). A `timestamp` holds UTC wall time, a `timestamptz` an instant, and text cast to
// either is read as UTC, never as the local zone; a value in the future is reported as such
// instead of as "0s old".
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runQualityGate } from '../../src/index.js';
import { rule, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

process.env.TZ = 'Asia/Tokyo';

const NOW = new Date('2026-12-03T09:00:00Z');

let db: TempWarehouse;
beforeAll(async () => {
  db = await tempWarehouse();
  await db.warehouse.run(`
    CREATE SCHEMA IF NOT EXISTS app;
    CREATE OR REPLACE TABLE app.loads AS SELECT
      TIMESTAMP '2026-12-03 08:00:00' AS loaded_at,
      '2026-12-03 08:00:00'::TIMESTAMPTZ AS loaded_tz,
      TIMESTAMP '2026-12-03 18:00:00' AS future_at;
  `);
});
afterAll(() => db?.close());

async function freshness(column: string, maxAge: string) {
  const report = await runQualityGate(db.warehouse, {
    dataset: 'app.loads',
    checks: [
      { id: `freshness_${column}`, rule: rule({ check: 'freshness', column, maxAge }), origin: 'contract' },
    ],
    runId: 'run-1',
    now: NOW,
  });
  return report.checks[0];
}

describe('freshness under TZ=Asia/Tokyo', () => {
  test('the machine zone really is Asia/Tokyo, for Node and for a DuckDB left to its default', async () => {
    expect(new Date('2026-12-03T00:00:00Z').getTimezoneOffset()).toBe(-540);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll("SELECT current_setting('TimeZone') AS zone");
    expect(reader.getRowObjects()[0]?.zone).toBe('Asia/Tokyo');
    connection.closeSync();
    instance.closeSync();
  });

  test('the warehouse itself runs in UTC', async () => {
    const rows = await db.warehouse.all("SELECT current_setting('TimeZone') AS zone");
    expect(rows).toEqual([{ zone: 'UTC' }]);
  });

  test('a timestamp is UTC wall time: one hour old', async () => {
    expect(await freshness('loaded_at', '2h')).toMatchObject({
      status: 'pass',
      observed: 'newest 2026-12-03T08:00:00.000Z (1h old)',
    });
  });

  test('text cast to timestamptz is read as UTC, not as the machine zone: one hour old', async () => {
    expect(await freshness('loaded_tz', '2h')).toMatchObject({
      status: 'pass',
      observed: 'newest 2026-12-03T08:00:00.000Z (1h old)',
    });
  });

  test('a value nine hours in the future fails and says so, instead of "0s old"', async () => {
    expect(await freshness('future_at', '2h')).toMatchObject({
      status: 'fail',
      observed:
        'newest 2026-12-03T18:00:00.000Z is 9h in the future: a clock or time zone error upstream (timestamps are compared in UTC)',
    });
  });
});
