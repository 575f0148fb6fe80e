// onFail: quarantine moves failing rows to _pipectl.quarantine and out of the staged output; the
// other checks then judge what remains, and a retried run replaces its own quarantine rows.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type CheckSpec, runQualityGate } from '../../src/index.js';
import { rowsOf, rule, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';
import { warehouseKinds } from '../support/warehouse-kinds.js';

describe.each(warehouseKinds())('on a $name', (kind) => {
  let db: TempWarehouse;
  beforeEach(async () => {
    db = await tempWarehouse(kind);
    await db.warehouse.run(`
      CREATE SCHEMA s;
      CREATE TABLE s.customers AS SELECT * FROM (VALUES
        (1, 'DE', 'a@x'), (2, 'XX', 'b@x'), (3, 'FR', NULL), (4, 'YY', NULL), (5, 'AT', 'e@x')
      ) v(id, country, email);
    `);
  });
  afterEach(() => db.close());

  const checks: CheckSpec[] = [
    {
      id: 'shipping_country',
      origin: 'gate',
      rule: rule({
        check: 'accepted_values',
        column: 'country',
        values: ['DE', 'AT', 'FR'],
        onFail: 'quarantine',
        description: 'The shop does not ship there',
      }),
    },
    {
      id: 'email_present',
      origin: 'gate',
      rule: rule({ check: 'not_null', column: 'email', maxFailing: 1 }),
    },
    { id: 'enough', origin: 'gate', rule: rule({ check: 'row_count', min: 3 }) },
  ];

  const gate = (runId = 'run-1') => runQualityGate(db.warehouse, { dataset: 's.customers', checks, runId });

  describe('quarantine', () => {
    test('failing rows leave the output for the quarantine table, with the check that rejected them', async () => {
      const report = await gate();
      expect(report.passed).toBe(true);
      expect(report.rowsQuarantined).toBe(2);
      expect(report.rowsChecked).toBe(3);
      expect(report.checks[0]).toMatchObject({
        status: 'quarantined',
        blocking: false,
        failingRows: 2,
        quarantinedRows: 2,
      });
      expect(report.checks[0]?.samples.map((row) => row.id)).toEqual([2, 4]);
      expect(await rowsOf(db.warehouse, 'SELECT id FROM s.customers ORDER BY id')).toEqual([
        { id: 1 },
        { id: 3 },
        { id: 5 },
      ]);
      expect(
        await rowsOf(
          db.warehouse,
          `SELECT run_id, dataset, origin, reason, record::VARCHAR AS record FROM _pipectl.quarantine ORDER BY record`,
        ),
      ).toEqual([
        {
          run_id: 'run-1',
          dataset: 's.customers',
          origin: 'check:shipping_country',
          reason: 'The shop does not ship there',
          record: '{"id":2,"country":"XX","email":"b@x"}',
        },
        {
          run_id: 'run-1',
          dataset: 's.customers',
          origin: 'check:shipping_country',
          reason: 'The shop does not ship there',
          record: '{"id":4,"country":"YY","email":null}',
        },
      ]);
    });

    test('the other checks judge the rows that remain', async () => {
      const report = await gate();
      // Before quarantine 2 emails were null (over the 1 allowed); row 4 left with its country.
      expect(report.checks[1]).toMatchObject({
        status: 'pass',
        failingRows: 1,
        observed: '1 failing of 3 rows (33.33%)',
      });
      expect(report.checks[2]).toMatchObject({ status: 'pass', observed: '3 rows' });
    });

    test('a retried run replaces its quarantine rows instead of adding to them', async () => {
      await gate('run-1');
      // The retry stages the output again, so the rejected rows are back.
      await db.warehouse.run(`INSERT INTO s.customers VALUES (2, 'XX', 'b@x'), (4, 'YY', NULL)`);
      await gate('run-1');
      expect(await rowsOf(db.warehouse, 'SELECT count(*) AS n FROM _pipectl.quarantine')).toEqual([{ n: 2 }]);
    });

    test('rows of a view cannot be quarantined: the check fails instead', async () => {
      await db.warehouse.run('CREATE VIEW s.customers_view AS SELECT * FROM s.customers');
      const report = await runQualityGate(db.warehouse, {
        dataset: 's.customers_view',
        checks: [checks[0] as CheckSpec],
        runId: 'run-1',
      });
      expect(report.checks[0]).toMatchObject({
        status: 'fail',
        blocking: true,
        message: 'cannot quarantine rows of a view: materialize the step as a table to quarantine',
      });
    });

    test('a custom SQL check quarantines the rows of the relation its query returns', async () => {
      const report = await runQualityGate(db.warehouse, {
        dataset: 's.customers',
        runId: 'run-1',
        checks: [
          {
            id: 'odd_ids',
            origin: 'gate',
            rule: rule({
              check: 'sql',
              query: 'select * from {{ this }} where id % 2 = 1',
              onFail: 'quarantine',
            }),
          },
        ],
      });
      expect(report.checks[0]).toMatchObject({ status: 'quarantined', quarantinedRows: 3 });
      expect(await rowsOf(db.warehouse, 'SELECT id FROM s.customers ORDER BY id')).toEqual([
        { id: 2 },
        { id: 4 },
      ]);
    });
  });
});
