// The lakehouse: a DuckLake (catalog database + Parquet files under a data path) attached to an
// in-memory DuckDB that is only compute. Every process (every activity, every worker) opens its own
// and they all work on the same lake at once; each commit is one snapshot, atomic and readable
// later with `AT (VERSION => n)`. Sandboxed like the file warehouse: after the LOADs and the ATTACH,
// the instance reads only the data path and the folders it was given, with its configuration locked.
import { mkdirSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from './identifiers.js';
import { loadExtension, openSandboxed, type Warehouse, withRealPaths } from './warehouse.js';
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
  const kind = catalogKind(options.catalog);
  const remote = /^[a-z][a-z0-9+]*:\/\//i.test(options.dataPath);
  const dataPath = remote ? withSlash(options.dataPath) : withSep(resolve(options.dataPath));
  const readOnly = options.readOnly === true;
  if (!remote && !readOnly) mkdirSync(dataPath, { recursive: true });
  if (!options.catalog.startsWith('postgres:') && !readOnly)
    mkdirSync(dirname(kind.attach.replace(/^sqlite:/, '')), { recursive: true });
  const readable = [...(remote ? [] : withRealPaths([dataPath])), ...withRealPaths(options.readable ?? [])];
  const allowed = remote ? [dataPath, ...readable] : readable;
  return openSandboxed(
    ':memory:',
    options.extensionDirectory,
    lakeStorage(LAKE_ALIAS),
    allowed,
    async (connection) => {
      await loadExtension(connection, 'ducklake');
      for (const extension of kind.extensions) await loadExtension(connection, extension);
      if (remote) await loadExtension(connection, 'httpfs');
      await attach(connection, kind.attach, dataPath, options.catalog, readOnly);
      await connection.run(`USE ${quoteIdent(LAKE_ALIAS)}`);
    },
  );
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
