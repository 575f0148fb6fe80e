// CSV sources: typed by the contract, matched by header name, read file by file over a glob,
// with the dialect options of the source; broken rows fail with their file and line.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MalformedCsvError, SourceFileError } from '../../src/extract/extract-errors.js';
import { openShop, type Shop } from './shop-fixture.js';

let shop: Shop;
beforeAll(async () => {
  shop = await openShop();
});
afterAll(() => shop.close());

describe('a CSV source', () => {
  test('lands in its contract relation with the contract types', async () => {
    const report = await shop.extract('orders_january');
    expect(report).toMatchObject({ rowsRead: 3, rowsWritten: 3, rowsQuarantined: 0, drift: [] });
    expect(report.files).toEqual(['data/orders/2024-01.csv']);
    expect(await shop.rows('SELECT column_name, column_type FROM (DESCRIBE raw.orders)')).toEqual([
      { column_name: 'order_id', column_type: 'BIGINT' },
      { column_name: 'customer_id', column_type: 'INTEGER' },
      { column_name: 'amount', column_type: 'DECIMAL(12,2)' },
      { column_name: 'status', column_type: 'VARCHAR' },
      { column_name: 'order_date', column_type: 'DATE' },
      { column_name: 'ordered_at', column_type: 'TIMESTAMP' },
    ]);
    expect(await shop.rows('SELECT * FROM raw.orders ORDER BY order_id LIMIT 1')).toEqual([
      {
        order_id: '1',
        customer_id: 10,
        amount: '19.90',
        status: 'paid',
        order_date: '2024-01-03',
        ordered_at: '2024-01-03 09:15:00',
      },
    ]);
  });

  test('reads every file a glob matches, as one relation', async () => {
    const report = await shop.extract('orders');
    expect(report.files).toEqual(['data/orders/2024-01.csv', 'data/orders/2024-02.csv']);
    expect(report.rowsWritten).toBe(5);
    expect(await shop.rows('SELECT order_id, amount FROM raw.orders WHERE order_id >= 4 ORDER BY 1')).toEqual(
      [
        { order_id: '4', amount: '42.00' },
        { order_id: '5', amount: null },
      ],
    );
  });

  test('replaces what the target held before', async () => {
    await shop.extract('orders');
    await shop.extract('orders_january');
    expect(await shop.rows('SELECT count(*)::INTEGER AS n FROM raw.orders')).toEqual([{ n: 3 }]);
  });

  test('honours delimiter, quote, nullValues, dateFormat and timestampFormat', async () => {
    await shop.extract('orders_eu');
    expect(await shop.rows('SELECT * FROM raw.orders ORDER BY order_id')).toEqual([
      {
        order_id: '7',
        customer_id: 12,
        amount: '42.00',
        status: 'paid; late',
        order_date: '2024-02-05',
        ordered_at: '2024-02-05 10:30:00',
      },
      {
        order_id: '8',
        customer_id: 13,
        amount: null,
        status: null,
        order_date: '2024-02-06',
        ordered_at: '2024-02-06 11:00:00',
      },
    ]);
  });

  test('without a header, reads the columns in the contract order', async () => {
    const report = await shop.extract('orders_headerless');
    expect(report.drift).toEqual([]);
    expect(await shop.rows('SELECT order_id, status, ordered_at FROM raw.orders ORDER BY 1')).toEqual([
      { order_id: '9', status: 'paid', ordered_at: '2024-03-01 12:00:00' },
      { order_id: '10', status: 'open', ordered_at: '2024-03-02 13:30:00' },
    ]);
  });

  test('matches columns by header name and reports drift with compatibility rule ids', async () => {
    const report = await shop.extract('orders_drifted');
    expect(report.drift.map((d) => [d.rule, d.column, d.files])).toEqual([
      ['FIELD_REMOVED', 'order_date', ['data/exports/orders-drifted.csv']],
      ['FIELD_ADDED_OPTIONAL', 'channel', ['data/exports/orders-drifted.csv']],
    ]);
    expect(report.drift.map((d) => d.message)).toMatchInlineSnapshot(`
      [
        "contract column "order_date" (date) is missing from the source",
        "the source has column "channel" (varchar), which the contract does not declare",
      ]
    `);
    expect(
      await shop.rows('SELECT order_id, customer_id, amount, status, order_date FROM raw.orders ORDER BY 1'),
    ).toEqual([
      { order_id: '11', customer_id: 16, amount: '9.99', status: 'paid', order_date: null },
      { order_id: '12', customer_id: 17, amount: '1.50', status: 'open', order_date: null },
    ]);
  });
});

describe('a CSV source with bad input', () => {
  test('fails on malformed rows naming each file and line, and writes nothing', async () => {
    await shop.extract('orders_january');
    const error = await shop.extract('orders_broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedCsvError);
    expect(error).toMatchObject({ code: 'PIPE5103', file: 'data/exports/orders-broken.csv', line: 3 });

    expect((error as Error).message).toMatchInlineSnapshot(`
      "source "orders_broken": 3 malformed CSV rows, first at data/exports/orders-broken.csv:3
        data/exports/orders-broken.csv:3: column "customer_id": "eleven" is not a valid integer
        data/exports/orders-broken.csv:4: column "order_date": "2024-02-30" is not a valid date
        data/exports/orders-broken.csv:5: expected 6 columns, found 4"
    `);
    expect(await shop.rows('SELECT count(*)::INTEGER AS n FROM raw.orders')).toEqual([{ n: 3 }]);
  });

  test.each([
    [
      'orders_missing',
      'PIPE5101',
      'source "orders_missing": file "data/exports/orders-2019.csv" not found (in <project>)',
    ],
    [
      'orders_unmatched',
      'PIPE5101',
      'source "orders_unmatched": no file matches "data/archive/*.csv" (in <project>)',
    ],
    [
      'orders_folder',
      'PIPE5102',
      'source "orders_folder": "data/orders" is a folder, not a file (use a glob such as "data/orders/*")',
    ],
  ])('%s fails with %s naming the path', async (name, code, message) => {
    const error = await shop.extract(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFileError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message.replace(shop.projectDir, '<project>')).toBe(message);
  });

  test.skipIf(process.getuid?.() === 0)('fails with PIPE5102 on a file it may not read', async () => {
    await mkdir(join(shop.projectDir, 'data/locked'), { recursive: true });
    const file = join(shop.projectDir, 'data/locked/orders.csv');
    await writeFile(file, 'order_id\n1\n');
    await chmod(file, 0o000);
    const error = await shop
      .extract('orders', { source: { path: 'data/locked/orders.csv' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PIPE5102',
      message: 'source "orders": cannot read "data/locked/orders.csv" (permission denied)',
    });
  });
});
