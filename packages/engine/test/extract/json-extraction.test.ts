// JSON sources: every record checked against the contract's row schema; records that break it
// are quarantined with the reason and where they came from, the rest land typed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MalformedJsonError, RejectedRecordsError } from '../../src/extract/extract-errors.js';
import { openShop, type Shop } from './shop-fixture.js';

let shop: Shop;
beforeAll(async () => {
  shop = await openShop();
});
afterAll(() => shop.close());

const quarantine = (runId = 'run-1') =>
  shop.rows(
    `SELECT dataset, origin, position, reason, record::VARCHAR AS record
     FROM _pipectl.quarantine WHERE run_id = '${runId}' ORDER BY quarantined_at, position`,
  );

describe('an NDJSON source', () => {
  test('lands the valid records typed by the contract', async () => {
    const report = await shop.extract('customers');
    expect(report).toMatchObject({ rowsRead: 7, rowsWritten: 3, rowsQuarantined: 4 });
    expect(await shop.rows('SELECT * FROM raw.customers ORDER BY customer_id')).toEqual([
      {
        customer_id: 1,
        email: 'ann@example.com',
        country_code: 'DE',
        signup_date: '2023-05-01',
        tags: ['vip'],
        address: { city: 'Berlin', zip: '10115' },
      },
      {
        customer_id: 2,
        email: 'bob@example.com',
        country_code: 'FR',
        signup_date: null,
        tags: null,
        address: null,
      },
      {
        customer_id: 7,
        email: 'eve@example.com',
        country_code: null,
        signup_date: null,
        tags: null,
        address: { city: 'Paris', zip: '75001' },
      },
    ]);
  });

  test('quarantines the invalid records with their reason and file:line', async () => {
    const report = await shop.extract('customers');
    expect(report.quarantineSamples).toMatchInlineSnapshot(`
      [
        {
          "position": "data/customers/customers.ndjson:3",
          "reason": "customer_id must be an integer, found "3"",
        },
        {
          "position": "data/customers/customers.ndjson:4",
          "reason": "email must match pattern "^[^@]+@[^@]+$", found "not-an-email"; country_code must be one of "DE", "FR", "GB", "US", null, found "XX"",
        },
        {
          "position": "data/customers/customers.ndjson:6",
          "reason": "column "signup_date": "2024-02-30" does not convert to date",
        },
        {
          "position": "data/customers/customers.ndjson:7",
          "reason": "not valid JSON: Unexpected end of JSON input",
        },
      ]
    `);
    const rows = await quarantine();
    expect(rows.map((row) => [row.position, row.origin, row.dataset])).toEqual([
      ['data/customers/customers.ndjson:3', 'source:customers', 'raw.customers'],
      ['data/customers/customers.ndjson:4', 'source:customers', 'raw.customers'],
      ['data/customers/customers.ndjson:6', 'source:customers', 'raw.customers'],
      ['data/customers/customers.ndjson:7', 'source:customers', 'raw.customers'],
    ]);
    expect(JSON.parse(rows[0]?.record as string)).toEqual({ customer_id: '3', email: 'carl@example.com' });
    expect(JSON.parse(rows[3]?.record as string)).toBe('{"customer_id": 6, "email":');
  });

  test('quarantines once per run, however often the run is retried', async () => {
    await shop.extract('customers', { runId: 'run-retried' });
    await shop.extract('customers', { runId: 'run-retried' });
    expect(await quarantine('run-retried')).toHaveLength(4);
  });

  test('reports fields the contract does not declare as drift', async () => {
    const report = await shop.extract('customers');
    expect(report.drift).toEqual([
      expect.objectContaining({
        rule: 'FIELD_ADDED_OPTIONAL',
        column: 'newsletter',
        files: ['data/customers/customers.ndjson'],
      }),
    ]);
  });

  test('fails, writing nothing, when every record breaks the contract', async () => {
    await shop.extract('customers');
    const error = await shop
      .extract('customers_wrong_export', { runId: 'run-wrong' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRecordsError);
    expect(error).toMatchObject({ code: 'PIPE5104', file: 'data/customers/wrong-export.ndjson', line: 1 });
    expect((error as Error).message).toMatchInlineSnapshot(`
      "source "customers_wrong_export": all 2 records fail the contract, nothing was loaded
        data/customers/wrong-export.ndjson:1: required column "customer_id" is missing; required column "email" is missing
        data/customers/wrong-export.ndjson:2: required column "customer_id" is missing; required column "email" is missing"
    `);
    expect(await shop.rows('SELECT count(*)::INTEGER AS n FROM raw.customers')).toEqual([{ n: 3 }]);
    expect(await quarantine('run-wrong')).toEqual([]);
  });

  test('streams a large file record by record, converting it in chunks', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) =>
      JSON.stringify({
        customer_id: i,
        email: `c${i}@example.com`,
        country_code: i % 1000 === 999 ? 'ZZ' : 'DE',
      }),
    );
    await writeFile(join(shop.projectDir, 'data/customers/many.ndjson'), `${lines.join('\n')}\n`);
    const report = await shop.extract('customers', { source: { path: 'data/customers/many.ndjson' } });
    expect(report).toMatchObject({ rowsRead: 60_000, rowsWritten: 59_940, rowsQuarantined: 60 });
    expect(report.quarantineSamples.map((sample) => sample.position)).toEqual(
      [1000, 2000, 3000, 4000, 5000].map((line) => `data/customers/many.ndjson:${line}`),
    );
    expect(report.quarantineSamples[0]?.reason).toBe(
      'country_code must be one of "DE", "FR", "GB", "US", null, found "ZZ"',
    );
    expect(
      await shop.rows('SELECT count(*)::INTEGER AS n, max(customer_id) AS last FROM raw.customers'),
    ).toEqual([{ n: 59_940, last: 59_998 }]);
  });
});

describe('a JSON array source', () => {
  test('is detected by its opening bracket, with positions as file[index]', async () => {
    const report = await shop.extract('customers_array');
    expect(report).toMatchObject({ rowsRead: 3, rowsWritten: 2, rowsQuarantined: 1 });
    expect(report.quarantineSamples).toEqual([
      { position: 'data/customers/customers.json[1]', reason: 'email must be a string, found null' },
    ]);
    expect(await shop.rows('SELECT customer_id, tags FROM raw.customers ORDER BY 1')).toEqual([
      { customer_id: 1, tags: null },
      { customer_id: 3, tags: ['a', 'b'] },
    ]);
  });

  test('that does not parse fails naming the file and line', async () => {
    await writeFile(
      join(shop.projectDir, 'data/customers/broken.json'),
      '[\n  { "customer_id": 1, "email": "ann@example.com" },\n  { "customer_id": 2 "email": "bob@example.com" }\n]\n',
    );
    const error = await shop.extract('customers_broken_array').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedJsonError);
    expect(error).toMatchObject({ code: 'PIPE5110', file: 'data/customers/broken.json', line: 3 });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"source "customers_broken_array": data/customers/broken.json:3:22 is not valid JSON: Expected ',' or '}' after property value"`,
    );
  });
});
