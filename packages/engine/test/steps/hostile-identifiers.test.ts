// Names from YAML reach SQL only quoted: a column named `a"; drop table x; --`, a schema and table
// with quotes and semicolons, values and regexes with quotes, and a run id with quotes all stay
// names and values, whatever step runs them.
import type { Column, Contract } from '@pipectl/spec';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { publicationHistory } from '../../src/index.js';
import { runStep } from '../../src/steps/run-step.js';
import {
  fixtureContract,
  rowsOf,
  uncheckedRule as rule,
  type TempWarehouse,
  tempWarehouse,
} from '../helpers/temp-warehouse.js';

const HOSTILE = 'a"; drop table x; --';
const QUOTED = `it's`;
const SCHEMA = `we"ird; drop table x; --`;
const TABLE = `t'"; drop table x; --`;
const DATASET = `${SCHEMA}.${TABLE}`;

let db: TempWarehouse;
beforeAll(async () => {
  db = await tempWarehouse();
  await db.warehouse.run(`CREATE TABLE x AS SELECT 42 AS sentinel`);
});
afterAll(() => db.close());

const column = (name: string, type: string, extra: Partial<Column> = {}): Column => ({
  name,
  type,
  nullable: true,
  primaryKey: false,
  unique: false,
  ...extra,
});

test('hostile names and values never become SQL', async () => {
  const contract: Contract = {
    ...fixtureContract('order-lines'),
    name: DATASET,
    columns: [
      column(HOSTILE, 'integer', { primaryKey: true, min: 0, max: 10 }),
      column(QUOTED, 'varchar', {
        acceptedValues: [`o'neil`, `"x"; drop table x; --`],
        pattern: `^o'[a-z]+$`,
      }),
    ],
    quality: [
      rule({
        check: 'sql',
        name: 'custom',
        query: `select * from {{ this }} where "${HOSTILE.replaceAll('"', '""')}" < 0`,
      }),
    ],
  };
  const sql = `select * from (values (1, 'o''neil'), (2, 'x'';drop table x;--')) as v("${HOSTILE.replaceAll('"', '""')}", "it's")`;
  const report = await runStep(db.warehouse, {
    runId: `run'1"; drop table x; --`,
    step: `step"; drop table x; --`,
    dataset: DATASET,
    sql,
    materialized: 'incremental',
    contract,
    gates: [
      rule({ check: 'missing_count', column: QUOTED, missingValues: [`'`, '"'] }),
      rule({ check: 'unique', columns: [HOSTILE, QUOTED] }),
      rule({ check: 'relationships', column: HOSTILE, to: `${DATASET}.${HOSTILE}` }),
      rule({ check: 'row_count', min: 1 }),
      rule({
        check: 'accepted_values',
        name: 'quarantine_bad',
        column: QUOTED,
        values: [`o'neil`],
        onFail: 'quarantine',
      }),
    ],
  });
  expect(
    report.build.quality?.checks.map((c) => `${c.id}: ${c.status}${c.message ? ` ${c.message}` : ''}`),
  ).toEqual([
    'not_null_a"; drop table x; --: pass',
    'range_a"; drop table x; --: pass',
    'unique_a"; drop table x; --: pass',
    "accepted_values_it's: pass",
    "pattern_it's: pass",
    'custom: pass',
    "missing_count_it's: pass",
    'unique_a"; drop table x; --_it\'s: pass',
    'relationships_a"; drop table x; --: pass',
    'row_count: pass',
    'quarantine_bad: quarantined',
  ]);
  expect(report.status).toBe('published');
  expect(await rowsOf(db.warehouse, 'SELECT sentinel FROM x')).toEqual([{ sentinel: 42 }]);
  const rows = await rowsOf(
    db.warehouse,
    `SELECT * FROM "${SCHEMA.replaceAll('"', '""')}"."${TABLE.replaceAll('"', '""')}"`,
  );
  expect(rows).toEqual([{ [HOSTILE]: 1, [QUOTED]: `o'neil` }]);
  expect((await publicationHistory(db.warehouse, DATASET)).map((v) => v.runId)).toEqual([
    `run'1"; drop table x; --`,
  ]);
  expect(
    await rowsOf(db.warehouse, 'SELECT origin, record::VARCHAR AS record FROM _pipectl.quarantine'),
  ).toEqual([
    {
      origin: 'check:quarantine_bad',
      record: JSON.stringify({ [HOSTILE]: 2, [QUOTED]: `x';drop table x;--` }),
    },
  ]);
});
