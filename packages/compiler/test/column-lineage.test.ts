// Column lineage from DuckDB's own parse of the SQL: each output column traced to the input columns
// it comes from, through every SQL shape a step is likely to use.
import { afterAll, describe, expect, test } from 'vitest';
import {
  analyzeSelect,
  createDuckDbSqlParser,
  type LineageInput,
  relationOf,
  renderTemplate,
  type SelectLineage,
  scanTemplate,
} from '../src/index.js';

const DATASETS: Record<string, readonly string[]> = {
  'sales.orders': ['order_id', 'customer_id', 'amount', 'status', 'ordered_at'],
  'sales.customers': ['customer_id', 'name', 'country'],
  'sales.refunds': ['order_id', 'amount'],
};

const sqlParser = createDuckDbSqlParser();
afterAll(() => sqlParser.close());

/** Traces a SQL whose `{{ ref('schema.table') }}` calls read the datasets above. */
async function trace(sql: string): Promise<SelectLineage> {
  const { calls } = scanTemplate(sql);
  const rendered = renderTemplate(
    sql,
    calls,
    calls.map((call) => relationOf(call.name)),
  );
  const inputsAt = new Map<number, LineageInput>(
    calls.map((call, index) => {
      const columns = DATASETS[call.name];
      return [rendered.callOffsets[index] as number, columns ? { dataset: call.name, columns } : {}];
    }),
  );
  const [parsed] = await sqlParser.parse([rendered.text]);
  if (!parsed?.ok) throw new Error(`does not parse: ${sql}`);
  return analyzeSelect(parsed.statements[0] as (typeof parsed.statements)[number], {
    sql: rendered.text,
    inputsAt,
    subject: 'step "t"',
    datasetNamed: (name) => (name in DATASETS ? name : undefined),
  });
}

/** `column <- input, input` lines, with `=` for a direct copy. */
function lines(lineage: SelectLineage): string[] {
  return lineage.columns.map((column) =>
    `${column.name ?? '?'} ${column.direct ? '=' : '<-'} ${column.inputs.join(', ')}`.trim(),
  );
}

const orders = "{{ ref('sales.orders') }}";
const customers = "{{ ref('sales.customers') }}";
const refunds = "{{ ref('sales.refunds') }}";

describe('each output column is traced to its input columns', () => {
  test.each([
    {
      shape: 'plain columns and aliases',
      sql: `select order_id, amount as total from ${orders}`,
      expected: ['order_id = sales.orders.order_id', 'total = sales.orders.amount'],
    },
    {
      shape: 'functions, casts, operators and CASE',
      sql: `select upper(status) as s, amount::double * 2 as a2, case when status = 'X' then amount else 0 end as c, 1 as one from ${orders}`,
      expected: [
        's <- sales.orders.status',
        'a2 <- sales.orders.amount',
        'c <- sales.orders.amount, sales.orders.status',
        'one <-',
      ],
    },
    {
      shape: 'aggregates and GROUP BY',
      sql: `select customer_id, sum(amount) as total, count(*) as n, count(distinct status) as statuses from ${orders} group by 1`,
      expected: [
        'customer_id = sales.orders.customer_id',
        'total <- sales.orders.amount',
        'n <-',
        'statuses <- sales.orders.status',
      ],
    },
    {
      shape: 'window functions, with their partition and order',
      sql: `select order_id, row_number() over (partition by customer_id order by ordered_at) as rn from ${orders}`,
      expected: [
        'order_id = sales.orders.order_id',
        'rn <- sales.orders.customer_id, sales.orders.ordered_at',
      ],
    },
    {
      shape: 'joins with aliases',
      sql: `select o.order_id, c.name, o.amount - coalesce(r.amount, 0) as net from ${orders} o join ${customers} c on o.customer_id = c.customer_id left join ${refunds} as r on r.order_id = o.order_id`,
      expected: [
        'order_id = sales.orders.order_id',
        'name = sales.customers.name',
        'net <- sales.orders.amount, sales.refunds.amount',
      ],
    },
    {
      shape: 'USING joins, whose key belongs to both sides',
      sql: `select customer_id, name from ${orders} join ${customers} using (customer_id)`,
      expected: [
        'customer_id = sales.customers.customer_id, sales.orders.customer_id',
        'name = sales.customers.name',
      ],
    },
    {
      shape: 'CTEs, chained',
      sql: `with a as (select order_id, amount * 100 as cents from ${orders}), b as (select order_id as id, cents from a) select id, cents from b`,
      expected: ['id = sales.orders.order_id', 'cents <- sales.orders.amount'],
    },
    {
      shape: 'subqueries in FROM and scalar subqueries',
      sql: `select s.order_id, (select max(c.name) from ${customers} c where c.customer_id = s.customer_id) as who from (select * from ${orders}) s`,
      expected: ['order_id = sales.orders.order_id', 'who <- sales.customers.name'],
    },
    {
      shape: 'UNION ALL of two inputs',
      sql: `select order_id, amount from ${orders} union all select order_id, -amount from ${refunds}`,
      expected: [
        'order_id = sales.orders.order_id, sales.refunds.order_id',
        'amount <- sales.orders.amount, sales.refunds.amount',
      ],
    },
    {
      shape: '* over a join',
      sql: `select * from ${customers} c join ${refunds} r on true`,
      expected: [
        'customer_id = sales.customers.customer_id',
        'name = sales.customers.name',
        'country = sales.customers.country',
        'order_id = sales.refunds.order_id',
        'amount = sales.refunds.amount',
      ],
    },
    {
      shape: 'alias.* with EXCLUDE, and * with REPLACE',
      sql: `with o as (select * replace (amount * 2 as amount) from ${orders}) select o.* exclude (status, ordered_at) from o`,
      expected: [
        'order_id = sales.orders.order_id',
        'customer_id = sales.orders.customer_id',
        'amount <- sales.orders.amount',
      ],
    },
    {
      shape: 'struct fields and lambdas',
      sql: `select {'id': order_id} as s, s.id as sid, list_transform([amount], x -> x + 1) as l from (select {'id': order_id} as s, order_id, amount from ${orders})`,
      expected: ['s <- sales.orders.order_id', 'sid <- sales.orders.order_id', 'l <- sales.orders.amount'],
    },
    {
      shape: 'a recursive CTE',
      sql: `with recursive r(id, depth) as (select order_id, 0 from ${orders} union all select id, depth + 1 from r where depth < 3) select id, depth from r`,
      expected: ['id = sales.orders.order_id', 'depth <-'],
    },
    {
      shape: 'SQL value keywords such as current_timestamp',
      sql: `select order_id, current_timestamp as loaded_at, current_date - 1 as yesterday from ${orders}`,
      expected: ['order_id = sales.orders.order_id', 'loaded_at <-', 'yesterday <-'],
    },
    {
      shape: 'select-list aliases used later in the list',
      sql: `select amount * 2 as doubled, doubled + 1 as plus_one from ${orders}`,
      expected: ['doubled <- sales.orders.amount', 'plus_one <- sales.orders.amount'],
    },
  ])('$shape', async ({ sql, expected }) => {
    const lineage = await trace(sql);
    expect(lineage.problems).toEqual([]);
    expect(lines(lineage)).toEqual(expected);
    expect(lineage.complete).toBe(true);
  });
});

describe('the columns a step uses', () => {
  test('include those only filtered or joined on', async () => {
    const lineage = await trace(
      `select c.name from ${customers} c join ${orders} o on o.customer_id = c.customer_id where o.status = 'PAID'`,
    );
    expect(lineage.uses).toEqual([
      'sales.customers.customer_id',
      'sales.customers.name',
      'sales.orders.customer_id',
      'sales.orders.status',
    ]);
  });
});

describe('what cannot be traced is said, not guessed', () => {
  test('an unknown column suggests the closest one in scope', async () => {
    const lineage = await trace(`select amout from ${orders}`);
    expect(lineage.problems).toMatchObject([
      {
        code: 'PIPE3003',
        message: 'unknown column "amout" in step "t": no input in scope has it',
        hint: 'did you mean "amount"?',
      },
    ]);
  });

  test('an unknown table alias is named', async () => {
    const lineage = await trace(`select x.amount from ${orders} o`);
    expect(lineage.problems).toMatchObject([
      {
        code: 'PIPE3003',
        message: 'unknown column "x.amount" in step "t": no input, CTE or column is named "x"',
      },
    ]);
  });

  test('an ambiguous column is reported with both inputs', async () => {
    const lineage = await trace(
      `select amount from ${orders} o join ${refunds} r on o.order_id = r.order_id`,
    );
    expect(lineage.problems).toMatchObject([
      {
        code: 'PIPE3009',
        message: 'column "amount" in step "t" is ambiguous: "sales.orders" and "sales.refunds" both have it',
        hint: 'qualify it, e.g. o.amount',
      },
    ]);
  });

  test('a table read without ref() is unknown, and the hint names the ref()', async () => {
    const lineage = await trace('select * from sales.orders');
    expect(lineage.problems).toMatchObject([
      { code: 'PIPE3002', hint: "read it with {{ ref('sales.orders') }}" },
    ]);
    expect(lineage.complete).toBe(false);
  });

  test('a table function is a warning, and the output is marked incomplete', async () => {
    const lineage = await trace(`select * from ${orders}, range(3) t(i)`);
    expect(lineage.problems).toMatchObject([
      {
        code: 'PIPE3007',
        message:
          'step "t" uses the table function range(), which pipectl cannot trace; lineage through it is partial',
      },
    ]);
    expect(lineage.complete).toBe(false);
  });

  test('a struct expansion s.* is a warning, not an unknown table', async () => {
    const lineage = await trace(`select s.* from (select {'id': order_id} as s from ${orders})`);
    expect(lineage.problems).toMatchObject([{ code: 'PIPE3007' }]);
    expect(lineage.complete).toBe(false);
  });

  test('a column from an input whose contract is unknown is accepted without lineage', async () => {
    const lineage = await trace("select anything from {{ ref('sales.unknown') }}");
    expect(lineage.problems).toEqual([]);
    expect(lines(lineage)).toEqual(['anything <-']);
  });

  test('an expression without AS has no name', async () => {
    const lineage = await trace(`select amount + 1 from ${orders}`);
    expect(lineage.columns[0]?.name).toBeUndefined();
  });

  test('positions are string indexes even after non-ASCII text', async () => {
    const sql = `select 'Zürich' as city, amout from ${orders}`;
    const lineage = await trace(sql);
    expect(lineage.problems[0]?.offset).toBe(sql.indexOf('amout'));
  });
});
