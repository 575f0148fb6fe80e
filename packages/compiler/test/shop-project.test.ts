// The shop fixture is a small valid project: csv sources, a staging step, a fact table joining a
// CTE with `alias.* EXCLUDE`, an aggregate, and a second pipeline reading across pipelines.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CompileResult, compile, createDuckDbSqlParser, type StepPlan } from '../src/index.js';

const sqlParser = createDuckDbSqlParser();
let result: CompileResult;
beforeAll(async () => {
  result = await compile(join(import.meta.dirname, 'fixtures', 'shop'), { sqlParser });
});
afterAll(() => sqlParser.close());

const step = (pipeline: string, name: string): StepPlan | undefined =>
  result.plan.pipelines.find((p) => p.name === pipeline)?.steps.find((s) => s.name === name);

describe('a valid project', () => {
  test('compiles without issues', () => {
    expect(result.issues).toEqual([]);
  });

  test('takes its name from its directory when it has no pipectl.yaml', () => {
    expect(result.project.name).toBe('shop');
    expect(result.plan.project).toMatchObject({
      name: 'shop',
      contracts: 'contracts',
      pipelines: 'pipelines',
    });
  });

  test('lists its datasets sorted, each with its producer', () => {
    expect(result.plan.datasets.map((dataset) => [dataset.name, dataset.producedBy])).toEqual([
      ['marts.country_revenue', { pipeline: 'reporting', step: 'country_revenue' }],
      ['marts.customer_revenue', { pipeline: 'shop_daily', step: 'customer_revenue' }],
      ['marts.fct_orders', { pipeline: 'shop_daily', step: 'fct_orders' }],
      ['raw.customers', { pipeline: 'shop_daily', source: 'customers' }],
      ['raw.orders', { pipeline: 'shop_daily', source: 'orders' }],
      ['staging.orders', { pipeline: 'shop_daily', step: 'stg_orders' }],
    ]);
  });
});

describe('the plan', () => {
  test('orders steps after the steps they read, whatever the declaration order', () => {
    const steps = result.plan.pipelines.find((p) => p.name === 'shop_daily')?.steps;
    expect(steps?.map((s) => [s.name, s.dependsOn])).toEqual([
      ['stg_orders', []],
      ['fct_orders', ['stg_orders']],
      ['customer_revenue', ['fct_orders']],
    ]);
  });

  test('replaces ref() and source() with quoted relations in the SQL', () => {
    expect(step('shop_daily', 'fct_orders')?.sql).toMatchInlineSnapshot(`
      "-- One row per order, with the customer's name and country.
      with customers as (
        select customer_id, name as customer_name, country
        from "raw"."customers"
      )
      select o.* exclude (status), c.customer_name, c.country
      from "staging"."orders" as o
      join customers as c using (customer_id)
      "
    `);
  });

  test('names the relations each step reads and who produces them', () => {
    expect(step('shop_daily', 'fct_orders')?.reads).toMatchInlineSnapshot(`
      [
        {
          "as": [
            "source('customers')",
          ],
          "dataset": "raw.customers",
          "producedBy": {
            "pipeline": "shop_daily",
            "source": "customers",
          },
          "relation": ""raw"."customers"",
        },
        {
          "as": [
            "ref('stg_orders')",
          ],
          "dataset": "staging.orders",
          "producedBy": {
            "pipeline": "shop_daily",
            "step": "stg_orders",
          },
          "relation": ""staging"."orders"",
        },
      ]
    `);
  });

  test('knows which pipelines a pipeline depends on through datasets', () => {
    expect(result.plan.pipelines.map((p) => [p.name, p.dependsOnPipelines])).toEqual([
      ['reporting', ['shop_daily']],
      ['shop_daily', []],
    ]);
  });

  test('resolves merge keys, retries and schedules', () => {
    const fct = step('shop_daily', 'fct_orders');
    expect(fct?.uniqueKey).toEqual(['order_id']);
    expect(fct?.retry).toEqual({
      maximumAttempts: 3,
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
    });
    expect(result.plan.pipelines.find((p) => p.name === 'shop_daily')?.schedule).toEqual({
      cron: '0 6 * * *',
      timezone: 'UTC',
      catchup: false,
    });
  });

  test('records where each output column comes from', () => {
    expect(step('shop_daily', 'customer_revenue')?.lineage).toMatchInlineSnapshot(`
      [
        {
          "column": "customer_id",
          "direct": true,
          "from": [
            "marts.fct_orders.customer_id",
          ],
        },
        {
          "column": "country",
          "direct": true,
          "from": [
            "marts.fct_orders.country",
          ],
        },
        {
          "column": "total_amount",
          "direct": false,
          "from": [
            "marts.fct_orders.amount",
          ],
        },
        {
          "column": "order_count",
          "direct": false,
          "from": [],
        },
        {
          "column": "first_order_date",
          "direct": false,
          "from": [
            "marts.fct_orders.order_date",
          ],
        },
      ]
    `);
  });

  test('is plain JSON that survives a round trip unchanged', () => {
    const text = JSON.stringify(result.plan);
    expect(JSON.parse(text)).toEqual(result.plan);
  });
});
