// `verifyDataset`: a contract's checks against data already in a warehouse, read-only. On the
// embedded DuckDB file (opened READ_ONLY), on a DuckLake with a local catalog (attached READ_ONLY),
// on a DuckDB file attached READ_ONLY, and on a real PostgreSQL table read in a READ ONLY
// transaction by a role that may only SELECT. Schema drift is reported first as failing checks;
// nothing is written anywhere (file bytes, snapshots, PostgreSQL rows unchanged).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Contract, parseDocument } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  copyPostgresTable,
  openDuckdbFileReadOnly,
  openTargetReadOnly,
  openWarehouse,
  type VerifyReport,
  verifyDataset,
  type Warehouse,
  WarehouseError,
} from '../../src/index.js';
import { openLakehouse } from '../../src/warehouse/lakehouse.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const CONTRACT = `
apiVersion: pipectl/v1
kind: Contract
name: sales.orders
version: 1.0.0
owner: sales-data@example.com
columns:
  - name: order_id
    type: bigint
    primaryKey: true
  - name: status
    type: varchar
    nullable: false
    acceptedValues: [placed, shipped]
  - name: amount
    type: decimal(12,2)
    nullable: false
    min: 0
  - name: placed_at
    type: timestamp
quality:
  - name: has_orders
    check: row_count
    min: 1
  - name: no_lost_orders
    check: sql
    query: select * from {{ this }} where status = 'lost'
    onFail: quarantine
`;

function contractOf(text: string): Contract {
  const parsed = parseDocument('orders.contract.yaml', text);
  if (parsed.document?.kind !== 'Contract') throw new Error(parsed.issues.map((i) => i.message).join('; '));
  return parsed.document.value;
}

const contract = contractOf(CONTRACT);
const NOW = new Date('2026-12-01T00:00:00Z');

/** The good table, and one with a failing check and two drifted columns (amount VARCHAR, no placed_at). */
const GOOD = `
  CREATE SCHEMA IF NOT EXISTS sales;
  CREATE TABLE sales.orders AS SELECT * FROM (VALUES
    (1::BIGINT, 'placed', 10.50::DECIMAL(12,2), TIMESTAMP '2026-11-30 10:00:00'),
    (2::BIGINT, 'shipped', 20.00::DECIMAL(12,2), TIMESTAMP '2026-11-30 11:00:00')
  ) AS t(order_id, status, amount, placed_at);`;
const DRIFTED = `
  CREATE SCHEMA IF NOT EXISTS sales;
  CREATE TABLE sales.orders AS SELECT * FROM (VALUES
    (1::BIGINT, 'placed', '10.50', 'web'),
    (2::BIGINT, 'lost', '-3.00', 'shop')
  ) AS t(order_id, status, amount, channel);`;

const statuses = (report: VerifyReport) =>
  Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-verify-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function duckdbFile(name: string, sql: string): Promise<string> {
  const path = join(dir, name, 'warehouse.duckdb');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, name), { recursive: true });
  const warehouse = await openWarehouse(path);
  await warehouse.run(sql);
  warehouse.close();
  return path;
}

describe('on the embedded DuckDB file, opened read-only', () => {
  test('a table as its contract says passes every check', async () => {
    const path = await duckdbFile('good', GOOD);
    const warehouse = await openTargetReadOnly({ warehouse: { kind: 'duckdb', path } }, dir);
    try {
      const report = await verifyDataset(warehouse, { contract, now: NOW });
      expect(report.passed).toBe(true);
      expect(report.rowsChecked).toBe(2);
      expect(statuses(report)).toEqual({
        schema: 'pass',
        not_null_order_id: 'pass',
        unique_order_id: 'pass',
        not_null_status: 'pass',
        accepted_values_status: 'pass',
        not_null_amount: 'pass',
        range_amount: 'pass',
        has_orders: 'pass',
        no_lost_orders: 'pass',
      });
    } finally {
      warehouse.close();
    }
  });

  test('drift is reported first as failing checks, then the row checks fail; nothing is written', async () => {
    const path = await duckdbFile('drifted', DRIFTED);
    const before = sha(path);
    const warehouse = await openTargetReadOnly({ warehouse: { kind: 'duckdb', path } }, dir);
    try {
      const report = await verifyDataset(warehouse, { contract, now: NOW });
      expect(report.passed).toBe(false);
      expect(report.checks.slice(0, 3).map((c) => [c.id, c.status, c.blocking])).toEqual([
        ['schema_type_amount', 'fail', true],
        ['schema_missing_placed_at', 'fail', true],
        ['schema_extra_channel', 'fail', false],
      ]);
      const byId = new Map(report.checks.map((check) => [check.id, check]));
      expect(byId.get('schema_type_amount')?.message).toBe(
        'column "amount" is VARCHAR in "sales"."orders", decimal(12,2) in contract sales.orders',
      );
      expect(byId.get('accepted_values_status')).toMatchObject({
        status: 'fail',
        failingRows: 1,
        samples: [{ order_id: 2, status: 'lost', amount: '-3.00', channel: 'shop' }],
      });
      // A quarantine check judges only: the row stays where it is.
      expect(byId.get('no_lost_orders')).toMatchObject({ status: 'fail', failingRows: 1, blocking: true });
      expect(report.summary).toMatchObject({ failed: 4, warned: 1 });
      await expect(warehouse.run('DELETE FROM sales.orders')).rejects.toThrow(/read-only/);
      expect(await warehouse.all('SELECT count(*)::INTEGER AS n FROM sales.orders')).toEqual([{ n: 2 }]);
    } finally {
      warehouse.close();
    }
    expect(sha(path)).toBe(before);
  });

  test('a table that is not there is one failing check, not a crash', async () => {
    const path = await duckdbFile('empty', 'CREATE SCHEMA sales');
    const warehouse = await openTargetReadOnly({ warehouse: { kind: 'duckdb', path } }, dir);
    try {
      const report = await verifyDataset(warehouse, { contract, now: NOW });
      expect(report).toMatchObject({ exists: false, passed: false });
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([['schema_exists', 'fail']]);
    } finally {
      warehouse.close();
    }
  });

  test('sql checks stay in the sandbox: a query reading a file outside it is refused', async () => {
    const path = await duckdbFile('sandbox', GOOD);
    const warehouse = await openTargetReadOnly({ warehouse: { kind: 'duckdb', path } }, dir);
    try {
      const snooping = contractOf(
        `${CONTRACT}\n  - name: snoop\n    check: sql\n    query: select * from read_csv('/etc/passwd')\n`,
      );
      const report = await verifyDataset(warehouse, { contract: snooping, now: NOW });
      const snoop = report.checks.find((check) => check.id === 'snoop');
      expect(snoop).toMatchObject({ status: 'error', blocking: true });
      expect(snoop?.message).toMatch(/Permission Error/);
    } finally {
      warehouse.close();
    }
  });

  test('a file another process is writing is a clear PIPE5215 naming it, not a crash', async () => {
    const path = await duckdbFile('locked', GOOD);
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const db = await DuckDBInstance.create(${JSON.stringify(path)});
         await db.connect();
         console.log('holding');
         setInterval(() => {}, 1000);`,
      ],
      { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: holder.stdout });
      for await (const line of lines) if (line === 'holding') break;
      const error = await openTargetReadOnly({ warehouse: { kind: 'duckdb', path } }, dir).then(
        (w) => {
          w.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WarehouseError);
      expect(error).toMatchObject({ code: 'PIPE5215' });
      expect((error as Error).message).toContain(`(PID ${holder.pid})`);
    } finally {
      holder.kill();
    }
  });

  test('a warehouse never published is PIPE5216, and the file is not created', async () => {
    const path = join(dir, 'never', 'warehouse.duckdb');
    await expect(openTargetReadOnly({ warehouse: { kind: 'duckdb', path } }, dir)).rejects.toMatchObject({
      code: 'PIPE5216',
    });
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('on a DuckLake with a local catalog, attached read-only', () => {
  test('verifies the published table without making a snapshot', async () => {
    const catalog = join(dir, 'lake', 'lake.ducklake');
    const dataPath = join(dir, 'lake', 'data');
    const writer = await openLakehouse({ catalog, dataPath });
    await writer.run(DRIFTED);
    writer.close();
    const catalogBytes = sha(catalog);
    const target = { warehouse: { kind: 'ducklake' as const, catalog, dataPath } };
    const warehouse = await openTargetReadOnly(target, dir);
    let snapshots: unknown;
    try {
      snapshots = await warehouse.all('SELECT count(*)::INTEGER AS n FROM lake.snapshots()');
      const report = await verifyDataset(warehouse, { contract, now: NOW });
      expect(report.passed).toBe(false);
      expect(statuses(report)).toMatchObject({
        schema_type_amount: 'fail',
        schema_missing_placed_at: 'fail',
        accepted_values_status: 'fail',
        no_lost_orders: 'fail',
        unique_order_id: 'pass',
      });
      await expect(warehouse.run('DELETE FROM sales.orders')).rejects.toThrow(/read-only/);
      expect(await warehouse.all('SELECT count(*)::INTEGER AS n FROM lake.snapshots()')).toEqual(snapshots);
    } finally {
      warehouse.close();
    }
    expect(sha(catalog)).toBe(catalogBytes);
  });
});

describe('on a DuckDB file named on the command line, attached read-only', () => {
  test('reads schema.table of the file and refuses writes', async () => {
    const path = await duckdbFile('attached', GOOD);
    const before = sha(path);
    const warehouse = await openDuckdbFileReadOnly(path);
    try {
      const report = await verifyDataset(warehouse, { contract, now: NOW });
      expect(report.passed).toBe(true);
      await expect(warehouse.run('DROP TABLE sales.orders')).rejects.toThrow(/read-only/);
    } finally {
      warehouse.close();
    }
    expect(sha(path)).toBe(before);
    await expect(openDuckdbFileReadOnly(join(dir, 'nope.duckdb'))).rejects.toMatchObject({
      code: 'PIPE5217',
    });
  });
});

describe('on a real PostgreSQL table, read in a READ ONLY transaction', () => {
  let pg: TestPostgres;
  let readerUrl: string;
  beforeAll(async () => {
    pg = await startPostgres();
    await pg.sql(`
      CREATE SCHEMA sales;
      CREATE TABLE sales.orders (order_id bigint PRIMARY KEY, status text NOT NULL,
                                 amount numeric(12,2) NOT NULL, placed_at timestamp);
      INSERT INTO sales.orders VALUES (1, 'placed', 10.50, '2026-11-30 10:00'), (2, 'shipped', 20, NULL);
      CREATE SCHEMA shop;
      CREATE TABLE shop.orders (order_id bigint, status text, amount text, channel text);
      INSERT INTO shop.orders VALUES (1, 'placed', '10.50', 'web'), (2, 'lost', '-3.00', 'shop');
      CREATE ROLE reader LOGIN PASSWORD 'reader-secret';
      GRANT USAGE ON SCHEMA sales, shop TO reader;
      GRANT SELECT ON ALL TABLES IN SCHEMA sales, shop TO reader;
    `);
    readerUrl = `postgres://reader:reader-secret@${pg.host}:${pg.port}/${pg.database}`;
  }, 120_000);
  afterAll(async () => pg?.stop());

  async function verifyTable(table: string, url = readerUrl) {
    const warehouse: Warehouse = await openWarehouse(':memory:');
    try {
      const copy = await copyPostgresTable(warehouse, { url, table, contract });
      const report = await verifyDataset(warehouse, { contract, relation: copy.relation, now: NOW });
      return { copy, report };
    } finally {
      warehouse.close();
    }
  }

  test('a table as its contract says passes, read by a role that may only SELECT', async () => {
    const { copy, report } = await verifyTable('sales.orders');
    expect(copy).toMatchObject({ exists: true, rows: 2, server: `${pg.host}:${pg.port}/${pg.database}` });
    expect(report.passed).toBe(true);
    expect(report.checks.every((check) => check.status === 'pass')).toBe(true);
  });

  test('drift and a failing check are failing checks; the table is unchanged', async () => {
    const before = await pg.sql('SELECT * FROM shop.orders ORDER BY order_id');
    const { report } = await verifyTable('shop.orders');
    expect(report.passed).toBe(false);
    expect(report.checks.slice(0, 3).map((c) => c.id)).toEqual([
      'schema_type_amount',
      'schema_missing_placed_at',
      'schema_extra_channel',
    ]);
    expect(statuses(report)).toMatchObject({ accepted_values_status: 'fail', unique_order_id: 'pass' });
    expect(await pg.sql('SELECT * FROM shop.orders ORDER BY order_id')).toEqual(before);
  });

  test('a DuckLake whose catalog is in PostgreSQL is attached READ_ONLY too: no snapshot is made', async () => {
    await pg.createDatabase('lake_catalog');
    const catalog = pg.catalogOf('lake_catalog');
    const dataPath = join(dir, 'pg-lake');
    const writer = await openLakehouse({ catalog, dataPath });
    await writer.run(GOOD);
    writer.close();
    const warehouse = await openTargetReadOnly({ warehouse: { kind: 'ducklake', catalog, dataPath } }, dir);
    try {
      const count = 'SELECT count(*)::INTEGER AS n FROM lake.snapshots()';
      const snapshots = await warehouse.all(count);
      expect((await verifyDataset(warehouse, { contract, now: NOW })).passed).toBe(true);
      await expect(warehouse.run('DELETE FROM sales.orders')).rejects.toThrow(/read-only/);
      expect(await warehouse.all(count)).toEqual(snapshots);
    } finally {
      warehouse.close();
    }
  });

  test('a table the server lacks is the failing schema_exists check', async () => {
    const { copy, report } = await verifyTable('sales.nothing_here');
    expect(copy.exists).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual(['schema_exists']);
  });

  test("a table the role may not read is PIPE5217 with the server's reason", async () => {
    await pg.sql('CREATE SCHEMA secret; CREATE TABLE secret.orders (order_id bigint)');
    const error = await verifyTable('secret.orders').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PIPE5217' });
    expect((error as Error).message).toMatch(/permission denied for schema secret/);
  });

  test('a refused login is PIPE5217 with the server, never the password', async () => {
    const url = `postgres://reader:wrong@${pg.host}:${pg.port}/${pg.database}`;
    const error = await verifyTable('sales.orders', url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PIPE5217' });
    expect((error as Error).message).toContain(`${pg.host}:${pg.port}/${pg.database}`);
    expect((error as Error).message).not.toContain('wrong@');
  });
});
