// The warehouse: one DuckDB database (a `.duckdb` file, or in memory) behind a small interface,
// so the engine's logic reads as SQL and tests run against real DuckDB files.
//
// Sandboxed: the instance never installs or auto-loads extensions (only the tools folder's signed
// builds, loaded by name), and once the engine's own LOADs are done it may read only the
// warehouse's folder and the folders it was given, with its configuration locked, so project SQL
// cannot SET its way out. See docs/security.md.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { findExtensionDirectory } from './extension-directory.js';
import { quoteIdent, quoteLiteral } from './identifiers.js';

export type Row = Record<string, unknown>;
export type SqlParams = readonly DuckDBValue[] | Record<string, DuckDBValue>;

export interface Warehouse {
  /** Runs one or more statements, ignoring their results. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Runs a query and returns its rows as plain JS values (bigint for BIGINT, Date-free strings for JSON-friendly use via `json`). */
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Rows converted to JSON-safe values (numbers, strings, booleans, null): for reports and payloads. */
  json<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T>;
  /** The underlying DuckDB connection, for appenders and streaming. */
  readonly connection: DuckDBConnection;
  /** Absolute folders and files this warehouse may read besides its own tables (its folder first). */
  readonly readable: readonly string[];
  close(): void;
}

export interface OpenWarehouseOptions {
  /**
   * Folders (or files) project SQL and extraction may read, e.g. the folders of the project's file
   * sources. The warehouse's own folder is always readable; nothing else is.
   */
  readonly readable?: readonly string[];
  /** Extensions to LOAD from `extensionDirectory` before access is closed, e.g. `['ducklake']`. */
  readonly load?: readonly string[];
  /** Where LOAD finds extensions; `findExtensionDirectory()` by default. */
  readonly extensionDirectory?: string;
}

/**
 * Opens (creating if needed) a DuckDB database file, or an in-memory one for `:memory:`, sandboxed:
 * it reads only its own folder and `options.readable`.
 * @example const wh = await openWarehouse('.pipectl/warehouse.duckdb', { readable: ['/p/data'] }); await wh.all('select 42 as x')
 */
export async function openWarehouse(path: string, options: OpenWarehouseOptions = {}): Promise<Warehouse> {
  const instance = await DuckDBInstance.create(path, {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    extension_directory: options.extensionDirectory ?? findExtensionDirectory(),
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await DuckDBConnection.create(instance);
    const readable = readableOf(path, options.readable ?? []);
    await sandbox(connection, readable, options.load ?? []);
    const opened = connection;
    return wrap(opened, readable, () => {
      opened.closeSync();
      instance.closeSync();
    });
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    throw error;
  }
}

/**
 * Loads the engine's extensions, then limits file access to `readable` and locks the
 * configuration. Order matters: a LOAD after this is refused, and the settings hold for every
 * connection of the instance.
 */
async function sandbox(
  connection: DuckDBConnection,
  readable: readonly string[],
  load: readonly string[],
): Promise<void> {
  for (const extension of load) await connection.run(`LOAD ${quoteIdent(extension)}`);
  const files = readable.filter(isFile);
  const folders = readable.filter((entry) => !isFile(entry)).map((folder) => withSep(folder));
  const list = (entries: readonly string[]) => `[${entries.map(quoteLiteral).join(', ')}]`;
  if (folders.length > 0) await connection.run(`SET allowed_directories = ${list(folders)}`);
  if (files.length > 0) await connection.run(`SET allowed_paths = ${list(files)}`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

/** The warehouse's folder and `extra`, absolute, each also under its real path when a symlink differs. */
function readableOf(path: string, extra: readonly string[]): string[] {
  const own = path === ':memory:' || path === '' ? [] : [dirname(resolve(path))];
  const entries = [...own, ...extra.map((entry) => resolve(entry))];
  const withReal = entries.flatMap((entry) => {
    const real = existsSync(entry) ? realpathSync(entry) : entry;
    return real === entry ? [entry] : [entry, real];
  });
  return [...new Set(withReal)];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function withSep(folder: string): string {
  return folder.endsWith(sep) ? folder : `${folder}${sep}`;
}

function wrap(connection: DuckDBConnection, readable: readonly string[], close: () => void): Warehouse {
  let inTransaction = false;
  const warehouse: Warehouse = {
    connection,
    readable,
    async run(sql, params) {
      await connection.run(sql, params as DuckDBValue[] | undefined);
    },
    async all<T extends Row>(sql: string, params?: SqlParams) {
      const reader = await connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJS() as T[];
    },
    async json<T extends Row>(sql: string, params?: SqlParams) {
      const reader = await connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJson() as T[];
    },
    async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
      // Nested calls join the outer transaction: DuckDB has no savepoints.
      if (inTransaction) return work(warehouse);
      await connection.run('BEGIN TRANSACTION');
      inTransaction = true;
      try {
        const result = await work(warehouse);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    close,
  };
  return warehouse;
}
