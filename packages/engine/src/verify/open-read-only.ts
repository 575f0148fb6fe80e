// Opening what `pipectl verify` reads, read-only: a target's warehouse (the DuckDB file opened
// `READ_ONLY`, the DuckLake attached `READ_ONLY`), or a DuckDB file named on the command line
// (attached `READ_ONLY` to an in-memory DuckDB). DuckDB refuses every write on such a database, so
// neither the file's bytes nor the lake's snapshots can change. Sandboxed like every warehouse:
// the `sql` checks read the warehouse and the project's declared folders, nothing else.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { WarehouseTarget } from '@pipectl/spec';
import { quoteIdent, quoteLiteral } from '../warehouse/identifiers.js';
import { openTargetWarehouse } from '../warehouse/open-target-warehouse.js';
import { describeHolder, parseLockHolder, type WarehouseLockHolder } from '../warehouse/open-with-retry.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { openSandboxed, withRealPaths } from '../warehouse/warehouse.js';
import { WarehouseError } from '../warehouse/warehouse-errors.js';
import { FILE_STORAGE } from '../warehouse/warehouse-storage.js';

export interface OpenReadOnlyOptions {
  /** Folders (or files) `sql` checks may read besides the warehouse, e.g. `projectReadablePaths(...)`. */
  readonly readable?: readonly string[];
  /** Where LOAD finds extensions; `findExtensionDirectory()` by default. */
  readonly extensionDirectory?: string;
}

/**
 * The warehouse of a resolved target, read-only. Throws WarehouseError PIPE5216 when it does not
 * exist yet, PIPE5215 when another process is writing its DuckDB file.
 * @example const wh = await openTargetReadOnly(target, root, { readable: projectReadablePaths(root, project, pipelines) })
 */
export async function openTargetReadOnly(
  target: { readonly name?: string; readonly warehouse: WarehouseTarget },
  projectDir: string,
  options: OpenReadOnlyOptions = {},
): Promise<Warehouse> {
  const { warehouse } = target;
  const file =
    warehouse.kind === 'duckdb'
      ? resolve(projectDir, warehouse.path)
      : localCatalogFile(projectDir, warehouse.catalog);
  if (file !== undefined && !existsSync(file)) {
    const what = warehouse.kind === 'duckdb' ? 'warehouse file' : 'lakehouse catalog';
    throw new WarehouseError(
      'PIPE5216',
      `the ${what} ${file} of target "${target.name ?? 'default'}" does not exist: nothing has been published there yet`,
      {
        hint: 'run a pipeline on this target first (pipectl run <pipeline> --target ...), or name the target that holds the data with --target',
        retryable: false,
      },
    );
  }
  try {
    return await openTargetWarehouse(target, projectDir, { ...options, readOnly: true });
  } catch (error) {
    throw lockedError(error, file) ?? error;
  }
}

/**
 * A DuckDB database file attached `READ_ONLY` to an in-memory DuckDB and made the default
 * database, so `schema.table` names resolve in it. Throws PIPE5217 when it is not a readable
 * DuckDB file, PIPE5215 while another process writes it.
 * @example const wh = await openDuckdbFileReadOnly('/data/shop.duckdb', { readable: [] })
 */
export async function openDuckdbFileReadOnly(
  file: string,
  options: OpenReadOnlyOptions = {},
): Promise<Warehouse> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new WarehouseError('PIPE5217', `the DuckDB file ${path} named by --table does not exist`, {
      hint: 'name an existing DuckDB database file (relative to the working directory), e.g. --table .pipectl/warehouse.duckdb#mart.orders',
      retryable: false,
    });
  }
  const readable = withRealPaths([dirname(path), ...(options.readable ?? [])]);
  try {
    return await openSandboxed(':memory:', options.extensionDirectory, FILE_STORAGE, readable, async (c) => {
      await c.run(`ATTACH ${quoteLiteral(path)} AS ${quoteIdent(VERIFIED_ALIAS)} (READ_ONLY)`);
      await c.run(`USE ${quoteIdent(VERIFIED_ALIAS)}`);
    });
  } catch (error) {
    const locked = lockedError(error, path);
    if (locked) throw locked;
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new WarehouseError(
      'PIPE5217',
      `the DuckDB file ${path} named by --table cannot be read: ${message}`,
      {
        hint: 'name a DuckDB database file (made by DuckDB 1.4 or older); for a DuckLake, give its catalog as a target in pipectl.yaml and use --target',
        retryable: false,
        cause: error,
      },
    );
  }
}

/** The name a --table DuckDB file is attached under. */
export const VERIFIED_ALIAS = 'verified';

/** PIPE5215 when `error` is DuckDB's lock error on `file`: another process has it open for writing. */
function lockedError(error: unknown, file: string | undefined): WarehouseError | undefined {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  const holder = messages.map(parseLockHolder).find((h): h is WarehouseLockHolder => h !== undefined);
  if (holder === undefined) return undefined;
  return new WarehouseError(
    'PIPE5215',
    `${file ?? 'the warehouse'} is being written by ${describeHolder(holder)}, and DuckDB lets no other process read a database file while one writes it`,
    {
      hint: `stop ${holder.pid === undefined ? 'the worker or session that has it open' : `that process (PID ${holder.pid}): a pipectl worker or dev, or a DuckDB shell`}, then run verify again; a lakehouse target can be verified while its workers run`,
      retryable: false,
      cause: error,
    },
  );
}

/** The file of a DuckDB-file or SQLite catalog; undefined for a PostgreSQL catalog. */
function localCatalogFile(projectDir: string, catalog: string): string | undefined {
  if (catalog.startsWith('postgres:')) return undefined;
  const path = catalog.startsWith('sqlite:') ? catalog.slice('sqlite:'.length) : catalog;
  return isAbsolute(path) ? path : resolve(projectDir, path);
}
