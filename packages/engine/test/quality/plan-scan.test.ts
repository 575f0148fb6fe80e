// The fused scan's SQL: one SELECT, every check a column, identical expressions computed once,
// custom queries counted outside the scan.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { kindOf } from '../../src/index.js';
import { type MeasuredCheck, planScan } from '../../src/quality/plan-scan.js';
import { createSqlContext } from '../../src/quality/sql-context.js';
import { rule, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

let db: TempWarehouse;
beforeAll(async () => {
  db = await tempWarehouse();
});
afterAll(() => db.close());

test('every check of a relation is one column of one SELECT', () => {
  const context = createSqlContext('"sales"."orders"', 'sales.orders', [
    { name: 'status', type: 'VARCHAR', nullable: true },
    { name: 'amount', type: 'DECIMAL(12,2)', nullable: true },
  ]);
  const rules = {
    not_null_status: rule({ check: 'not_null', column: 'status' }),
    not_null_status_2: rule({ check: 'not_null', column: 'status' }),
    accepted_values_status: rule({ check: 'accepted_values', column: 'status', values: ['paid', "o'neil"] }),
    unique_id: rule({ check: 'unique', columns: ['order_id', 'line'] }),
    relationships_customer_id: rule({
      check: 'relationships',
      column: 'customer_id',
      to: 'sales.customers.id',
    }),
    range_amount: rule({ check: 'range', column: 'amount', min: 0 }),
    enough: rule({ check: 'row_count', min: 1 }),
    fresh: rule({ check: 'freshness', column: 'ordered_at', maxAge: '1d' }),
    custom: rule({ check: 'sql', query: 'select * from {{ this }} where amount = 0' }),
  };
  const checks: MeasuredCheck[] = Object.entries(rules).map(([id, r]) => ({
    id,
    measurement: kindOf(r).measure(r, context),
  }));
  const plan = planScan(context.relation, checks);
  expect(plan.sql).toMatchInlineSnapshot(`
    "SELECT scan.*,
        (SELECT count(*) FROM (
    select * from "sales"."orders" where amount = 0
    )) AS __m7
    FROM (
      SELECT
        count(*) AS __m0,
        count(*) FILTER (WHERE r."status" IS NULL) AS __m1,
        count(*) FILTER (WHERE (r."status" IS NOT NULL AND r."status" NOT IN ('paid', 'o''neil'))) AS __m2,
        count(*) FILTER (WHERE r."order_id" IS NOT NULL AND r."line" IS NOT NULL) - count(DISTINCT (r."order_id", r."line")) FILTER (WHERE r."order_id" IS NOT NULL AND r."line" IS NOT NULL) AS __m3,
        count(*) FILTER (WHERE (r."customer_id" IS NOT NULL AND r."customer_id" NOT IN (SELECT t."id" FROM "sales"."customers" AS t WHERE t."id" IS NOT NULL))) AS __m4,
        count(*) FILTER (WHERE (r."amount" < 0)) AS __m5,
        epoch(max(r."ordered_at")) AS __m6
      FROM "sales"."orders" AS r
    ) AS scan"
  `);
  expect([...plan.screened]).toEqual(['unique_id']);
  // Only when the screen finds duplicates are the failing rows counted, by the exact filter.
  const exact = planScan(
    context.relation,
    checks.filter((c) => c.id === 'unique_id'),
    { exact: true },
  );
  expect(exact.sql).toMatchInlineSnapshot(`
    "SELECT scan.* FROM (
      SELECT
        count(*) AS __m0,
        count(*) FILTER (WHERE (r."order_id" IS NOT NULL AND r."line" IS NOT NULL AND (r."order_id", r."line") IN (SELECT d."order_id", d."line" FROM "sales"."orders" AS d WHERE d."order_id" IS NOT NULL AND d."line" IS NOT NULL GROUP BY ALL HAVING count(*) > 1))) AS __m1
      FROM "sales"."orders" AS r
    ) AS scan"
  `);
  expect(Object.fromEntries(plan.slots)).toEqual({
    not_null_status: ['__m1'],
    not_null_status_2: ['__m1'],
    accepted_values_status: ['__m2'],
    unique_id: ['__m3'],
    relationships_customer_id: ['__m4'],
    range_amount: ['__m5'],
    enough: ['__m0'],
    fresh: ['__m6'],
    custom: ['__m7'],
  });
});
