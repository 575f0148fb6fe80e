// The kinds of warehouse the engine runs on, as a test fixture: `describe.each(warehouseKinds())`
// runs the same behaviour tests on the embedded DuckDB file and on a DuckLake lakehouse whose
// catalog is a real PostgreSQL database (a fresh database per warehouse, on one throwaway server
// per test file, started on first use and stopped after the file's tests).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openWarehouse, type Warehouse } from '../../src/index.js';
import { openLakehouse } from '../../src/warehouse/lakehouse.js';
import { startPostgres, type TestPostgres } from './postgres.js';

export interface WarehouseKindFixture {
  /** How the kind reads in test names: `duckdb file`, `ducklake on PostgreSQL`. */
  readonly name: string;
  readonly kind: 'duckdb' | 'ducklake';
  /**
   * A fresh, empty warehouse whose files live in `dir`; `open` opens it (again), as a new process
   * would, reading `readable` besides its own files.
   */
  create(dir: string): Promise<{ open(readable?: readonly string[]): Promise<Warehouse> }>;
}

let server: Promise<TestPostgres> | undefined;

/** The file's PostgreSQL server, started on first use. */
export function sharedPostgres(): Promise<TestPostgres> {
  server ??= startPostgres();
  return server;
}

/** A new empty database on the shared server, as a DuckLake catalog string. */
export async function newPostgresCatalog(): Promise<string> {
  const pg = await sharedPostgres();
  const database = `lake_${randomBytes(6).toString('hex')}`;
  await pg.sql(`CREATE DATABASE ${database}`);
  return `postgres:host=${pg.host} port=${pg.port} user=${pg.user} password=${pg.password} dbname=${database}`;
}

export const DUCKDB_FILE: WarehouseKindFixture = {
  name: 'duckdb file',
  kind: 'duckdb',
  async create(dir) {
    const path = join(dir, 'warehouse.duckdb');
    return { open: (readable = []) => openWarehouse(path, { readable }) };
  },
};

export const DUCKLAKE_POSTGRES: WarehouseKindFixture = {
  name: 'ducklake on PostgreSQL',
  kind: 'ducklake',
  async create(dir) {
    const catalog = await newPostgresCatalog();
    const dataPath = join(dir, 'lake');
    return { open: (readable = []) => openLakehouse({ catalog, dataPath, readable }) };
  },
};

export const DUCKLAKE_FILE: WarehouseKindFixture = {
  name: 'ducklake with a local catalog file',
  kind: 'ducklake',
  async create(dir) {
    const catalog = join(dir, 'lake.ducklake');
    const dataPath = join(dir, 'lake');
    return { open: (readable = []) => openLakehouse({ catalog, dataPath, readable }) };
  },
};

/**
 * The kinds every main behaviour test runs on; call at the top of a test file (it stops the
 * file's PostgreSQL server after the file's tests).
 */
export function warehouseKinds(): WarehouseKindFixture[] {
  afterAll(async () => {
    const started = server;
    server = undefined;
    if (started) await (await started).stop();
  });
  return [DUCKDB_FILE, DUCKLAKE_POSTGRES];
}
