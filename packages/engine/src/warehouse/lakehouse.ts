// The lakehouse: a DuckLake (catalog database + Parquet files under a data path) attached to an
// in-memory DuckDB that is only compute. Every process (a worker: once, for all its activities,
// `openSharedLakehouse`) opens its own and they all work on the same lake at once; each commit is one snapshot, atomic and readable
// later with `AT (VERSION => n)`. Sandboxed like the file warehouse: after the LOADs and the ATTACH,
// the instance reads only the data path and the folders it was given, with its configuration locked.
import { mkdirSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from './identifiers.js';
import {
  loadExtension,
  openSandboxed,
  openSandboxedInstance,
  type Warehouse,
  withRealPaths,
  wrap,
} from './warehouse.js';
import { redactSecrets, WarehouseError } from './warehouse-errors.js';
import { lakeStorage } from './warehouse-storage.js';

/** The name the lake is attached under (and `USE`d), so `schema.table` resolves into it. */
export const LAKE_ALIAS = 'lake';

export interface OpenLakehouseOptions {
  /**
   * The DuckLake catalog: `postgres:<libpq conninfo>` (many workers, many machines),
   * `sqlite:<file>`, or a `<file>.ducklake` DuckDB file (one process at a time).
   */
  readonly catalog: string;
  /** The folder the lake's Parquet files live in; every worker must reach the same one. */
  readonly dataPath: string;
  /** Folders (or files) project SQL and extraction may read besides the data path. */
  readonly readable?: readonly string[];
  /** Where LOAD finds extensions; `findExtensionDirectory()` by default. */
  readonly extensionDirectory?: string;
  /**
   * Attaches the lake `READ_ONLY`: DuckLake refuses every statement that would write (no snapshot
   * can be made), and nothing is created on disk (the catalog and data path must exist).
   */
  readonly readOnly?: boolean;
}

/** How each kind of catalog is attached: the extension it needs and its ATTACH spelling. */
interface CatalogKind {
  readonly extensions: readonly string[];
  readonly attach: string;
}

function catalogKind(catalog: string): CatalogKind {
  if (catalog.startsWith('postgres:')) return { extensions: ['postgres_scanner'], attach: catalog };
  if (catalog.startsWith('sqlite:')) {
    return { extensions: ['sqlite_scanner'], attach: `sqlite:${resolve(catalog.slice('sqlite:'.length))}` };
  }
  return { extensions: [], attach: resolve(catalog) };
}

/**
 * Opens a DuckLake lakehouse behind the `Warehouse` interface: an in-memory DuckDB, `LOAD ducklake`
 * (and the catalog's scanner) from the tools folder, `ATTACH 'ducklake:<catalog>' AS lake
 * (DATA_PATH …)`, `USE lake`, then the sandbox (data path + `readable`, external access off,
 * configuration locked).
 * @example const wh = await openLakehouse({ catalog: 'postgres:host=db dbname=lake user=pipectl', dataPath: '/mnt/lake' })
 */
export async function openLakehouse(options: OpenLakehouseOptions): Promise<Warehouse> {
  const { allowed, prepare } = lakehouseSetup(options);
  return openSandboxed(':memory:', options.extensionDirectory, lakeStorage(LAKE_ALIAS), allowed, prepare);
}

/** One attached lake that hands out connections: see `openSharedLakehouse`. */
export interface SharedLakehouse {
  /**
   * A warehouse on a connection of its own (its own transactions; `close()` closes only the
   * connection). Connections of one instance commit to the lake like separate processes do: each
   * publication is one snapshot, and a lost race is a conflict (PIPE5202).
   */
  connect(): Promise<Warehouse>;
  /** Closes the instance; connections still open stop working. */
  close(): void;
}

/**
 * The lake opened once for many users in one process (a worker's activities): the same in-memory
 * DuckDB, LOADs, ATTACH and sandbox as `openLakehouse`, paid once instead of per use (loading the
 * extensions and attaching a PostgreSQL catalog costs far more than a small step's SQL). Each
 * `connect()` is a new connection on it, `USE`ing the lake; the sandbox holds for every connection
 * (its settings are the instance's, locked).
 * @example const lake = await openSharedLakehouse({ catalog, dataPath }); const wh = await lake.connect(); try { … } finally { wh.close(); }
 */
export async function openSharedLakehouse(options: OpenLakehouseOptions): Promise<SharedLakehouse> {
  const { allowed, prepare } = lakehouseSetup(options);
  const { instance, connection: holder } = await openSandboxedInstance(
    ':memory:',
    options.extensionDirectory,
    allowed,
    prepare,
  );
  const storage = lakeStorage(LAKE_ALIAS);
  return {
    async connect() {
      const connection = await DuckDBConnection.create(instance);
      try {
        await connection.run(`USE ${quoteIdent(LAKE_ALIAS)}`);
      } catch (error) {
        connection.closeSync();
        throw error;
      }
      return wrap(connection, allowed, storage, () => connection.closeSync());
    },
    close() {
      holder.closeSync();
      instance.closeSync();
    },
  };
}

/** What may be read, and the LOADs and ATTACH that make an in-memory DuckDB the lake's compute. */
function lakehouseSetup(options: OpenLakehouseOptions): {
  allowed: string[];
  prepare: (connection: DuckDBConnection) => Promise<void>;
} {
  const kind = catalogKind(options.catalog);
  const remote = /^[a-z][a-z0-9+]*:\/\//i.test(options.dataPath);
  const dataPath = remote ? withSlash(options.dataPath) : withSep(resolve(options.dataPath));
  const readOnly = options.readOnly === true;
  if (!remote && !readOnly) mkdirSync(dataPath, { recursive: true });
  if (!options.catalog.startsWith('postgres:') && !readOnly)
    mkdirSync(dirname(kind.attach.replace(/^sqlite:/, '')), { recursive: true });
  const readable = [...(remote ? [] : withRealPaths([dataPath])), ...withRealPaths(options.readable ?? [])];
  const allowed = remote ? [dataPath, ...readable] : readable;
  return {
    allowed,
    async prepare(connection) {
      await loadExtension(connection, 'ducklake');
      for (const extension of kind.extensions) await loadExtension(connection, extension);
      if (remote) await loadExtension(connection, 'httpfs');
      await attach(connection, kind.attach, dataPath, options.catalog, readOnly);
      await connection.run(`USE ${quoteIdent(LAKE_ALIAS)}`);
    },
  };
}

/**
 * Two processes attaching a new, empty catalog at once both create its tables; the loser's
 * PostgreSQL refuses with a duplicate key (or "already exists"). The winner has made the catalog by
 * then, so attaching again finds it.
 */
const CATALOG_INIT_RACE = /Failed to initialize DuckLake.*(duplicate key|already exists)/is;

async function attach(
  connection: DuckDBConnection,
  catalog: string,
  dataPath: string,
  given: string,
  readOnly: boolean,
) {
  const statement = `ATTACH ${quoteLiteral(`ducklake:${catalog}`)} AS ${quoteIdent(LAKE_ALIAS)} (DATA_PATH ${quoteLiteral(dataPath)}${readOnly ? ', READ_ONLY' : ''})`;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await connection.run(statement);
        return;
      } catch (error) {
        if (attempt >= 5 || !(error instanceof Error && CATALOG_INIT_RACE.test(error.message))) throw error;
        await new Promise((done) => setTimeout(done, 20 * attempt));
      }
    }
  } catch (error) {
    const message = redactSecrets(
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    );
    throw new WarehouseError(
      'PIPE5203',
      `the lakehouse catalog "${redactSecrets(given)}" could not be attached: ${message}`,
      {
        hint: "Check the target's `catalog` (for PostgreSQL: host, port, dbname, user, and the password from the environment variable it reads) and that the server is running; the catalog database must exist.",
        retryable:
          /could not connect|connection refused|timeout|timed out/i.test(message) ||
          CATALOG_INIT_RACE.test(message),
        cause: error,
      },
    );
  }
}

function withSep(folder: string): string {
  return folder.endsWith(sep) ? folder : `${folder}${sep}`;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
