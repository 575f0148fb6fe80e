// The façade: where rows go (the contract relation, or a staging relation the caller publishes
// from), in which mode, inside whose transaction, and the report it returns.

import { ISSUE_CODES } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SourceConfigError } from '../../src/extract/extract-errors.js';
import type { ExtractError } from '../../src/index.js';
import { openShop, type Shop } from './shop-fixture.js';

let shop: Shop;
beforeAll(async () => {
  shop = await openShop();
});
afterAll(() => shop.close());

const count = async (relation: string) =>
  (await shop.rows<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${relation}`))[0]?.n;

describe('extractSource', () => {
  test('returns a JSON-safe report', async () => {
    const report = await shop.extract('customers');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const { timings, ...rest } = report;
    expect(rest).toMatchInlineSnapshot(`
      {
        "dataset": "raw.customers",
        "drift": [
          {
            "after": "json",
            "column": "newsletter",
            "files": [
              "data/customers/customers.ndjson",
            ],
            "message": "the source has column "newsletter" (json), which the contract does not declare",
            "path": "columns.newsletter",
            "rule": "FIELD_ADDED_OPTIONAL",
          },
        ],
        "files": [
          "data/customers/customers.ndjson",
        ],
        "kind": "json",
        "mode": "replace",
        "pipeline": "shop",
        "quarantineSamples": [
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
        ],
        "rowsQuarantined": 4,
        "rowsRead": 7,
        "rowsWritten": 3,
        "runId": "run-1",
        "source": "customers",
        "target": "raw.customers",
      }
    `);
    expect(Object.values(timings).map((value) => typeof value)).toEqual([
      'string',
      'number',
      'number',
      'number',
    ]);
  });

  test('writes only the target it is given, so the caller can publish atomically', async () => {
    await shop.extract('orders_january');
    const report = await shop.extract('orders', { target: 'staging_extract.orders_run_2' });
    expect(report).toMatchObject({
      target: 'staging_extract.orders_run_2',
      dataset: 'raw.orders',
      rowsWritten: 5,
    });
    expect(await count('staging_extract.orders_run_2')).toBe(5);
    expect(await count('raw.orders')).toBe(3);
  });

  test('appends instead of replacing when asked', async () => {
    await shop.extract('orders_january');
    const report = await shop.extract('orders_headerless', { mode: 'append' });
    expect(report.mode).toBe('append');
    expect(await count('raw.orders')).toBe(5);
  });

  test("joins the caller's transaction, and rolls back with it", async () => {
    await shop.extract('orders_january');
    const failed = await shop.warehouse
      .transaction(async () => {
        await shop.extract('orders');
        throw new Error('publication failed');
      })
      .catch((error: Error) => error.message);
    expect(failed).toBe('publication failed');
    expect(await count('raw.orders')).toBe(3);
  });

  test('refuses a contract other than the one the source names', async () => {
    const error = await shop
      .extract('orders', { contract: shop.contract('raw.customers') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceConfigError);
    expect(error).toMatchObject({
      code: 'PIPE5109',
      message: 'source "orders" declares contract "raw.orders" but was given "raw.customers"',
    });
  });

  test('errors render as issues, with a code from the catalog and no stack', async () => {
    const error = (await shop.extract('orders_broken').catch((e: unknown) => e)) as ExtractError;
    expect(ISSUE_CODES[error.code].title).toBe('Malformed CSV row');
    expect(error.toIssue()).toMatchInlineSnapshot(`
      {
        "code": "PIPE5103",
        "file": "data/exports/orders-broken.csv",
        "hint": "Fix the rows shown, or the source options (delimiter, quote, header, nullValues, dateFormat, timestampFormat).",
        "message": "source "orders_broken": 3 malformed CSV rows, first at data/exports/orders-broken.csv:3
        data/exports/orders-broken.csv:3: column "customer_id": "eleven" is not a valid integer
        data/exports/orders-broken.csv:4: column "order_date": "2024-02-30" is not a valid date
        data/exports/orders-broken.csv:5: expected 6 columns, found 4",
        "path": [],
        "severity": "error",
      }
    `);
  });
});
