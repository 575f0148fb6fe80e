// What every command receives: where to write, where it runs, how to paint. Commands return an
// exit code; they never call process.exit themselves.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Paint, painter, type Terminal } from './io/terminal.js';
import type { ReadSource } from './render/issues.js';

export interface CliContext {
  readonly term: Terminal;
  readonly cwd: string;
  readonly paint: Paint;
}

export function createContext(term: Terminal, cwd: string): CliContext {
  return { term, cwd, paint: painter(term.color) };
}

/**
 * The project directory: the path given, else the nearest directory upwards holding a
 * `pipectl.yaml`, else the current directory.
 */
export function resolveProjectDir(given: string | undefined, cwd: string): string {
  if (given !== undefined) return resolve(cwd, given);
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pipectl.yaml'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** Reads project files for code frames in rendered issues; undefined when unreadable. */
export function sourceReader(root: string): ReadSource {
  return (file) => {
    try {
      return readFileSync(resolve(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** A path as the user should read it: relative to where they are, when that is shorter. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') && rel.length > path.length ? path : rel;
}
