// PostgreSQL sources against a real server started for this file: tables and queries streamed
// in batches through DuckDB's appender, values converted to the contract's types, incremental
// reads that resume after the last committed run, drift and every way the server can say no.

import type { Contract, Source } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  PostgresSourceError,
  SourceConfigError,
  SourceValueError,
} from '../../src/extract/extract-errors.js';
import { readExtractState } from '../../src/extract/extract-state.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { openShop, type Shop } from './shop-fixture.js';

let shop: Shop;
let pg: TestPostgres;
let env: Record<string, string>;

const INVOICES = `
  CREATE TABLE public.invoices (
    invoice_id  bigint PRIMARY KEY,
    customer_id integer,
    total       numeric(12,2),
    paid        boolean,
    issued_on   date,
    updated_at  timestamptz NOT NULL,
    lines       text[],
    meta        jsonb,
    pdf         bytea,
    public_id   uuid
  );
  INSERT INTO public.invoices
  SELECT i, 100 + i % 3, i * 10.25, i % 2 = 0, DATE '2024-01-01' + i,
         TIMESTAMPTZ '2024-01-01 08:00:00.123456+00' + i * INTERVAL '1 day',
         ARRAY['line ' || i, 'shipping'], jsonb_build_object('source', 'erp', 'n', i),
         CASE WHEN i = 1 THEN '\\xdeadbeef'::bytea END,
         ('00000000-0000-4000-8000-00000000000' || i)::uuid
  FROM generate_series(1, 7) AS s(i);
`;

beforeAll(async () => {
  [shop, pg] = await Promise.all([openShop(), startPostgres()]);
  env = { PIPECTL_TEST_PG_URL: pg.url };
  await pg.sql(INVOICES);
});
afterAll(async () => {
  await shop?.close();
  await pg?.stop();
});

const extract = (name: string, options: Parameters<Shop['extract']>[1] = {}) =>
  shop.extract(name, { env, ...options });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a PostgreSQL table', () => {
  test('streams in batches of batchSize into the contract types', async () => {
    const report = await extract('invoices');
    expect(report).toMatchObject({
      rowsRead: 7,
      rowsWritten: 7,
      batches: 3,
      drift: [],
      server: `127.0.0.1:${pg.port}/postgres`,
    });
    expect(await shop.rows('SELECT * FROM raw.invoices WHERE invoice_id = 1')).toEqual([
      {
        invoice_id: '1',
        customer_id: 101,
        total: '10.25',
        paid: false,
        issued_on: '2024-01-02',
        updated_at: expect.stringMatching(/^2024-01-02 \d\d:00:00\.123456[+-]\d\d/),
        lines: ['line 1', 'shipping'],
        meta: '{"n": 1, "source": "erp"}',
        pdf: '\\xDE\\xAD\\xBE\\xEF',
        public_id: '00000000-0000-4000-8000-000000000001',
      },
    ]);
    expect(
      await shop.rows(`SELECT epoch_us(updated_at)::VARCHAR AS us FROM raw.invoices WHERE invoice_id = 1`),
    ).toEqual([{ us: String(Date.UTC(2024, 0, 2, 8) * 1000 + 123456) }]);
  });

  test('reports drift with compatibility rule ids', async () => {
    await pg.sql(`
      CREATE TABLE public.invoices_v2 (
        invoice_id bigint, customer_id bigint, total numeric(12,2), paid boolean, issued_on date,
        updated_at timestamptz, lines text[], meta jsonb, pdf bytea, currency varchar(3)
      );
      INSERT INTO public.invoices_v2 VALUES (1, 5, 9.99, true, '2024-01-01', now(), '{}', '{}', NULL, 'EUR');
    `);
    const report = await extract('invoices', { source: { table: 'public.invoices_v2' } });
    expect(report.drift.map((d) => [d.rule, d.column, d.message])).toEqual([
      ['FIELD_REMOVED', 'public_id', 'contract column "public_id" (uuid) is missing from the source'],
      [
        'FIELD_TYPE_WIDENED',
        'customer_id',
        'column "customer_id" is bigint in the source, integer in the contract',
      ],
      [
        'FIELD_ADDED_OPTIONAL',
        'currency',
        'the source has column "currency" (varchar), which the contract does not declare',
      ],
    ]);
    expect(await shop.rows('SELECT customer_id, public_id FROM raw.invoices')).toEqual([
      { customer_id: 5, public_id: null },
    ]);
  });

  test('fails on a value that does not fit the contract type, naming the row', async () => {
    const contract = shop.contract('raw.invoices');
    const narrow: Contract = {
      ...contract,
      columns: contract.columns.map((c) => (c.name === 'total' ? { ...c, type: 'decimal(3,2)' } : c)),
    };
    const error = await failure(extract('invoices', { contract: narrow }));
    expect(error).toBeInstanceOf(SourceValueError);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"source "invoices": column "total" holds "10.25" at row 1 of public.invoices (invoice_id=1), which does not convert to decimal(3,2) (the contract's type)"`,
    );
  });
});

describe('a large PostgreSQL table', () => {
  test('is converted in chunks, and a bad value is named by its row across chunks', async () => {
    await pg.sql(`
      CREATE TABLE public.invoice_archive AS
      SELECT i::bigint AS invoice_id, 1 AS customer_id, CASE WHEN i = 55555 THEN 1000 ELSE 1 END::numeric(12,2) AS total,
             true AS paid, DATE '2020-01-01' AS issued_on, now() AS updated_at
      FROM generate_series(1, 60000) AS s(i)
    `);
    const archive = { source: { table: 'public.invoice_archive', batchSize: 10_000 } } as const;
    const report = await extract('invoices', archive);
    expect(report).toMatchObject({ rowsRead: 60_000, rowsWritten: 60_000, batches: 6 });

    const contract = shop.contract('raw.invoices');
    const narrow: Contract = {
      ...contract,
      columns: contract.columns.map((c) => (c.name === 'total' ? { ...c, type: 'decimal(5,2)' } : c)),
    };
    const error = await failure(extract('invoices', { ...archive, contract: narrow }));
    expect(error).toMatchObject({ code: 'PIPE5105' });
    expect((error as Error).message).toContain(
      'holds "1000.00" at row 55555 of public.invoice_archive (invoice_id=55555)',
    );
  });
});

describe('a PostgreSQL column of the contract type', () => {
  test('still fails on a value DuckDB cannot hold, naming the rows', async () => {
    await pg.sql(`
      CREATE TABLE public.invoice_totals AS
      SELECT i::bigint AS invoice_id, CASE WHEN i = 3 THEN 'NaN'::numeric ELSE i END::numeric(12,2) AS total
      FROM generate_series(1, 4) AS s(i)
    `);
    const error = await failure(extract('invoices', { source: { table: 'public.invoice_totals' } }));
    expect(error).toBeInstanceOf(SourceValueError);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"source "invoices": column "total" holds "NaN" at rows 1-4 of public.invoice_totals, which does not convert to decimal(12,2) (the contract's type)"`,
    );
  });
});

describe('a PostgreSQL query', () => {
  test('lands its columns; the contract columns it lacks are drift and null', async () => {
    const report = await extract('invoices_open');
    expect(report.rowsWritten).toBe(4);
    expect(report.drift.map((d) => [d.rule, d.column])).toEqual([
      ['FIELD_REMOVED', 'lines'],
      ['FIELD_REMOVED', 'meta'],
      ['FIELD_REMOVED', 'pdf'],
      ['FIELD_REMOVED', 'public_id'],
    ]);
    expect(await shop.rows('SELECT invoice_id, paid, lines FROM raw.invoices ORDER BY 1')).toEqual([
      { invoice_id: '1', paid: false, lines: null },
      { invoice_id: '3', paid: false, lines: null },
      { invoice_id: '5', paid: false, lines: null },
      { invoice_id: '7', paid: false, lines: null },
    ]);
  });
});

describe('an incremental PostgreSQL source', () => {
  const incremental = { pipeline: 'billing', target: 'raw.invoices_incremental' } as const;
  const landed = () =>
    shop.rows<{ n: number; max: string }>(
      'SELECT count(*)::INTEGER AS n, max(invoice_id)::VARCHAR AS max FROM raw.invoices_incremental',
    );
  let next = 100;
  const insertInvoices = (count: number, total = '1.00') => {
    const ids = Array.from({ length: count }, () => next++);
    return pg.sql(
      `INSERT INTO public.invoices (invoice_id, customer_id, total, paid, updated_at)
       SELECT id, 1, $2::numeric, false, TIMESTAMPTZ '2024-06-01 00:00:00+00' + id * INTERVAL '1 second'
       FROM unnest($1::bigint[]) AS id`,
      [ids, total],
    );
  };

  test('reads only the rows above the last run, and advances its cursor', async () => {
    const first = await extract('invoices_incremental', { ...incremental, runId: 'inc-1' });
    expect(first).toMatchObject({ mode: 'append', rowsRead: 7, batches: 4 });
    expect(first.cursor).toEqual({
      column: 'updated_at',
      before: null,
      after: '2024-01-08 08:00:00.123456+00',
    });

    await insertInvoices(3);
    const second = await extract('invoices_incremental', { ...incremental, runId: 'inc-2' });
    expect(second).toMatchObject({ rowsRead: 3, rowsWritten: 3, batches: 2 });
    expect(second.cursor).toEqual({
      column: 'updated_at',
      before: '2024-01-08 08:00:00.123456+00',
      after: '2024-06-01 00:01:42+00',
    });
    expect(await landed()).toEqual([{ n: 10, max: '102' }]);
    expect(await readExtractState(shop.warehouse, 'billing', 'invoices_incremental')).toMatchObject({
      cursorColumn: 'updated_at',
      cursorValue: '2024-06-01 00:01:42+00',
      runId: 'inc-2',
    });

    const third = await extract('invoices_incremental', { ...incremental, runId: 'inc-3' });
    expect(third).toMatchObject({ rowsRead: 0, rowsWritten: 0, cursor: { after: '2024-06-01 00:01:42+00' } });
  });

  test('does not advance its cursor when a run fails', async () => {
    const before = await readExtractState(shop.warehouse, 'billing', 'invoices_incremental');
    await insertInvoices(2, '123.45');
    const contract = shop.contract('raw.invoices');
    const narrow: Contract = {
      ...contract,
      columns: contract.columns.map((c) => (c.name === 'total' ? { ...c, type: 'decimal(4,2)' } : c)),
    };
    const error = await failure(
      extract('invoices_incremental', { ...incremental, contract: narrow, runId: 'inc-4' }),
    );
    expect(error).toMatchObject({ code: 'PIPE5105', column: 'total' });
    expect(await readExtractState(shop.warehouse, 'billing', 'invoices_incremental')).toEqual(before);
    expect(await landed()).toEqual([{ n: 10, max: '102' }]);

    const retried = await extract('invoices_incremental', { ...incremental, runId: 'inc-5' });
    expect(retried).toMatchObject({ rowsRead: 2, cursor: { before: before?.cursorValue } });
    expect(await landed()).toEqual([{ n: 12, max: '104' }]);
  });

  test('starts from incremental.initial on its first run', async () => {
    const source = shop.source('invoices_incremental') as Extract<Source, { kind: 'postgres' }>;
    const report = await extract('invoices_incremental', {
      pipeline: 'billing_from_june',
      target: 'raw.invoices_from_june',
      source: { incremental: { cursor: 'updated_at', initial: '2024-06-01 00:01:42+00' } } as Partial<
        typeof source
      >,
    });
    expect(report.cursor).toEqual({
      column: 'updated_at',
      before: '2024-06-01 00:01:42+00',
      after: '2024-06-01 00:01:44+00',
    });
    expect(report.rowsRead).toBe(3);
  });
});

describe('a PostgreSQL source with bad input', () => {
  test('names the server when nothing listens there', async () => {
    const closed = new URL(pg.url);
    closed.port = '1';
    const error = await failure(extract('invoices', { env: { PIPECTL_TEST_PG_URL: closed.href } }));
    expect(error).toBeInstanceOf(PostgresSourceError);
    expect(error).toMatchObject({
      code: 'PIPE5106',
      retryable: true,
      message: 'source "invoices": cannot reach PostgreSQL at 127.0.0.1:1/postgres (connection refused)',
    });
  });

  test('says the login was refused, without the password', async () => {
    const wrong = new URL(pg.url);
    wrong.password = 'not-the-password';
    const error = await failure(extract('invoices', { env: { PIPECTL_TEST_PG_URL: wrong.href } }));
    expect(error).toMatchObject({ code: 'PIPE5107', retryable: false });
    expect((error as Error).message.replace(String(pg.port), 'PORT')).toMatchInlineSnapshot(
      `"source "invoices": PostgreSQL at 127.0.0.1:PORT/postgres refused the login: password authentication failed for user "pipectl""`,
    );
    expect((error as Error).message).not.toContain('not-the-password');
  });

  test.each([
    [{ table: 'public.missing' }, 'relation "public.missing" does not exist'],
    [
      { query: 'select invoice_id,\n       nope\nfrom public.invoices' },
      '(line 2 of the query): column "nope" does not exist',
    ],
    [
      {
        query: 'select invoice_id, 10 / (invoice_id - 5) as customer_id from public.invoices order by 1',
        batchSize: 2,
      },
      'division by zero',
    ],
  ])('reports a failing table or query: %j', async (overrides, expected) => {
    const source = { ...overrides, ...('query' in overrides ? { table: undefined } : {}) } as Partial<Source>;
    const error = await failure(extract('invoices', { source }));
    expect(error).toMatchObject({ code: 'PIPE5108' });
    expect((error as Error).message).toContain(expected);
  });

  test('names an unset environment variable', async () => {
    const error = await failure(extract('invoices', { env: {} }));
    expect(error).toBeInstanceOf(SourceConfigError);
    expect(error).toMatchObject({
      code: 'PIPE5109',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes the ${VAR} the user wrote
      message: 'source "invoices": the url reads ${PIPECTL_TEST_PG_URL}, which is not set in the environment',
    });
  });

  test('names a cursor column the source does not have', async () => {
    const error = await failure(
      extract('invoices_incremental', {
        source: { incremental: { cursor: 'changed_at' } } as Partial<Source>,
        pipeline: 'billing_bad_cursor',
      }),
    );
    expect(error).toMatchObject({ code: 'PIPE5109' });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"source "invoices_incremental": the incremental cursor column "changed_at" is not among the source's columns (invoice_id, customer_id, total, paid, issued_on, updated_at, lines, meta, pdf, public_id)"`,
    );
  });
});
