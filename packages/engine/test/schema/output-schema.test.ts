// The output of a step against its contract: types match when DuckDB stores them the same way,
// and a mismatch is a clear error before anything is published.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkOutputSchema } from '../../src/schema/check-output-schema.js';
import { observeSchema } from '../../src/schema/observe-schema.js';
import { sameStorage, storageType } from '../../src/schema/storage-type.js';
import { runStep } from '../../src/steps/run-step.js';
import { fixtureContract, rowsOf, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

describe('stored types', () => {
  test.each([
    ['varchar(64)', 'VARCHAR'],
    ['text', 'VARCHAR'],
    ['timestamp_ms', 'TIMESTAMP_MS'],
    ['timestamp', 'TIMESTAMP'],
    ['datetime', 'TIMESTAMP'],
    ['timestamptz', 'TIMESTAMP WITH TIME ZONE'],
    ['numeric', 'DECIMAL(18,3)'],
    ['decimal(12,2)', 'DECIMAL(12,2)'],
    ['int', 'INTEGER'],
    ['varchar(3)[]', 'VARCHAR[]'],
    ['struct(City varchar(40), zip integer)', 'STRUCT(city VARCHAR, zip INTEGER)'],
    ['map(varchar(2), double)', 'MAP(VARCHAR, DOUBLE)'],
    ["enum('a', 'b')", "ENUM('a', 'b')"],
  ])('%s is stored as DuckDB reports %s', (declared, observed) => {
    expect(sameStorage(declared, observed)).toBe(true);
  });

  test.each([
    ['integer', 'BIGINT'],
    ['decimal(12,2)', 'DECIMAL(18,3)'],
    ['timestamp', 'TIMESTAMP_MS'],
    ['timestamp', 'TIMESTAMP WITH TIME ZONE'],
    ['varchar', 'JSON'],
    ['integer[]', 'INTEGER[3]'],
  ])('%s is not stored like %s', (declared, observed) => {
    expect(sameStorage(declared, observed)).toBe(false);
  });

  test('canonical spellings', () => {
    expect(['VARCHAR', 'TIMESTAMP WITH TIME ZONE', 'DOUBLE PRECISION', 'BPCHAR(3)'].map(storageType)).toEqual(
      ['varchar', 'timestamptz', 'double', 'varchar'],
    );
  });
});

describe('the output against its contract', () => {
  let db: TempWarehouse;
  beforeEach(async () => {
    db = await tempWarehouse();
  });
  afterEach(() => db.close());

  test('DuckDB types of a real table match the contract that declared them', async () => {
    await db.warehouse.run(`CREATE SCHEMA sales; CREATE TABLE sales.orders (
      order_id BIGINT, customer_id INTEGER, status VARCHAR(16), email VARCHAR, amount DECIMAL(12,2), ordered_at TIMESTAMP)`);
    const observed = await observeSchema(db.warehouse, { schema: 'sales', table: 'orders' });
    expect(observed.map((c) => `${c.name} ${c.type}`)).toEqual([
      'order_id bigint',
      'customer_id integer',
      'status varchar',
      'email varchar',
      'amount decimal(12,2)',
      'ordered_at timestamp',
    ]);
    const columns = observed.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
    expect(checkOutputSchema(fixtureContract('orders'), columns)).toEqual({ ok: true, problems: [] });
  });

  test('missing, extra and mistyped columns are named with what to do', () => {
    const result = checkOutputSchema(fixtureContract('orders'), [
      { name: 'order_id', type: 'BIGINT', nullable: true },
      { name: 'customer_id', type: 'BIGINT', nullable: true },
      { name: 'status', type: 'VARCHAR', nullable: true },
      { name: 'email', type: 'VARCHAR', nullable: true },
      { name: 'amout', type: 'DECIMAL(18,3)', nullable: true },
      { name: 'ordered_at', type: 'TIMESTAMP_MS', nullable: true },
    ]);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => `${p.code}: ${p.message}\n  help: ${p.hint}`)).toMatchInlineSnapshot(`
      [
        "TYPE_MISMATCH: column "customer_id" is BIGINT in the output but integer in contract sales.orders
        help: cast it in the step's SQL: cast(... as integer) as "customer_id", or change the contract's type",
        "COLUMN_MISSING: column "amount" of contract sales.orders is missing from the output (did you mean "amout"?)
        help: select it in the step's SQL: ... as "amount"",
        "TYPE_MISMATCH: column "ordered_at" is TIMESTAMP_MS in the output but timestamp in contract sales.orders
        help: cast it in the step's SQL: cast(... as timestamp) as "ordered_at", or change the contract's type",
        "COLUMN_NOT_IN_CONTRACT: column "amout" (DECIMAL(18,3)) is in the output but not in contract sales.orders (did you mean "amount"?)
        help: declare it in the contract, or leave it out of the SELECT",
      ]
    `);
  });

  test('a step whose output has the wrong type fails before publishing, and the old dataset stays', async () => {
    await db.warehouse.run(
      `CREATE SCHEMA sales; CREATE TABLE sales.order_lines AS SELECT 1::BIGINT AS order_id, 1 AS line_number, 1 AS quantity`,
    );
    const report = await runStep(db.warehouse, {
      runId: 'run-2',
      step: 'lines',
      dataset: 'sales.order_lines',
      sql: 'select 2::bigint as order_id, 1 as line_number, count(*) as quantity',
      materialized: 'table',
      contract: fixtureContract('order-lines'),
    });
    expect(report.status).toBe('failed');
    expect(report.build.failure).toEqual({
      stage: 'schema',
      message:
        'the output does not match contract sales.order_lines: column "quantity" is BIGINT in the output but integer in contract sales.order_lines',
    });
    expect(await rowsOf(db.warehouse, 'SELECT order_id FROM sales.order_lines')).toEqual([{ order_id: 1 }]);
  });

  test('step SQL that is not a single SELECT never runs', async () => {
    await db.warehouse.run('CREATE SCHEMA sales; CREATE TABLE sales.keep AS SELECT 1 AS x');
    const report = await runStep(db.warehouse, {
      runId: 'run-1',
      step: 'lines',
      dataset: 'sales.order_lines',
      sql: 'select 1 as order_id; drop table sales.keep',
      materialized: 'table',
      contract: fixtureContract('order-lines'),
    });
    expect(report.build.failure).toEqual({
      stage: 'sql',
      message: 'the SQL of step "lines": only one SELECT statement is allowed, found 2 statements',
    });
    expect(await rowsOf(db.warehouse, 'SELECT x FROM sales.keep')).toEqual([{ x: 1 }]);
  });
});
