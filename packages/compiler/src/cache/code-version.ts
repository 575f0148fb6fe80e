// What the compile cache's entries were computed by: the running compiler's code, and DuckDB's
// version for SQL. Every cache file carries the code key and is ignored whole when it differs, so
// a new pipectl build never reads what an old one wrote.
//
// Why these inputs. A version number alone is not enough: in this repository (and for anyone
// running a build of main) the packages stay at 0.1.0 while their code changes. The content of the
// one module file running this code is what the shipped CLI needs: there the compiler and the spec
// (the YAML reader and the schemas) are linked into the bundle's chunk files. Run from `src/` or
// `dist/` module by module (tests, the library), that one file changes with little else, so the
// size and modification time of every file in the compiler's and the spec's code folders are
// hashed too: a rebuild or an edit of any of them changes the key (a rebuild with equal output
// only costs a cold run; never the other way round). A stat of a few hundred files costs ~2 ms,
// once per process.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped when the cache file's layout changes. */
export const CACHE_FORMAT = 'pipectl-compile-cache/1';

let codeKey: string | undefined;
let duckDbKey: string | undefined;

/** The key of the running compiler's code (computed once per process). */
export function codeVersionKey(): string {
  codeKey ??= computeCodeKey();
  return codeKey;
}

/** DuckDB's version, read from its package's manifest without loading its native library. */
export function duckDbVersionKey(): string {
  if (duckDbKey !== undefined) return duckDbKey;
  try {
    const manifest = createRequire(import.meta.url).resolve('@duckdb/node-api/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
    duckDbKey = `duckdb@${version ?? `unknown:${manifest}`}`;
  } catch {
    // Unresolvable here: a unique key, so nothing typed by another DuckDB is reused.
    duckDbKey = `duckdb@unknown:${process.pid}:${Date.now()}`;
  }
  return duckDbKey;
}

function computeCodeKey(): string {
  const hash = createHash('sha256').update(CACHE_FORMAT);
  const here = fileURLToPath(import.meta.url);
  hash.update(readFileSync(here));
  const folder = codeFolder(here);
  if (folder) {
    hashTree(hash, folder);
    // The spec beside the compiler: packages/spec in this repository, node_modules/@pipectl/spec
    // when installed. In the bundle it is linked into the same folder (already hashed).
    const spec = join(dirname(dirname(folder)), 'spec', basename(folder));
    if (existsSync(spec)) hashTree(hash, spec);
  }
  return hash.digest('base64url').slice(0, 32);
}

/** The package folder (`src`, `dist`) holding a module: the child of the nearest folder with a package.json. */
function codeFolder(file: string): string | undefined {
  let child = dirname(file);
  for (let parent = dirname(child); parent !== child; child = parent, parent = dirname(parent))
    if (existsSync(join(parent, 'package.json'))) return child;
  return undefined;
}

function hashTree(hash: ReturnType<typeof createHash>, folder: string): void {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/\.(?:[cm]?js|ts|json)$/.test(entry) || entry.includes('node_modules')) continue;
    try {
      const stat = statSync(join(folder, entry));
      if (stat.isFile()) hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\n`);
    } catch {
      // Removed while listed: left out of the key.
    }
  }
}

/** A key for the cache: a hash of its parts, each led by its length so no two lists of parts collide. */
export function hashOf(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest('base64url');
}
