// The warehouse: one DuckDB database (a `.duckdb` file, or in memory) behind a small interface,
// so the engine's logic reads as SQL and tests run against real DuckDB files. A DuckLake lakehouse
// (lakehouse.ts) answers the same interface; `storage` says what differs.
//
// Sandboxed: the instance never installs or auto-loads extensions (only the tools folder's signed
// builds, loaded by name), and once the engine's own LOADs are done it may read only the
// warehouse's folder and the folders it was given, with its configuration locked, so project SQL
// cannot SET its way out. See docs/security.md.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { duckdbThreads } from './duckdb-threads.js';
import { findExtensionDirectory, INSTALL_EXTENSIONS_COMMAND } from './extension-directory.js';
import { quoteIdent, quoteLiteral } from './identifiers.js';
import { isConflict, WarehouseConflictError, WarehouseError } from './warehouse-errors.js';
import { FILE_STORAGE, type WarehouseStorage } from './warehouse-storage.js';

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
  /** What this kind of warehouse can and cannot do (keys, snapshots). */
  readonly storage: WarehouseStorage;
  /**
   * What this warehouse already established about its catalog (idempotent DDL it ran, a registry
   * it saw complete), so that is done once per warehouse instead of once per step (`ensureOnce`).
   * A fact learnt inside a transaction counts only once that transaction commits.
   */
  readonly known: KnownFacts;
  close(): void;
}

/** Facts about a warehouse's catalog that stay true once true (pipectl never drops its schemas or tables). */
export interface KnownFacts {
  has(fact: string): boolean;
  add(fact: string): void;
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
  /**
   * Opens the file read-only (DuckDB's `access_mode = READ_ONLY`): every write is refused, the file
   * is never created, and another process may read it at the same time (never while one writes it).
   */
  readonly readOnly?: boolean;
}

/**
 * Opens (creating if needed) a DuckDB database file, or an in-memory one for `:memory:`, sandboxed:
 * it reads only its own folder and `options.readable`.
 * @example const wh = await openWarehouse('.pipectl/warehouse.duckdb', { readable: ['/p/data'] }); await wh.all('select 42 as x')
 */
export async function openWarehouse(path: string, options: OpenWarehouseOptions = {}): Promise<Warehouse> {
  const readable = readableOf(path, options.readable ?? []);
  return openSandboxed(
    path,
    options.extensionDirectory,
    FILE_STORAGE,
    readable,
    async (connection) => {
      for (const extension of options.load ?? []) await loadExtension(connection, extension);
    },
    options.readOnly ? { access_mode: 'READ_ONLY' } : {},
  );
}

/**
 * Creates a DuckDB instance that never installs or auto-loads extensions, runs `prepare` (LOADs,
 * ATTACHes) while access is still open, then confines it to `readable` and locks it.
 */
export async function openSandboxed(
  path: string,
  extensionDirectory: string | undefined,
  storage: WarehouseStorage,
  readable: readonly string[],
  prepare: (connection: DuckDBConnection) => Promise<void>,
  settings: Readonly<Record<string, string>> = {},
): Promise<Warehouse> {
  const { instance, connection } = await openSandboxedInstance(
    path,
    extensionDirectory,
    readable,
    prepare,
    settings,
  );
  return wrap(connection, readable, storage, () => {
    connection.closeSync();
    instance.closeSync();
  });
}

/**
 * `openSandboxed` without the wrapper: the locked instance and its first connection, for a caller
 * that opens more connections on it (each inherits the sandbox: the settings are the instance's).
 */
export async function openSandboxedInstance(
  path: string,
  extensionDirectory: string | undefined,
  readable: readonly string[],
  prepare: (connection: DuckDBConnection) => Promise<void>,
  settings: Readonly<Record<string, string>> = {},
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(path, {
    ...settings,
    ...duckdbThreads(),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    extension_directory: extensionDirectory ?? findExtensionDirectory(),
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await DuckDBConnection.create(instance);
    await prepare(connection);
    await sandbox(connection, readable);
    return { instance, connection };
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    throw error;
  }
}

/** LOAD of one of the tools folder's signed extensions, with the install command when it is missing. */
export async function loadExtension(connection: DuckDBConnection, extension: string): Promise<void> {
  try {
    await connection.run(`LOAD ${quoteIdent(extension)}`);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new WarehouseError(
      'PIPE5204',
      `the DuckDB extension "${extension}" could not be loaded: ${message}`,
      {
        hint:
          `Install DuckDB's signed extensions into the tools folder with \`${INSTALL_EXTENSIONS_COMMAND}\` from the pipectl repository, ` +
          `or (pipectl installed from npm) unzip the PyPI wheel \`duckdb-ext-${extension === 'postgres_scanner' ? 'postgres' : extension}==1.4.4.20260205\` and point ` +
          `PIPECTL_DUCKDB_EXTENSIONS at its \`duckdb_ext/extensions\` folder (or copy that folder to <project>/.tools/duckdb/extensions).`,
        retryable: false,
        cause: error,
      },
    );
  }
}

/**
 * Limits file access to `readable` and locks the configuration, after the engine's own LOADs and
 * ATTACHes. Order matters: a LOAD after this is refused, and the settings hold for every
 * connection of the instance.
 */
async function sandbox(connection: DuckDBConnection, readable: readonly string[]): Promise<void> {
  const files = readable.filter(isFile);
  const folders = readable.filter((entry) => !isFile(entry)).map((folder) => withSep(folder));
  const list = (entries: readonly string[]) => `[${entries.map(quoteLiteral).join(', ')}]`;
  if (folders.length > 0) await connection.run(`SET allowed_directories = ${list(folders)}`);
  if (files.length > 0) await connection.run(`SET allowed_paths = ${list(files)}`);
  // Times are UTC whatever the machine's zone (ICU defaults to it): text cast to timestamptz,
  // current_date, and what freshness compares. Locked below, so project SQL cannot change it.
  await connection.run("SET GLOBAL TimeZone = 'UTC'");
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

/** The warehouse's folder and `extra`, absolute, each also under its real path when a symlink differs. */
function readableOf(path: string, extra: readonly string[]): string[] {
  const own = path === ':memory:' || path === '' ? [] : [dirname(resolve(path))];
  return withRealPaths([...own, ...extra]);
}

/** `entries`, absolute, each also under its real path when a symlink differs. */
export function withRealPaths(given: readonly string[]): string[] {
  const entries = given.map((entry) => resolve(entry));
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

/** A `Warehouse` over one connection; `close` is what closing it does. */
export function wrap(
  connection: DuckDBConnection,
  readable: readonly string[],
  storage: WarehouseStorage,
  close: () => void,
): Warehouse {
  let inTransaction = false;
  const known = new Set<string>();
  // Learnt inside the open transaction: kept on COMMIT, forgotten on ROLLBACK (the DDL is undone).
  const pending = new Set<string>();
  const warehouse: Warehouse = {
    connection,
    readable,
    storage,
    known: {
      has: (fact) => known.has(fact) || pending.has(fact),
      add: (fact) => {
        (inTransaction ? pending : known).add(fact);
      },
    },
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
        for (const fact of pending) known.add(fact);
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        // A lost race on a lake commits nothing: say so with a code the caller can retry on.
        if (isConflict(error) && !(error instanceof WarehouseConflictError)) {
          const lines = (error instanceof Error ? error.message : String(error)).split('\n');
          const reason = lines.find((line) => /conflict|locked/i.test(line)) ?? lines[0];
          throw new WarehouseConflictError(`the lakehouse refused the commit: ${reason?.trim()}`, error);
        }
        throw error;
      } finally {
        inTransaction = false;
        pending.clear();
      }
    },
    close,
  };
  return warehouse;
}
