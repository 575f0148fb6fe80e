// Test helpers: real DuckDB files in temporary directories, and contracts read from YAML fixtures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Contract, parseDocument, type QualityCheck, qualityCheckSchema } from '@pipectl/spec';
import type { Warehouse } from '../../src/index.js';
import { DUCKDB_FILE, type WarehouseKindFixture } from '../support/warehouse-kinds.js';

export interface TempWarehouse {
  readonly warehouse: Warehouse;
  readonly dir: string;
  /** The DuckDB file (for a lakehouse: where it would be; the lake lives in `dir`). */
  readonly path: string;
  /** Closes the database and opens the same file again (a new process, as far as DuckDB knows). */
  reopen(): Promise<Warehouse>;
  close(): void;
}

/**
 * A fresh warehouse of `kind` (a DuckDB file by default) in its own temporary directory;
 * `close()` deletes it.
 */
export async function tempWarehouse(
  kind: WarehouseKindFixture = DUCKDB_FILE,
  readable: readonly string[] = [],
): Promise<TempWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-engine-'));
  const path = join(dir, 'warehouse.duckdb');
  const created = await kind.create(dir);
  // The warehouse's own folder is readable, as a DuckDB file's folder is.
  const openWarehouse = () => created.open([dir, ...readable]);
  let warehouse = await openWarehouse();
  return {
    get warehouse() {
      return warehouse;
    },
    dir,
    path,
    async reopen() {
      warehouse.close();
      warehouse = await openWarehouse();
      return warehouse;
    },
    close() {
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A contract from `test/fixtures/contracts/<name>.contract.yaml`. */
export function fixtureContract(name: string): Contract {
  const file = new URL(`../fixtures/contracts/${name}.contract.yaml`, import.meta.url);
  const parsed = parseDocument(`${name}.contract.yaml`, readFileSync(file, 'utf8'));
  if (parsed.document?.kind !== 'Contract') {
    throw new Error(`fixture ${name}: ${parsed.issues.map((issue) => issue.message).join('; ')}`);
  }
  return parsed.document.value;
}

/** A quality check with the schema's defaults, from the short form tests write. */
export function rule(input: Record<string, unknown>): QualityCheck {
  return qualityCheckSchema.parse(input);
}

/**
 * A quality check with the defaults but without the schema's validation: for names YAML would
 * refuse (hostile identifiers), which library callers can still pass.
 */
export function uncheckedRule(input: Record<string, unknown>): QualityCheck {
  return { severity: 'error', maxFailing: 0, samples: 5, onFail: 'fail', ...input } as QualityCheck;
}

/** Rows as plain JSON (bigint as number) for assertions. */
export async function rowsOf(warehouse: Warehouse, sql: string): Promise<Record<string, unknown>[]> {
  const rows = await warehouse.all(sql);
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value]),
    ),
  );
}
