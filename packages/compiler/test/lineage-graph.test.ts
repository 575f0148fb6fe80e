// Lineage questions over the shop fixture: upstream and downstream of datasets and of single
// columns, through CTEs, joins, `*` and aggregates, and the impact of a change.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  compile,
  createDuckDbSqlParser,
  LineageGraph as Graph,
  type LineageAnswer,
  type LineageGraph,
} from '../src/index.js';

const sqlParser = createDuckDbSqlParser();
let graph: LineageGraph;
beforeAll(async () => {
  ({ graph } = await compile(join(import.meta.dirname, 'fixtures', 'shop'), { sqlParser }));
});
afterAll(() => sqlParser.close());

/** `distance kind name` per reached node. */
function reached(answer: LineageAnswer): string[] {
  if (!answer.found) throw new Error(answer.message);
  return answer.nodes.map((node) => `${node.distance} ${node.kind} ${node.name}`);
}

describe('upstream of a dataset', () => {
  test('walks through steps back to the sources, across pipelines', () => {
    expect(reached(graph.upstream('marts.country_revenue'))).toEqual([
      '1 dataset marts.customer_revenue',
      '1 step reporting/country_revenue',
      '2 dataset marts.fct_orders',
      '2 step shop_daily/customer_revenue',
      '3 dataset raw.customers',
      '3 dataset staging.orders',
      '3 step shop_daily/fct_orders',
      '4 dataset raw.orders',
      '4 step shop_daily/stg_orders',
      '4 source shop_daily/customers',
      '5 source shop_daily/orders',
    ]);
  });

  test('stops at the depth asked for', () => {
    expect(reached(graph.upstream('marts.fct_orders', { depth: 1 }))).toEqual([
      '1 dataset raw.customers',
      '1 dataset staging.orders',
      '1 step shop_daily/fct_orders',
    ]);
  });

  test('gives the path from the target to each node', () => {
    const answer = graph.upstream('marts.customer_revenue');
    const rawOrders = answer.found ? answer.nodes.find((node) => node.name === 'raw.orders') : undefined;
    expect(rawOrders?.path).toEqual([
      'marts.customer_revenue',
      'shop_daily/customer_revenue',
      'marts.fct_orders',
      'shop_daily/fct_orders',
      'staging.orders',
      'shop_daily/stg_orders',
      'raw.orders',
    ]);
  });
});

describe('downstream of a dataset', () => {
  test('reaches every dataset built from it', () => {
    expect(reached(graph.downstream('raw.customers'))).toEqual([
      '1 dataset marts.fct_orders',
      '1 step shop_daily/fct_orders',
      '2 dataset marts.customer_revenue',
      '2 step shop_daily/customer_revenue',
      '3 dataset marts.country_revenue',
      '3 step reporting/country_revenue',
    ]);
  });
});

describe('lineage of a single column', () => {
  test('follows a column through alias.* and an aggregate into another pipeline', () => {
    expect(reached(graph.downstream('raw.orders.amount'))).toEqual([
      '1 dataset staging.orders',
      '1 column staging.orders.amount',
      '1 step shop_daily/stg_orders',
      '2 dataset marts.fct_orders',
      '2 column marts.fct_orders.amount',
      '2 step shop_daily/fct_orders',
      '3 dataset marts.customer_revenue',
      '3 column marts.customer_revenue.total_amount',
      '3 step shop_daily/customer_revenue',
      '4 dataset marts.country_revenue',
      '4 column marts.country_revenue.revenue',
      '4 step reporting/country_revenue',
    ]);
  });

  test('follows a renamed column out of a CTE and through a join', () => {
    expect(reached(graph.upstream('marts.fct_orders.customer_name'))).toEqual([
      '1 dataset raw.customers',
      '1 column raw.customers.name',
      '1 step shop_daily/fct_orders',
      '2 source shop_daily/customers',
    ]);
  });

  test('names the steps that only join on a column', () => {
    // fct_orders joins on customers.customer_id but takes customer_id from the orders side.
    expect(reached(graph.downstream('raw.customers.customer_id'))).toEqual(['1 step shop_daily/fct_orders']);
  });

  test('reaches nothing from a column that `* EXCLUDE` drops', () => {
    expect(reached(graph.downstream('staging.orders.status'))).toEqual([]);
  });

  test('knows an aggregate has several inputs and a count has none', () => {
    expect(reached(graph.upstream('marts.country_revenue.customers'))).toEqual([
      '1 dataset marts.customer_revenue',
      '1 column marts.customer_revenue.customer_id',
      '1 step reporting/country_revenue',
      '2 dataset marts.fct_orders',
      '2 column marts.fct_orders.customer_id',
      '2 step shop_daily/customer_revenue',
      '3 dataset staging.orders',
      '3 column staging.orders.customer_id',
      '3 step shop_daily/fct_orders',
      '4 dataset raw.orders',
      '4 column raw.orders.customer_id',
      '4 step shop_daily/stg_orders',
      '5 source shop_daily/orders',
    ]);
    expect(reached(graph.upstream('marts.customer_revenue.order_count'))).toEqual([]);
  });

  test('marks derivations as copies or transformations', () => {
    const edges = graph.graph
      .edges()
      .map((key) => graph.graph.getEdgeAttributes(key))
      .filter((edge) => edge.kind === 'derives');
    expect(edges).toContainEqual({ kind: 'derives', step: 'shop_daily/fct_orders', direct: true });
    expect(edges).toContainEqual({ kind: 'derives', step: 'shop_daily/stg_orders', direct: false });
  });
});

describe('an unknown target', () => {
  test.each([
    [
      'marts.fct_order',
      'no dataset or column "marts.fct_order" in the project',
      'did you mean "marts.fct_orders"?',
    ],
    [
      'marts.fct_orders.amout',
      'dataset "marts.fct_orders" has no column "amout"',
      'did you mean "marts.fct_orders.amount"?',
    ],
    [
      'mart.fct_orders.amount',
      'no dataset "mart.fct_orders" in the project',
      'did you mean "marts.fct_orders.amount"?',
    ],
  ])('%s is answered with a suggestion, not an exception', (target, message, hint) => {
    expect(graph.downstream(target)).toEqual({ found: false, target, message, hint });
  });
});

describe('the impact of a change', () => {
  test('to a column names the datasets, steps, pipelines and owners it reaches', () => {
    expect(graph.impact('staging.orders.amount')).toMatchInlineSnapshot(`
      {
        "columns": [
          {
            "distance": 1,
            "name": "marts.fct_orders.amount",
          },
          {
            "distance": 2,
            "name": "marts.customer_revenue.total_amount",
          },
          {
            "distance": 3,
            "name": "marts.country_revenue.revenue",
          },
        ],
        "datasets": [
          {
            "distance": 1,
            "name": "marts.fct_orders",
            "owner": "analytics@example.com",
            "version": "2.1.0",
          },
          {
            "distance": 2,
            "name": "marts.customer_revenue",
            "owner": "finance@example.com",
            "version": "1.0.0",
          },
          {
            "distance": 3,
            "name": "marts.country_revenue",
            "owner": "finance@example.com",
            "version": "1.0.0",
          },
        ],
        "found": true,
        "owners": [
          "analytics@example.com",
          "finance@example.com",
        ],
        "pipelines": [
          {
            "name": "reporting",
            "owner": "finance@example.com",
          },
          {
            "name": "shop_daily",
            "owner": "analytics@example.com",
          },
        ],
        "steps": [
          {
            "distance": 1,
            "name": "shop_daily/fct_orders",
            "pipeline": "shop_daily",
          },
          {
            "distance": 2,
            "name": "shop_daily/customer_revenue",
            "pipeline": "shop_daily",
          },
          {
            "distance": 3,
            "name": "reporting/country_revenue",
            "pipeline": "reporting",
          },
        ],
        "target": "staging.orders.amount",
        "targetKind": "column",
      }
    `);
  });

  test('to a join key includes what the joining step produces', () => {
    const impact = graph.impact('raw.customers.customer_id');
    if (!impact.found) throw new Error(impact.message);
    expect(impact.columns).toEqual([]);
    expect(impact.datasets.map((d) => [d.name, d.distance])).toEqual([['marts.fct_orders', 1]]);
  });

  test('to a dataset reaches every consumer and their columns', () => {
    const impact = graph.impact('marts.customer_revenue');
    if (!impact.found) throw new Error(impact.message);
    expect(impact.datasets.map((d) => d.name)).toEqual(['marts.country_revenue']);
    expect(impact.columns.map((c) => c.name)).toEqual([
      'marts.country_revenue.country',
      'marts.country_revenue.customers',
      'marts.country_revenue.revenue',
    ]);
    expect(impact.pipelines).toEqual([{ name: 'reporting', owner: 'finance@example.com' }]);
    expect(impact.owners).toEqual(['finance@example.com']);
  });
});

describe('the graph as data', () => {
  test('holds typed nodes with their attributes', () => {
    expect(graph.node('column', 'raw.customers.email')).toEqual({
      kind: 'column',
      name: 'raw.customers.email',
      dataset: 'raw.customers',
      column: 'email',
      type: 'varchar',
      nullable: true,
      primaryKey: false,
      pii: 'email',
    });
    expect(graph.node('dataset', 'marts.fct_orders')).toMatchObject({
      owner: 'analytics@example.com',
      version: '2.1.0',
      producer: 'shop_daily/fct_orders',
    });
  });

  test('serialises to JSON and back without losing an answer', () => {
    const copy = Graph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
    expect(copy.downstream('raw.orders.amount')).toEqual(graph.downstream('raw.orders.amount'));
    expect(copy.graph.order).toBe(graph.graph.order);
    expect(copy.graph.size).toBe(graph.graph.size);
  });
});
