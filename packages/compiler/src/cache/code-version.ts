// What the compile cache's entries were computed by: the running compiler's code, and DuckDB's
// version for SQL. Every cache file carries the code key and is ignored whole when it differs, so
// a new pipectl build never reads what an old one wrote.
//
// Why these inputs. A version number alone is not enough: in this repository (and for anyone
// running a build of main) the packages stay at 0.1.0 while their code changes. So the key is the
// content of the module file running this code, plus the name, size and modification time of every
// file of the code it runs with:
// - the shipped CLI runs an esbuild bundle (apps/pipectl/dist/bundle/): the compiler and the spec
//   (the YAML reader, the schemas) are in its chunk files, whose names esbuild derives from their
//   content; the files of that folder are hashed;
// - run from `src/` or `dist/` module by module (tests, the library, `tsx`), the compiler's and the
//   spec's whole code folders are, so an edit or a rebuild of any of their files changes the key.
// A rebuild with equal output only costs one cold run; a changed file can never keep the key. Stat
// of the ~20 files of the bundle, or the ~100-300 of two code folders, costs a few ms, once.
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

/**
 * The folder of code a module runs with: the bundle's folder for a bundled chunk, else the package
 * folder (`src`, `dist`) holding it, the child of the nearest folder with a package.json.
 */
function codeFolder(file: string): string | undefined {
  let child = dirname(file);
  if (basename(child) === 'bundle') return child;
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
