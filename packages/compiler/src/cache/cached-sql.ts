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
import type { BindSession, BoundSql, RelationSchema, SqlBinder } from '../sql/sql-binder.js';
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
  let inner: SqlParser | undefined;
  const real = (): SqlParser => {
    if (!inner) {
      stats.duckDbOpened++;
      inner = open();
    }
    return inner;
  };
  if (!store.warm) real();
  return {
    async parse(sqls) {
      const keys = sqls.map((sql) => hashOf('parse', duckdb, sql));
      const results = keys.map((key) => store.get(key));
      const missing = results.flatMap((result, n) => (result === undefined ? [n] : []));
      if (missing.length > 0) {
        const parsed = await real().parse(missing.map((n) => sqls[n] as string));
        missing.forEach((n, m) => {
          const result = parsed[m] as ParsedSql;
          results[n] = result;
          store.set(keys[n] as string, result);
        });
      }
      return results as ParsedSql[];
    },
    close() {
      inner?.close();
      inner = undefined;
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
      let session: BindSession | undefined;
      let closed = false;
      const real = (): BindSession => {
        if (!session) {
          stats.duckDbOpened++;
          session = open().open(relations);
        }
        return session;
      };
      if (!store.warm) real();
      const keys = bindKeys(relations, duckdb);
      return {
        async bind(queries) {
          if (closed) throw new Error('the bind session is closed');
          const queryKeys = queries.map(keys.of);
          const results = queryKeys.map((key) => reusable(store.get(key), keys.catalog));
          const missing = results.flatMap((result, n) => (result === undefined ? [n] : []));
          if (missing.length > 0) {
            const bound = await real().bind(missing.map((n) => queries[n] as string));
            missing.forEach((n, m) => {
              const result = bound[m] as BoundSql;
              results[n] = result;
              store.set(queryKeys[n] as string, result.ok ? { result } : { result, catalog: keys.catalog() });
            });
          }
          return results as BoundSql[];
        },
        close() {
          closed = true;
          session?.close();
        },
      };
    },
  };
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
