// The table every check-kind test runs over: five rows with one problem of each kind, a reference
// table, and one passing and one failing rule per kind with the rows the failing one must find.
import type { QualityCheck } from '@pipectl/spec';
import type { Warehouse } from '../../src/index.js';
import { rule } from '../helpers/temp-warehouse.js';

export const NOW = new Date('2024-06-01T12:00:00Z');

export async function createCheckTable(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`
    CREATE SCHEMA IF NOT EXISTS sales;
    CREATE OR REPLACE TABLE sales.items AS SELECT * FROM (VALUES
      (1, 'a',  10.00,   'x@example.com', TIMESTAMP '2024-06-01 11:00:00', NULL, 'eu'),
      (2, 'b',  20.00,   'y@example.com', TIMESTAMP '2024-06-01 09:00:00', 1,    'eu'),
      (3, 'a',  -5.00,   'bad',           TIMESTAMP '2024-05-30 12:00:00', 9,    'eu'),
      (4, NULL, NULL,    '',              TIMESTAMP '2024-05-01 00:00:00', 2,    'us'),
      (5, 'z',  2000.00, NULL,            NULL,                            NULL, 'us')
    ) AS v(id, code, amount, email, updated_at, parent_id, region);
    CREATE OR REPLACE TABLE sales.parents AS SELECT range::INTEGER AS id FROM range(1, 6);
  `);
}

export interface KindCase {
  readonly kind: string;
  readonly passing: QualityCheck;
  readonly failing: QualityCheck;
  /** Ids of the rows the failing rule finds (row checks), in sample order. */
  readonly failingIds?: readonly number[];
  /** What a relation check observes when it fails. */
  readonly observed?: string;
}

export const KIND_CASES: readonly KindCase[] = [
  {
    kind: 'not_null',
    passing: rule({ check: 'not_null', column: 'id' }),
    failing: rule({ check: 'not_null', column: 'code' }),
    failingIds: [4],
  },
  {
    kind: 'unique',
    passing: rule({ check: 'unique', column: 'id' }),
    failing: rule({ check: 'unique', column: 'code' }),
    failingIds: [1, 3],
  },
  {
    kind: 'unique (columns)',
    passing: rule({ name: 'unique_pair_ok', check: 'unique', columns: ['region', 'id'] }),
    failing: rule({ name: 'unique_pair', check: 'unique', columns: ['code', 'region'] }),
    failingIds: [1, 3],
  },
  {
    kind: 'accepted_values',
    passing: rule({ check: 'accepted_values', column: 'code', values: ['a', 'b', 'z'] }),
    failing: rule({ check: 'accepted_values', column: 'code', values: ['a', 'b'] }),
    failingIds: [5],
  },
  {
    kind: 'range',
    passing: rule({ check: 'range', column: 'amount', min: -10, max: 5000 }),
    failing: rule({ check: 'range', column: 'amount', min: 0, max: 1000 }),
    failingIds: [3, 5],
  },
  {
    kind: 'range (exclusive)',
    passing: rule({
      name: 'range_exclusive_ok',
      check: 'range',
      column: 'amount',
      min: -6,
      max: 2001,
      exclusive: true,
    }),
    failing: rule({
      name: 'range_exclusive',
      check: 'range',
      column: 'amount',
      min: 10,
      max: 2000,
      exclusive: true,
    }),
    failingIds: [1, 3, 5],
  },
  {
    kind: 'range (timestamps)',
    passing: rule({ name: 'range_time_ok', check: 'range', column: 'updated_at', min: '2024-01-01' }),
    failing: rule({ name: 'range_time', check: 'range', column: 'updated_at', min: '2024-05-31' }),
    failingIds: [3, 4],
  },
  {
    kind: 'pattern',
    passing: rule({ check: 'pattern', column: 'email', regex: '.*' }),
    failing: rule({ check: 'pattern', column: 'email', regex: '^[a-z]+@example\\.com$' }),
    failingIds: [3, 4],
  },
  {
    kind: 'missing_count',
    passing: rule({ check: 'missing_count', column: 'id', missingValues: ['', '0'] }),
    failing: rule({ check: 'missing_count', column: 'email' }),
    failingIds: [4, 5],
  },
  {
    kind: 'relationships',
    passing: rule({ check: 'relationships', column: 'id', to: 'sales.parents.id' }),
    failing: rule({ check: 'relationships', column: 'parent_id', to: 'sales.parents.id' }),
    failingIds: [3],
  },
  {
    kind: 'row_count',
    passing: rule({ check: 'row_count', name: 'rows_ok', min: 1, max: 5 }),
    failing: rule({ check: 'row_count', name: 'rows_enough', min: 10 }),
    observed: '5 rows',
  },
  {
    kind: 'freshness',
    passing: rule({ check: 'freshness', name: 'fresh_ok', column: 'updated_at', maxAge: '2h' }),
    failing: rule({ check: 'freshness', name: 'fresh', column: 'updated_at', maxAge: '30m' }),
    observed: 'newest 2024-06-01T11:00:00.000Z (1h old)',
  },
  {
    kind: 'sql',
    passing: rule({ check: 'sql', name: 'no_huge', query: 'select * from {{ this }} where amount > 100000' }),
    failing: rule({ check: 'sql', name: 'no_negative', query: 'select * from {{this}} where amount < 0' }),
    failingIds: [3],
  },
];
