// The persistent compile cache (`<project>/.pipectl/cache/compile.json`), like dbt's partial
// parsing, but keyed by content so it cannot be stale: a document's parse is reused only for the
// same path and text, a query's DuckDB parse only for the same text, its bind only for the same text
// and the same declared columns of every relation it names (see cached-sql.ts), and the whole file
// only by the same compiler code and format (code-version.ts). What a warm compile returns equals
// what a cold one does; only the work differs.
//
// One file, read with one JSON.parse (v8.deserialize measured slower on this shape of data), written
// whole through a temporary file and a rename, so a reader sees an old or a new file, never a torn
// one; of two processes writing at once the last rename wins. A file that is missing, corrupt,
// truncated or of another format or code is treated as empty and rewritten. Only the entries this
// process used are written back: those of files since deleted or changed are dropped, so the file
// stays the size of the project.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Issue, type ParseResult, parseDocument, SourceMap } from '@pipectl/spec';
import { createDuckDbSqlBinder } from '../sql/duckdb-sql-binder.js';
import { createDuckDbSqlParser } from '../sql/duckdb-sql-parser.js';
import type { SqlBinder } from '../sql/sql-binder.js';
import type { ParsedSql, SqlParser } from '../sql/sql-parser.js';
import { type BoundEntry, type CacheEntries, cachingSqlBinder, cachingSqlParser } from './cached-sql.js';
import { CACHE_FORMAT, codeVersionKey, duckDbVersionKey, hashOf } from './code-version.js';

/** Where a project's compile cache lives, relative to the project directory. */
export const CACHE_FILE = '.pipectl/cache/compile.json';

/** How often each layer answered from the cache, and whether DuckDB had to be opened. */
export interface CompileCacheStats {
  readonly documents: { hits: number; misses: number };
  readonly parsedSql: { hits: number; misses: number };
  readonly boundSql: { hits: number; misses: number };
  /** How many DuckDB parsers and bind sessions were opened (0 when every query hit). */
  duckDbOpened: number;
}

/**
 * A project's compile cache, opened once per process and shared by every load and compile of the
 * project in it (`check` loads two revisions through one). `loadProject(dir, { cache: true })`
 * opens one and returns it as `LoadedProject.cache`; whoever opened it saves it when done.
 */
export interface CompileCache {
  /** Absolute path of the cache file. */
  readonly file: string;
  readonly stats: CompileCacheStats;
  /** parseDocument, answered from the cache for a path and text seen before. */
  parse(file: string, text: string): ParseResult;
  /** A SqlParser answering from the cache; it opens `open()` (DuckDB by default) only on a miss. */
  sqlParser(open?: () => SqlParser): SqlParser;
  /** A SqlBinder answering from the cache; it opens a session of `open()` only on a miss. */
  sqlBinder(open?: () => SqlBinder): SqlBinder;
  /** Writes the entries used since opening, when anything changed; never throws. */
  save(): Promise<void>;
}

type PipectlDocument = NonNullable<ParseResult['document']>;

/** A document as stored: the schema-checked value (when usable) and the issues of its parse. */
interface StoredDocument {
  readonly kind?: PipectlDocument['kind'];
  readonly value?: unknown;
  readonly issues: readonly Issue[];
}

interface CacheFileData {
  readonly format: string;
  readonly code: string;
  readonly documents: Record<string, StoredDocument>;
  readonly parsed: Record<string, ParsedSql>;
  readonly bound: Record<string, BoundEntry>;
}

/**
 * Opens the compile cache of the project in `root` (absolute). Never throws: an unreadable or
 * foreign file gives an empty cache.
 * @example const cache = await openCompileCache('/repo/shop'); ...; await cache.save();
 */
export async function openCompileCache(root: string): Promise<CompileCache> {
  const file = join(root, CACHE_FILE);
  const code = codeVersionKey();
  const stored = await readCacheFile(file, code);
  const stats: CompileCacheStats = {
    documents: { hits: 0, misses: 0 },
    parsedSql: { hits: 0, misses: 0 },
    boundSql: { hits: 0, misses: 0 },
    duckDbOpened: 0,
  };
  // Warm when the file was read: then DuckDB opens on a miss only, even for a layer that was empty.
  const warm = stored !== undefined;
  const documents = entries(stored?.documents, stats.documents, warm);
  const parsed = entries(stored?.parsed, stats.parsedSql, warm);
  const bound = entries(stored?.bound, stats.boundSql, warm);
  const duckdb = duckDbVersionKey();

  return {
    file,
    stats,
    parse(name, text) {
      const key = hashOf(name, text);
      const hit = documents.get(key);
      if (hit) return restoreDocument(hit, name, text);
      const result = parseDocument(name, text);
      const entry = storedDocument(result);
      // A value JSON cannot carry exactly (undefined, Infinity) is parsed again next time.
      if (jsonSafe(entry)) documents.set(key, entry);
      return result;
    },
    sqlParser(open = createDuckDbSqlParser) {
      return cachingSqlParser(parsed, open, duckdb, stats);
    },
    sqlBinder(open = createDuckDbSqlBinder) {
      return cachingSqlBinder(bound, open, duckdb, stats);
    },
    async save() {
      if (!documents.changed() && !parsed.changed() && !bound.changed()) return;
      const data: CacheFileData = {
        format: CACHE_FORMAT,
        code,
        documents: documents.used(),
        parsed: parsed.used(),
        bound: bound.used(),
      };
      await writeAtomically(file, JSON.stringify(data));
    },
  };
}

/** The file's data when it is whole and written by this code, else undefined (a cold cache). */
async function readCacheFile(file: string, code: string): Promise<CacheFileData | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFileData> | null;
    if (data?.format !== CACHE_FORMAT || data.code !== code) return undefined;
    const isRecord = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!isRecord(data.documents) || !isRecord(data.parsed) || !isRecord(data.bound)) return undefined;
    return data as CacheFileData;
  } catch {
    return undefined;
  }
}

/**
 * Entries read from the file and those used since: a hit or a new entry is marked used, and only
 * used entries are written back.
 */
function entries<T>(
  stored: Record<string, T> | undefined,
  counts: { hits: number; misses: number },
  warm: boolean,
): CacheEntries<T> & { changed(): boolean; used(): Record<string, T> } {
  const before = stored ?? {};
  const loadedCount = Object.keys(before).length;
  const used = new Map<string, T>();
  let added = 0;
  return {
    warm,
    get(key) {
      const value = used.get(key) ?? (Object.hasOwn(before, key) ? before[key] : undefined);
      if (value === undefined) {
        counts.misses++;
        return undefined;
      }
      counts.hits++;
      used.set(key, value);
      return value;
    },
    set(key, value) {
      if (!used.has(key)) added++;
      used.set(key, value);
    },
    changed: () => added > 0 || used.size - added !== loadedCount,
    used: () => Object.fromEntries(used),
  };
}

function restoreDocument(stored: StoredDocument, file: string, text: string): ParseResult {
  if (stored.kind === undefined) return { issues: stored.issues };
  // Places are worked out from the text again, only if an issue found later needs one.
  const document = {
    kind: stored.kind,
    file,
    value: stored.value,
    sourceMap: SourceMap.fromText(text, undefined),
  } as PipectlDocument;
  return { document, issues: stored.issues };
}

function storedDocument(result: ParseResult): StoredDocument {
  return result.document
    ? { kind: result.document.kind, value: result.document.value, issues: result.issues }
    : { issues: result.issues };
}

/** Whether JSON carries the value exactly: plain objects, arrays, strings, finite numbers, booleans, null. */
function jsonSafe(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) return value.every(jsonSafe);
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      return Object.values(value as object).every(jsonSafe);
    }
    default:
      return false;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const folder = dirname(file);
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(folder, { recursive: true });
    // Keeps the cache out of version control even in a project without `.pipectl/` ignored.
    await writeFile(join(folder, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => undefined);
    await writeFile(temp, text);
    await rename(temp, file);
  } catch {
    // A cache that cannot be written (read-only project, full disk) only costs the next run time.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
