// A project as it is at a git revision, without checking it out: the compiler's ProjectFiles
// answered from `git ls-tree` (which files, how large) and `git cat-file --batch` (what they say).
// Reads asked for in the same tick are fetched together, and the files a caller names up front
// (`prefetch`) are fetched at once, so loading a whole project starts one cat-file process.
import { posix } from 'node:path';
import { type FileKind, isIgnoredSegment } from '@pipectl/compiler';
import type { SizedProjectFiles } from '../files/sized-files.js';
import { catFileBatch } from './cat-file-batch.js';
import type { Git } from './git-runner.js';

export interface GitFilesOptions {
  readonly git: Git;
  /** Absolute path of the repository's top level: paths asked for are under it. */
  readonly repoRoot: string;
  /** The commit to read (an object id, or any name `git rev-parse` resolves). */
  readonly commit: string;
  /** Repository-relative folder listed up front (the project); '' for the whole tree. */
  readonly scope: string;
  /**
   * Files under the scope to read at once, in the same batch, before anyone asks (by
   * repository-relative path and size): with it, a whole project costs one `cat-file`.
   */
  readonly prefetch?: (path: string, size: number | undefined) => boolean;
}

interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly oid: string;
  readonly size: number | undefined;
}

const SYMLINK_MODE = '120000';
const MAX_LINK_HOPS = 8;

/**
 * ProjectFiles for `commit`. Paths outside `scope` are looked up one by one when asked for.
 * @example await loadProject(join(repoRoot, 'examples/shop'), { files: await createGitFiles({ git, repoRoot, commit: 'origin/main', scope: 'examples/shop' }) })
 */
export async function createGitFiles(options: GitFilesOptions): Promise<SizedProjectFiles> {
  const { git, repoRoot, commit, scope } = options;
  const entries = await lsTree(git, commit, scope, true);
  const directories = new Set<string>();
  for (const path of entries.keys()) {
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) {
      if (directories.has(dir)) break;
      directories.add(dir);
    }
  }
  const inScope = (rel: string) => scope === '' || rel === scope || rel.startsWith(`${scope}/`);
  const outside = new Map<string, Promise<TreeEntry | 'directory' | undefined>>();

  /** Repository-relative path of an absolute one; undefined outside the repository. */
  const toRel = (path: string): string | undefined => {
    const rel = posix.relative(repoRoot, path);
    return rel === '' ? '' : rel.startsWith('..') || posix.isAbsolute(rel) ? undefined : rel;
  };
  const lookup = async (rel: string): Promise<TreeEntry | 'directory' | undefined> => {
    if (rel === '' || directories.has(rel)) return 'directory';
    if (inScope(rel)) return entries.get(rel);
    let found = outside.get(rel);
    if (!found) {
      found = lsTree(git, commit, rel, false).then((listed) => {
        const entry = listed.get(rel);
        return entry?.type === 'tree' ? 'directory' : entry;
      });
      outside.set(rel, found);
    }
    return found;
  };

  const blobs = blobReader(git);
  /** Follows symlinks inside the tree; undefined when a link leads nowhere (or out of the repository). */
  const resolveEntry = async (rel: string): Promise<TreeEntry | 'directory' | undefined> => {
    let current = rel;
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const entry = await lookup(current);
      if (entry === 'directory' || entry?.mode !== SYMLINK_MODE) return entry;
      const target = (await blobs.read(entry.oid)).toString('utf8');
      const next = posix.normalize(posix.join(posix.dirname(current), target));
      if (posix.isAbsolute(target) || next.startsWith('..')) return undefined;
      current = next;
    }
    return undefined;
  };

  if (options.prefetch) {
    for (const [path, entry] of entries) {
      // Failures surface from read(); a prefetch only warms the cache.
      if (entry.type === 'blob' && options.prefetch(path, entry.size))
        blobs.read(entry.oid).catch(() => undefined);
    }
  }

  const notFound = (path: string): Error =>
    Object.assign(new Error(`"${path}" is not in ${commit}`), { code: 'ENOENT' });

  return {
    async kind(path): Promise<FileKind | undefined> {
      const rel = toRel(path);
      if (rel === undefined) return undefined;
      const entry = await resolveEntry(rel);
      if (entry === 'directory') return 'directory';
      return entry?.type === 'blob' ? 'file' : undefined;
    },
    async list(dir) {
      const rel = toRel(dir);
      if (rel === undefined) return [];
      const prefix = rel === '' ? '' : `${rel}/`;
      // Folders outside the scope (a project whose contracts live in `../shared`) are listed on demand.
      const source = inScope(rel) ? entries : await lsTree(git, commit, rel, true);
      const listed: string[] = [];
      for (const [path, entry] of source) {
        if (!path.startsWith(prefix) || entry.type !== 'blob') continue;
        if (path.slice(prefix.length).split('/').some(isIgnoredSegment)) continue;
        listed.push(posix.join(repoRoot, path));
      }
      return listed;
    },
    async read(path) {
      const rel = toRel(path);
      const entry = rel === undefined ? undefined : await resolveEntry(rel);
      if (entry === undefined || entry === 'directory' || entry.type !== 'blob') throw notFound(rel ?? path);
      return (await blobs.read(entry.oid)).toString('utf8');
    },
    async size(path) {
      const rel = toRel(path);
      const entry = rel === undefined ? undefined : await resolveEntry(rel);
      return entry === undefined || entry === 'directory' ? undefined : entry.size;
    },
  };
}

/** `git ls-tree -l -z` of `path` at `commit`, recursively when asked: entries by repository-relative path. */
async function lsTree(
  git: Git,
  commit: string,
  path: string,
  recursive: boolean,
): Promise<Map<string, TreeEntry>> {
  const args = ['ls-tree', ...(recursive ? ['-r'] : []), '-l', '-z', '--full-tree', commit];
  if (path !== '') args.push('--', path);
  const output = (await git.run(args)).toString('utf8');
  const entries = new Map<string, TreeEntry>();
  for (const record of output.split('\0')) {
    // `<mode> SP <type> SP <oid> SP+ <size>\t<path>`; size is `-` for trees and submodules.
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(record);
    if (!match) continue;
    const [, mode, type, oid, size, file] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    entries.set(file, { mode, type, oid, size: size === '-' ? undefined : Number(size) });
  }
  return entries;
}

/** Blob contents by object id, fetched in batches: every read asked for before the next tick shares one git. */
function blobReader(git: Git): { read(oid: string): Promise<Buffer> } {
  const cache = new Map<string, Promise<Buffer>>();
  let pending: { oid: string; resolve: (content: Buffer) => void; reject: (error: unknown) => void }[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    try {
      const objects = await catFileBatch(
        git,
        batch.map((item) => item.oid),
      );
      batch.forEach((item, index) => {
        const object = objects[index];
        if (object?.found) item.resolve(object.content);
        else item.reject(Object.assign(new Error(`git object ${item.oid} is missing`), { code: 'ENOENT' }));
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  };
  return {
    read(oid) {
      let content = cache.get(oid);
      if (!content) {
        content = new Promise<Buffer>((resolve, reject) => {
          if (pending.length === 0) setImmediate(() => void flush());
          pending.push({ oid, resolve, reject });
        });
        cache.set(oid, content);
      }
      return content;
    },
  };
}
