// Check, then commit: a source is staged in the connection's temporary storage, its contract's
// checks run there, and only rows that passed reach raw.* (with the incremental cursor, in one
// transaction). A refused extract leaves the target, the cursor and the registry as they were,
// so fixing the rows upstream lands them on the next run; a retry after a crash lands once.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Contract, parseDocument, type Source } from '@pipectl/spec';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { readExtractState } from '../../src/extract/extract-state.js';
import { commitStagedSource, landSource, runPipeline, stageSource, type Warehouse } from '../../src/index.js';
import { REGISTRY_TABLE } from '../../src/registry/published-versions.js';
import type { LandSourceInput } from '../../src/steps/land-source.js';
import type { PipelineToRun } from '../../src/steps/run-pipeline.js';
import { openShop, type Shop } from '../extract/shop-fixture.js';
import { rowsOf, rule } from '../helpers/temp-warehouse.js';
import type { TestPostgres } from '../support/postgres.js';
import { sharedPostgres, type WarehouseKindFixture, warehouseKinds } from '../support/warehouse-kinds.js';

let shop: Shop;
let pg: TestPostgres;
let db: { warehouse: Warehouse; reopen(): Promise<void>; close(): void };
let opened = 0;

/** A fresh warehouse inside the shop project (so the sandbox lets it read the project's files). */
async function freshWarehouse(kind: WarehouseKindFixture): Promise<typeof db> {
  opened += 1;
  const dir = join(shop.projectDir, `land-${opened}`);
  await mkdir(dir, { recursive: true });
  const created = await kind.create(dir);
  const open = () => created.open([shop.projectDir]);
  let warehouse = await open();
  return {
    get warehouse() {
      return warehouse;
    },
    // A new process, as far as DuckDB knows: the connection's temporary storage is gone.
    async reopen() {
      warehouse.close();
      warehouse = await open();
    },
    close: () => warehouse.close(),
  };
}

const kinds = warehouseKinds();
beforeAll(async () => {
  // One PostgreSQL server: the source system, and the lake catalogs' databases.
  [shop, pg] = await Promise.all([openShop(), sharedPostgres()]);
});
afterAll(async () => {
  db?.close();
  await shop?.close();
});

/** Lands a source of the shop fixture (or the one given) into `db`, as a run of pipeline `shop`. */
function land(source: Source, contract: Contract, runId: string, extra: Partial<LandSourceInput> = {}) {
  return landSource({
    warehouse: db.warehouse,
    projectDir: shop.projectDir,
    pipeline: 'shop',
    source,
    contract,
    target: contract.name,
    runId,
    env: { PIPECTL_TEST_PG_URL: pg.url },
    ...extra,
  });
}

const rows = (sql: string) => rowsOf(db.warehouse, sql);

function contractFrom(yaml: string): Contract {
  const parsed = parseDocument('inline.contract.yaml', yaml);
  if (parsed.document?.kind !== 'Contract') throw new Error(JSON.stringify(parsed.issues));
  return parsed.document.value;
}

/** raw.orders, with the statuses the shop knows. */
const strictOrders = (): Contract => {
  const orders = shop.contract('raw.orders');
  return {
    ...orders,
    columns: orders.columns.map((c) =>
      c.name === 'status' ? { ...c, acceptedValues: ['paid', 'open'] } : c,
    ),
  };
};

async function writeProjectFile(path: string, text: string) {
  await mkdir(join(shop.projectDir, path, '..'), { recursive: true });
  await writeFile(join(shop.projectDir, path), text);
}

const ORDERS_HEADER = 'order_id,customer_id,amount,status,order_date,ordered_at\n';

describe.each(kinds)('on a $name', (kind) => {
  beforeEach(async () => {
    db?.close();
    db = await freshWarehouse(kind);
  });

  describe('a full-replace source', () => {
    const orders = (): Source =>
      ({ ...shop.source('orders'), name: 'orders_today', path: 'data/today.csv' }) as Source;

    test('whose check fails leaves raw and the registry as they were, and lands once fixed', async () => {
      await writeProjectFile(
        'data/today.csv',
        `${ORDERS_HEADER}1,10,19.90,paid,2024-01-03,2024-01-03 09:15:00\n`,
      );
      const pipeline: PipelineToRun = {
        name: 'shop',
        sources: [orders()],
        steps: [
          {
            name: 'stg_orders',
            produces: 'staging.orders',
            materialized: 'table',
            sql: 'select * from "raw"."orders"',
            gates: [],
          },
        ],
      };
      const contract = strictOrders();
      const contracts = new Map([
        [contract.name, contract],
        ['staging.orders', { ...contract, name: 'staging.orders' }],
      ]);
      const run = (runId: string) =>
        runPipeline(db.warehouse, { pipeline, contracts, runId, projectDir: shop.projectDir });

      expect((await run('run-1')).passed).toBe(true);
      const raw = await rows('SELECT * FROM raw.orders ORDER BY order_id');
      const registry = await rows(`SELECT * FROM ${REGISTRY_TABLE} ORDER BY published_at`);
      expect(raw).toHaveLength(1);
      expect(registry).toHaveLength(1);

      await writeProjectFile(
        'data/today.csv',
        `${ORDERS_HEADER}1,10,19.90,paid,2024-01-03,2024-01-03 09:15:00\n2,11,5.00,refunded,2024-01-04,2024-01-04 17:40:12\n`,
      );
      const refused = await run('run-2');
      expect(refused.passed).toBe(false);
      const [landed] = refused.sources;
      expect(landed).toMatchObject({ status: 'failed', extract: { rowsWritten: 2 } });
      const failing = landed?.quality?.checks.filter((c) => c.status === 'fail');
      expect(failing?.map((c) => [c.id, c.observed, c.samples])).toEqual([
        [
          'accepted_values_status',
          '1 failing of 2 rows (50%)',
          [expect.objectContaining({ order_id: 2, status: 'refunded' })],
        ],
      ]);
      expect(refused.steps.map((s) => [s.name, s.status])).toEqual([['stg_orders', 'skipped']]);
      expect(await rows('SELECT * FROM raw.orders ORDER BY order_id')).toEqual(raw);
      expect(await rows(`SELECT * FROM ${REGISTRY_TABLE} ORDER BY published_at`)).toEqual(registry);
      expect(await rows('SELECT count(*) AS n FROM duckdb_tables() WHERE temporary')).toEqual([{ n: 0 }]);
      expect(await rows('SELECT count(*) AS n FROM duckdb_views() WHERE temporary AND NOT internal')).toEqual(
        [{ n: 0 }],
      );

      await writeProjectFile(
        'data/today.csv',
        `${ORDERS_HEADER}1,10,19.90,paid,2024-01-03,2024-01-03 09:15:00\n2,11,5.00,paid,2024-01-04,2024-01-04 17:40:12\n`,
      );
      expect((await run('run-3')).passed).toBe(true);
      expect(await rows('SELECT order_id, status FROM raw.orders ORDER BY order_id')).toEqual([
        { order_id: 1, status: 'paid' },
        { order_id: 2, status: 'paid' },
      ]);
    });

    test('keeps the records it rejected as evidence when its checks refuse the rest', async () => {
      const customers = shop.contract('raw.customers');
      const strict: Contract = { ...customers, quality: [rule({ check: 'row_count', min: 100 })] };
      const landed = await land(shop.source('customers'), strict, 'run-evidence');
      expect(landed).toMatchObject({ committed: false, quality: { passed: false } });
      expect(
        await rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'raw'"),
      ).toEqual([{ n: 0 }]);
      const kept = await rows(
        "SELECT origin, position FROM _pipectl.quarantine WHERE run_id = 'run-evidence' ORDER BY position",
      );
      expect(kept.map((r) => r.position)).toEqual([
        'data/customers/customers.ndjson:3',
        'data/customers/customers.ndjson:4',
        'data/customers/customers.ndjson:6',
        'data/customers/customers.ndjson:7',
      ]);
      // A retry of the same run replaces its evidence instead of adding to it.
      await land(shop.source('customers'), strict, 'run-evidence');
      expect(
        await rows("SELECT count(*) AS n FROM _pipectl.quarantine WHERE run_id = 'run-evidence'"),
      ).toEqual([{ n: 4 }]);
    });
  });

  describe('a Parquet source', () => {
    const events = (): Source =>
      ({ ...shop.source('events'), name: 'events_today', path: 'data/today/*.parquet' }) as Source;
    const write = async (select: string) => {
      await mkdir(join(shop.projectDir, 'data/today'), { recursive: true });
      await db.warehouse.run(
        `COPY (${select}) TO '${join(shop.projectDir, 'data/today/events.parquet')}' (FORMAT parquet)`,
      );
    };
    const select = (kinds: string) =>
      `SELECT i::BIGINT AS event_id, [${kinds}][i + 1] AS kind, i * 1.5 AS value,
              TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(i::BIGINT) AS happened_at
       FROM range(3) t(i)`;

    test('is checked in place, through a view over its files, and copied once when it passes', async () => {
      const strict: Contract = {
        ...shop.contract('raw.events'),
        quality: [rule({ check: 'accepted_values', column: 'kind', values: ['click', 'view'] })],
      };
      await write(select("'click', 'view', 'click'"));
      const passed = await land(events(), strict, 'run-1');
      expect(passed).toMatchObject({ committed: true, extract: { rowsRead: 3, rowsWritten: 3 } });
      expect(await rows('SELECT count(*) AS n FROM raw.events')).toEqual([{ n: 3 }]);

      await write(select("'click', 'hover', 'click'"));
      const refused = await land(events(), strict, 'run-2');
      expect(refused).toMatchObject({ committed: false, quality: { passed: false } });
      expect(refused.quality.checks.find((c) => c.status === 'fail')?.samples).toEqual([
        expect.objectContaining({ event_id: 1, kind: 'hover' }),
      ]);
      expect(await rows('SELECT kind FROM raw.events ORDER BY event_id')).toEqual([
        { kind: 'click' },
        { kind: 'view' },
        { kind: 'click' },
      ]);
    });

    test('on a scratch warehouse, stays a view over the checked files instead of being copied', async () => {
      const strict: Contract = {
        ...shop.contract('raw.events'),
        quality: [rule({ check: 'accepted_values', column: 'kind', values: ['click', 'view'] })],
      };
      await write(select("'click', 'view', 'click'"));
      const passed = await land(events(), strict, 'run-1', { publishInPlace: true });
      expect(passed).toMatchObject({ committed: true, extract: { rowsRead: 3, rowsWritten: 3 } });
      expect(await rows('SELECT kind FROM raw.events ORDER BY event_id')).toEqual([
        { kind: 'click' },
        { kind: 'view' },
        { kind: 'click' },
      ]);
      expect(
        await rows(
          "SELECT table_type AS type FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'events' AND table_catalog = current_database()",
        ),
      ).toEqual([{ type: 'VIEW' }]);

      await write(select("'click', 'hover', 'click'"));
      const refused = await land(events(), strict, 'run-2', { publishInPlace: true });
      expect(refused).toMatchObject({ committed: false, quality: { passed: false } });
    });

    test('rewritten between its check and its commit is refused, and nothing lands', async () => {
      const strict = shop.contract('raw.events');
      await write(select("'click', 'view', 'click'"));
      await land(events(), strict, 'run-1');
      const staged = await stageSource({
        warehouse: db.warehouse,
        projectDir: shop.projectDir,
        pipeline: 'shop',
        source: events(),
        contract: strict,
        target: strict.name,
        runId: 'run-2',
        inPlace: true,
      });
      await write(`${select("'hover', 'hover', 'hover'")} UNION ALL SELECT 9, 'hover', 1, now()`);
      const error = await commitStagedSource(db.warehouse, staged).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'PIPE5102',
        retryable: true,
        message: 'source "events_today": "data/today/events.parquet" changed while the run was checking it',
      });
      expect(await rows('SELECT kind FROM raw.events ORDER BY event_id')).toEqual([
        { kind: 'click' },
        { kind: 'view' },
        { kind: 'click' },
      ]);
    });

    test('with a quarantining check is staged as a table, and lands what remains', async () => {
      const quarantining: Contract = {
        ...shop.contract('raw.events'),
        quality: [
          rule({ check: 'accepted_values', column: 'kind', values: ['click', 'view'], onFail: 'quarantine' }),
        ],
      };
      await write(select("'click', 'hover', 'view'"));
      const landed = await land(events(), quarantining, 'run-q');
      expect(landed).toMatchObject({ committed: true, quality: { passed: true, rowsQuarantined: 1 } });
      expect(landed.extract.rowsWritten).toBe(2);
      expect(await rows('SELECT kind FROM raw.events ORDER BY event_id')).toEqual([
        { kind: 'click' },
        { kind: 'view' },
      ]);
      expect(await rows("SELECT origin FROM _pipectl.quarantine WHERE run_id = 'run-q'")).toEqual([
        { origin: 'check:accepted_values_kind' },
      ]);
    });
  });

  describe('an incremental PostgreSQL source', () => {
    const payments = contractFrom(`
  apiVersion: pipectl/v1
  kind: Contract
  name: raw.payments
  version: 1.0.0
  owner: billing@example.com
  columns:
    - name: payment_id
      type: bigint
      primaryKey: true
    - name: status
      type: varchar
      acceptedValues: [paid, open]
    - name: updated_at
      type: timestamptz
  `);
    const source = (): Source =>
      ({
        name: 'payments',
        kind: 'postgres',
        contract: 'raw.payments',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: pipectl's own ${VAR} syntax, expanded from env.
        url: '${PIPECTL_TEST_PG_URL}',
        table: 'public.payments',
        incremental: { cursor: 'updated_at' },
        batchSize: 2,
      }) as Source;
    const insert = (from: number, to: number, status = 'paid') =>
      pg.sql(
        `INSERT INTO public.payments
         SELECT i, $1, TIMESTAMPTZ '2024-01-01 00:00:00+00' + i * INTERVAL '1 hour' FROM generate_series($2::int, $3::int) AS i`,
        [status, from, to],
      );
    const state = () => readExtractState(db.warehouse, 'shop', 'payments');
    const landed = () => rows('SELECT payment_id, status FROM raw.payments ORDER BY payment_id');

    beforeEach(async () => {
      await pg.sql(
        'DROP TABLE IF EXISTS public.payments; CREATE TABLE public.payments (payment_id bigint PRIMARY KEY, status text, updated_at timestamptz NOT NULL)',
      );
    });

    test('whose check fails leaves raw and the cursor as they were; the fixed row lands next run', async () => {
      await insert(1, 3);
      const first = await land(source(), payments, 'run-1');
      expect(first).toMatchObject({ committed: true, extract: { rowsWritten: 3, mode: 'append' } });
      const cursor = await state();
      expect(cursor).toMatchObject({ cursorValue: '2024-01-01 03:00:00+00', runId: 'run-1' });

      await insert(4, 4);
      await insert(5, 5, 'bogus');
      const refused = await land(source(), payments, 'run-2');
      expect(refused).toMatchObject({
        committed: false,
        quality: { passed: false },
        extract: {
          rowsRead: 2,
          cursor: { before: '2024-01-01 03:00:00+00', after: '2024-01-01 05:00:00+00' },
        },
      });
      expect(await state()).toEqual(cursor);
      expect(await landed()).toHaveLength(3);

      // Every later run refuses the same rows, until they are fixed upstream.
      expect(await land(source(), payments, 'run-3')).toMatchObject({ committed: false });
      await pg.sql("UPDATE public.payments SET status = 'paid' WHERE status = 'bogus'");
      const fixed = await land(source(), payments, 'run-4');
      expect(fixed).toMatchObject({ committed: true, extract: { rowsRead: 2, rowsWritten: 2 } });
      expect(await landed()).toEqual([1, 2, 3, 4, 5].map((id) => ({ payment_id: id, status: 'paid' })));
      expect(await state()).toMatchObject({ cursorValue: '2024-01-01 05:00:00+00', runId: 'run-4' });
    });

    test('commits its rows and its cursor together, or neither', async () => {
      await insert(1, 2);
      // A state table that refuses the cursor (run ids are not UUIDs): the commit fails after the
      // rows were inserted. (No CHECK constraint: DuckLake has none, and DEFAULTs must be literals.)
      await db.warehouse.run(`
        CREATE SCHEMA _pipectl;
        CREATE TABLE _pipectl.extract_state (
          pipeline VARCHAR NOT NULL, source VARCHAR NOT NULL, cursor_value VARCHAR,
          run_id UUID NOT NULL, updated_at TIMESTAMP NOT NULL, cursor_column VARCHAR)`);
      const error = await land(source(), payments, 'doomed').catch((e: unknown) => e);
      expect(String(error)).toMatch(/Conversion Error/);
      expect(
        await rows(
          "SELECT count(*) AS n FROM information_schema.tables WHERE table_catalog = current_database() AND table_name = 'payments'",
        ),
      ).toEqual([{ n: 0 }]);
      expect(await state()).toBeUndefined();
      await db.warehouse.run('DROP TABLE _pipectl.extract_state');

      const landedNow = await land(source(), payments, 'run-ok');
      expect(landedNow).toMatchObject({ committed: true, extract: { rowsWritten: 2 } });
      expect(await state()).toMatchObject({ cursorValue: '2024-01-01 02:00:00+00', runId: 'run-ok' });
    });

    test('retried after a crash between staging and commit lands its rows once', async () => {
      await insert(1, 4);
      await land(source(), payments, 'run-1');
      await insert(5, 6);
      // The worker stages run-2, then dies before committing: its temporary storage dies with it.
      const staged = await stageSource({
        warehouse: db.warehouse,
        projectDir: shop.projectDir,
        pipeline: 'shop',
        source: source(),
        contract: payments,
        target: payments.name,
        runId: 'run-2',
        env: { PIPECTL_TEST_PG_URL: pg.url },
      });
      expect(staged.outcome.rowsWritten).toBe(2);
      await db.reopen();
      expect(await landed()).toHaveLength(4);
      expect(await state()).toMatchObject({ runId: 'run-1' });

      expect(await land(source(), payments, 'run-2')).toMatchObject({
        committed: true,
        extract: { rowsWritten: 2 },
      });
      // And a retry after the commit (the worker died before reporting) finds nothing new.
      expect(await land(source(), payments, 'run-2')).toMatchObject({
        committed: true,
        extract: { rowsWritten: 0 },
      });
      expect(await landed()).toEqual([1, 2, 3, 4, 5, 6].map((id) => ({ payment_id: id, status: 'paid' })));
      expect(await state()).toMatchObject({ cursorValue: '2024-01-01 06:00:00+00', runId: 'run-2' });
    });
  });

  describe('a JSON source retried after a crash between staging and commit', () => {
    test('quarantines its rejected records once', async () => {
      const customers = shop.contract('raw.customers');
      const stage = () =>
        stageSource({
          warehouse: db.warehouse,
          projectDir: shop.projectDir,
          pipeline: 'shop',
          source: shop.source('customers'),
          contract: customers,
          target: customers.name,
          runId: 'run-1',
        });
      await stage();
      await db.reopen();
      expect(await rows('SELECT count(*) AS n FROM _pipectl.quarantine')).toEqual([{ n: 0 }]);
      await land(shop.source('customers'), customers, 'run-1');
      await land(shop.source('customers'), customers, 'run-1');
      expect(await rows('SELECT count(*) AS n FROM raw.customers')).toEqual([{ n: 3 }]);
      expect(await rows('SELECT count(*) AS n FROM _pipectl.quarantine')).toEqual([{ n: 4 }]);
    });
  });
});
