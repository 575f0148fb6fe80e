// The quality benchmark's workload: 10 million orders in Parquet (generated once with DuckDB's
// range(), into bench/.out/quality/), two small dimensions, the 20 checks pipectl runs over them,
// and the same checks written by hand as one fused query.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckSpec, openWarehouse, type Warehouse } from '@pipectl/engine';
import { qualityCheckSchema } from '@pipectl/spec';

export const OUT_DIR = join(import.meta.dirname, '..', '.out', 'quality');

export function parquetPath(rows: number): string {
  return join(OUT_DIR, `orders-${rows}.parquet`);
}

/**
 * Writes the orders (and dimensions) as Parquet unless they exist. A few rows break rules on
 * purpose (negative amounts, unknown customers, missing emails), so failing checks fetch samples.
 */
export async function generateOnce(rows: number): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const orders = parquetPath(rows);
  if (existsSync(orders)) return;
  const warehouse = await openWarehouse(':memory:', { readable: [OUT_DIR] });
  try {
    await warehouse.run(`
      COPY (
        SELECT
          range AS order_id,
          (hash(range) % 100000)::INTEGER AS customer_id,
          (hash(range * 7) % 5000)::INTEGER AS product_id,
          ['placed', 'paid', 'shipped', 'delivered', 'cancelled'][range % 5 + 1] AS status,
          ['EUR', 'USD', 'GBP'][range % 3 + 1] AS currency_code,
          CASE WHEN range % 2000 = 0 THEN -1 ELSE (hash(range) % 100000) / 100 END::DECIMAL(12,2) AS amount,
          ((hash(range * 3) % 500) / 100)::DECIMAL(12,2) AS discount,
          (range % 10 + 1)::INTEGER AS quantity,
          CASE WHEN range % 50 = 0 THEN NULL ELSE 'user' || (range % 100000) || '@example.com' END AS email,
          ['DE', 'AT', 'FR', 'NL', 'GB', 'US'][range % 6 + 1] AS country_code,
          ['web', 'mobile_app', 'marketplace'][range % 3 + 1] AS sales_channel,
          TIMESTAMP '2024-01-01' + to_seconds(range * 3) AS ordered_at
        FROM range(${rows})
      ) TO '${orders}' (FORMAT parquet);
      COPY (SELECT range::INTEGER AS customer_id FROM range(99990)) TO '${join(OUT_DIR, 'customers.parquet')}' (FORMAT parquet);
      COPY (SELECT range::INTEGER AS product_id FROM range(5000)) TO '${join(OUT_DIR, 'products.parquet')}' (FORMAT parquet);
    `);
  } finally {
    warehouse.close();
  }
}

/** A warehouse whose `bench.orders`, `bench.customers`, `bench.products` are views over the Parquet files. */
export async function openBenchWarehouse(rows: number): Promise<Warehouse> {
  const warehouse = await openWarehouse(':memory:', { readable: [OUT_DIR] });
  await warehouse.run(`
    CREATE SCHEMA bench;
    CREATE VIEW bench.orders AS SELECT * FROM read_parquet('${parquetPath(rows)}');
    CREATE VIEW bench.customers AS SELECT * FROM read_parquet('${join(OUT_DIR, 'customers.parquet')}');
    CREATE VIEW bench.products AS SELECT * FROM read_parquet('${join(OUT_DIR, 'products.parquet')}');
  `);
  return warehouse;
}

const check = (id: string, rule: Record<string, unknown>): CheckSpec => ({
  id,
  origin: 'gate',
  rule: qualityCheckSchema.parse(rule),
});

/** The 20 checks: what a contract for this dataset implies, plus a few gates. */
export const CHECKS: readonly CheckSpec[] = [
  check('not_null_order_id', { check: 'not_null', column: 'order_id' }),
  check('unique_order_id', { check: 'unique', column: 'order_id' }),
  check('not_null_customer_id', { check: 'not_null', column: 'customer_id' }),
  check('relationships_customer_id', {
    check: 'relationships',
    column: 'customer_id',
    to: 'bench.customers.customer_id',
    maxFailing: '0.1%',
  }),
  check('relationships_product_id', {
    check: 'relationships',
    column: 'product_id',
    to: 'bench.products.product_id',
  }),
  check('not_null_status', { check: 'not_null', column: 'status' }),
  check('accepted_values_status', {
    check: 'accepted_values',
    column: 'status',
    values: ['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned'],
  }),
  check('pattern_currency_code', { check: 'pattern', column: 'currency_code', regex: '^[A-Z]{3}$' }),
  check('range_amount', { check: 'range', column: 'amount', min: 0, max: 10000 }),
  check('range_discount', { check: 'range', column: 'discount', min: 0 }),
  check('range_quantity', { check: 'range', column: 'quantity', min: 1, max: 100 }),
  check('email_mostly_present', {
    check: 'missing_count',
    column: 'email',
    maxFailing: '5%',
    severity: 'warn',
  }),
  check('pattern_email', {
    check: 'pattern',
    column: 'email',
    regex: '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$',
    severity: 'warn',
  }),
  check('accepted_values_country_code', {
    check: 'accepted_values',
    column: 'country_code',
    values: ['DE', 'AT', 'FR', 'NL', 'BE', 'LU', 'GB', 'US'],
  }),
  check('not_null_ordered_at', { check: 'not_null', column: 'ordered_at' }),
  check('range_ordered_at', { check: 'range', column: 'ordered_at', min: '2020-01-01' }),
  check('freshness_ordered_at', { check: 'freshness', column: 'ordered_at', maxAge: '3650d' }),
  check('enough_orders', { check: 'row_count', min: 1_000_000 }),
  check('discount_within_amount', {
    check: 'sql',
    query: 'select * from {{ this }} where discount > amount',
    severity: 'warn',
  }),
  check('accepted_values_sales_channel', {
    check: 'accepted_values',
    column: 'sales_channel',
    values: ['web', 'mobile_app', 'marketplace'],
  }),
];

/** The same 20 checks as a person would fuse them by hand: failing-row counts in one statement. */
export const HAND_WRITTEN = `
SELECT
  count(*) AS row_count,
  count(*) FILTER (WHERE order_id IS NULL) AS null_order_id,
  count(order_id) - count(DISTINCT order_id) AS duplicate_order_id,
  count(*) FILTER (WHERE customer_id IS NULL) AS null_customer_id,
  count(*) FILTER (WHERE customer_id NOT IN (SELECT customer_id FROM bench.customers)) AS unknown_customer,
  count(*) FILTER (WHERE product_id NOT IN (SELECT product_id FROM bench.products)) AS unknown_product,
  count(*) FILTER (WHERE status IS NULL) AS null_status,
  count(*) FILTER (WHERE status NOT IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')) AS bad_status,
  count(*) FILTER (WHERE NOT regexp_full_match(currency_code, '^[A-Z]{3}$')) AS bad_currency,
  count(*) FILTER (WHERE amount < 0 OR amount > 10000) AS bad_amount,
  count(*) FILTER (WHERE discount < 0) AS bad_discount,
  count(*) FILTER (WHERE quantity < 1 OR quantity > 100) AS bad_quantity,
  count(*) FILTER (WHERE email IS NULL OR email = '') AS missing_email,
  count(*) FILTER (WHERE NOT regexp_full_match(email, '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$')) AS bad_email,
  count(*) FILTER (WHERE country_code NOT IN ('DE', 'AT', 'FR', 'NL', 'BE', 'LU', 'GB', 'US')) AS bad_country,
  count(*) FILTER (WHERE ordered_at IS NULL) AS null_ordered_at,
  count(*) FILTER (WHERE ordered_at < '2020-01-01') AS early_ordered_at,
  max(ordered_at) AS newest_ordered_at,
  count(*) FILTER (WHERE discount > amount) AS discount_over_amount,
  count(*) FILTER (WHERE sales_channel NOT IN ('web', 'mobile_app', 'marketplace')) AS bad_channel
FROM bench.orders`;
