// The SQL layers of the compile cache: a SqlParser and a SqlBinder that answer from stored results
// and open the real ones (DuckDB) only for what they have not seen, so a warm compile of an
// unchanged project never loads DuckDB at all.
//
// Keys. A parse depends only on the text and DuckDB's version. A bind depends on the text and the
// relations of the session: a query that binds can only have read relations it names, so its key
// holds the declared columns of every relation whose table name appears in it as a word (a
// superset of what it reads: dataset names are `schema.table` in [a-z0-9_], and DuckDB folds
// identifiers' case). A query that fails may fail differently with other relations around (DuckDB
// suggests similar table names from the whole catalog), so a stored failure is reused only with the
// same whole set of relations.
import type { BoundSql, RelationSchema, SqlBinder } from '../sql/sql-binder.js';
import type { ParsedSql, SqlParser } from '../sql/sql-parser.js';
import { hashOf } from './code-version.js';
import type { CompileCacheStats } from './compile-cache.js';

/** Stored results of one kind: `warm` when they come from a cache file (not a first run). */
export interface CacheEntries<T> {
  readonly warm: boolean;
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/** A stored bind; a failure carries the key of the whole set of relations it was bound among. */
export interface BoundEntry {
  readonly result: BoundSql;
  readonly catalog?: string;
}

// Table functions that take a relation's name as a string: what they read is still named in the
// text, but to be safe such a query is keyed by every relation.
const READS_BY_STRING = /\bquery(?:_table)?\b/;

/**
 * A SqlParser over stored parses. A cold cache opens the real parser at once (so DuckDB starts
 * while the files load, as without a cache); a warm one only on the first miss.
 */
export function cachingSqlParser(
  store: CacheEntries<ParsedSql>,
  open: () => SqlParser,
  duckdb: string,
  stats: CompileCacheStats,
): SqlParser {
  const real = opened(open, stats, store.warm);
  return {
    parse(sqls) {
      return throughStore(
        sqls,
        sqls.map((sql) => hashOf('parse', duckdb, sql)),
        (key) => store.get(key),
        (missing) => real.get().parse(missing),
        (key, result) => store.set(key, result),
      );
    },
    close() {
      real.close();
    },
  };
}

/** A SqlBinder over stored binds; each session opens a real one only on its first miss (or at once when cold). */
export function cachingSqlBinder(
  store: CacheEntries<BoundEntry>,
  open: () => SqlBinder,
  duckdb: string,
  stats: CompileCacheStats,
): SqlBinder {
  return {
    open(relations) {
      let closed = false;
      const real = opened(() => open().open(relations), stats, store.warm);
      const keys = bindKeys(relations, duckdb);
      return {
        bind(queries) {
          if (closed) throw new Error('the bind session is closed');
          return throughStore(
            queries,
            queries.map(keys.of),
            (key) => reusable(store.get(key), keys.catalog),
            (missing) => real.get().bind(missing),
            (key, result) => store.set(key, result.ok ? { result } : { result, catalog: keys.catalog() }),
          );
        },
        close() {
          closed = true;
          real.close();
        },
      };
    },
  };
}

/**
 * The real parser or bind session, opened on first use (counted in `stats`), or at once when the
 * cache is cold (so DuckDB starts while the rest of the compile runs, as without a cache).
 */
function opened<T extends { close(): void }>(
  open: () => T,
  stats: CompileCacheStats,
  warm: boolean,
): { get(): T; close(): void } {
  let inner: T | undefined;
  const get = (): T => {
    if (!inner) {
      stats.duckDbOpened++;
      inner = open();
    }
    return inner;
  };
  if (!warm) get();
  return {
    get,
    close() {
      inner?.close();
      inner = undefined;
    },
  };
}

/**
 * The answer for each text: stored under its key, else computed (all misses in one batch, in
 * order) and stored.
 */
async function throughStore<T>(
  texts: readonly string[],
  keys: readonly string[],
  stored: (key: string) => T | undefined,
  compute: (missing: string[]) => Promise<readonly T[]>,
  save: (key: string, value: T) => void,
): Promise<T[]> {
  const results = keys.map(stored);
  const missing = results.flatMap((result, n) => (result === undefined ? [n] : []));
  if (missing.length > 0) {
    const computed = await compute(missing.map((n) => texts[n] as string));
    missing.forEach((n, m) => {
      const result = computed[m] as T;
      results[n] = result;
      save(keys[n] as string, result);
    });
  }
  return results as T[];
}

function reusable(entry: BoundEntry | undefined, catalog: () => string): BoundSql | undefined {
  if (!entry) return undefined;
  return entry.result.ok || entry.catalog === catalog() ? entry.result : undefined;
}

/** The key of each query among `relations`, and of the whole set of relations (computed once, when asked). */
function bindKeys(
  relations: readonly RelationSchema[],
  duckdb: string,
): { of: (query: string) => string; catalog: () => string } {
  const byTable = new Map<string, RelationSchema[]>();
  for (const relation of relations) {
    const table = (relation.dataset.split('.').pop() ?? relation.dataset).toLowerCase();
    byTable.set(table, [...(byTable.get(table) ?? []), relation]);
  }
  let catalog: string | undefined;
  const describe = (named: readonly RelationSchema[]) =>
    JSON.stringify(
      [...named]
        .sort((a, b) => (a.dataset < b.dataset ? -1 : a.dataset > b.dataset ? 1 : 0))
        .map((relation) => [relation.dataset, relation.columns.map((c) => [c.name, c.type])]),
    );
  return {
    of(query) {
      const lower = query.toLowerCase();
      const named = READS_BY_STRING.test(lower)
        ? relations
        : [...new Set(lower.split(/[^a-z0-9_]+/))].flatMap((word) => byTable.get(word) ?? []);
      return hashOf('bind', duckdb, query, describe(named));
    },
    catalog() {
      catalog ??= hashOf('catalog', duckdb, describe(relations));
      return catalog;
    },
  };
}
