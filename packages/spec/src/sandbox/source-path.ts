// Where file sources may read: inside the project directory, or inside the folders pipectl.yaml
// lists under `sandbox.readable`. One rule for both sides: the compiler reports a path that
// escapes at validate (PIPE2011), the engine refuses it again before reading (PIPE5111).
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Project } from '../schema/project.js';

const GLOB_CHARS = /[*?[{]/;
/** Kernel and device folders no source reads, whatever the project allows. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/** The folders file sources may read: the project directory, then `sandbox.readable`, absolute. */
export function readableRoots(projectDir: string, project: Pick<Project, 'sandbox'>): string[] {
  const root = resolve(projectDir);
  return [root, ...(project.sandbox?.readable ?? []).map((folder) => resolve(root, folder))];
}

/** The part of a path or glob before its first glob segment: the folder (or file) it reads from. */
export function staticBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const first = parts.findIndex((part) => GLOB_CHARS.test(part));
  if (first === -1) return pattern;
  const base = parts.slice(0, first).join('/');
  return base === '' && pattern.startsWith('/') ? '/' : base || '.';
}

export type PathVerdict =
  | { readonly ok: true; readonly absolute: string }
  | { readonly ok: false; readonly absolute: string; readonly reason: string };

/**
 * Whether the file or glob `pattern` (relative to `projectDir`) stays inside `roots`: lexically
 * (no `..` out, no absolute path elsewhere), after symlinks, and never into /proc, /sys, /dev or
 * at a device file. A path that does not exist yet is judged by its existing part.
 * @example confineSourcePath('../../etc/passwd', '/p', ['/p']) // { ok: false, reason: 'it leaves the project directory' }
 */
export function confineSourcePath(
  pattern: string,
  projectDir: string,
  roots: readonly string[],
): PathVerdict {
  const absolute = resolve(projectDir, staticBase(pattern));
  const refuse = (reason: string): PathVerdict => ({ ok: false, absolute, reason });
  if (SYSTEM_ROOTS.some((system) => inside(absolute, system)))
    return refuse(`it reads the system folder ${SYSTEM_ROOTS.find((s) => inside(absolute, s))}`);
  if (!roots.some((root) => inside(absolute, root))) {
    return refuse(
      isAbsolute(pattern)
        ? 'it is an absolute path outside the project directory'
        : 'it leaves the project directory',
    );
  }
  const real = realExisting(absolute);
  const realRoots = roots.map((root) => realExisting(root).path);
  if (!realRoots.some((root) => inside(real.path, root)))
    return refuse(`it resolves through a symbolic link to ${real.path}, outside the project directory`);
  if (SYSTEM_ROOTS.some((system) => inside(real.path, system)))
    return refuse(`it resolves to the system folder ${real.path}`);
  if (real.stats && !real.stats.isFile() && !real.stats.isDirectory())
    return refuse('it is a device, socket or pipe, not a file');
  return { ok: true, absolute };
}

/** `path` with symlinks resolved as far as it exists; the rest appended as written. */
function realExisting(path: string): { path: string; stats?: Stats } {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(existing);
      const full = rest.length === 0 ? real : join(real, ...rest.reverse());
      return rest.length === 0 ? { path: full, stats: lstatSync(real) } : { path: full };
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return { path };
      rest.push(existing.slice(parent.length).replace(/^[\\/]/, ''));
      existing = parent;
    }
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
