// The loader's only door to files. The loader asks three questions (what is at a path, which
// files are under a folder, what does a file say); the file system answers them by default, and
// other sources (a git revision, in @pipectl/check) answer them through the same interface.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type FileKind = 'file' | 'directory';

/**
 * Where a project's files come from. Paths are absolute, as the loader resolves them from the
 * project directory.
 */
export interface ProjectFiles {
  /** What is at `path` (symlinks followed): a file, a directory, or nothing usable (undefined). */
  kind(path: string): Promise<FileKind | undefined>;
  /**
   * Every file under `dir`, recursively, as absolute paths in any order. Entries whose name starts
   * with a dot and `node_modules` folders are left out. Symlinks are listed as files (not followed
   * into), so one that points nowhere is reported when it is read. Rejects with a ListingError
   * when a folder cannot be read or the tree is too large to be a project folder.
   */
  list(dir: string): Promise<string[]>;
  /** The UTF-8 text of a file; rejects with an error whose `code` (ENOENT, ...) or message says why. */
  read(path: string): Promise<string>;
}

/** Why a folder could not be listed: an unreadable folder in it, or more entries than a project has. */
export class ListingError extends Error {
  override readonly name = 'ListingError';

  constructor(
    /** The folder that could not be read, or the folder whose listing was given up. */
    readonly path: string,
    readonly reason: 'unreadable' | 'too-large',
    /** The errno code (EACCES, ...) or the limit that was reached. */
    readonly detail: string,
  ) {
    super(
      reason === 'unreadable'
        ? `cannot read folder ${path} (${detail})`
        : `${path} holds more than ${detail} entries`,
    );
  }
}

/** How many entries a listing visits before it gives up: far more than any project, far fewer than a disk. */
export const MAX_LISTED_ENTRIES = 100_000;

export interface FileSystemFilesOptions {
  /** See MAX_LISTED_ENTRIES. */
  readonly maxEntries?: number;
}

/** Whether a path segment is left out of listings: hidden entries and installed packages. */
export function isIgnoredSegment(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * ProjectFiles over the local file system, the loader's default.
 * @example await loadProject('examples/shop', { files: fileSystemFiles() })
 */
export function fileSystemFiles(options: FileSystemFilesOptions = {}): ProjectFiles {
  const maxEntries = options.maxEntries ?? MAX_LISTED_ENTRIES;
  return {
    async kind(path) {
      try {
        const stats = await stat(path);
        return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : undefined;
      } catch {
        return undefined;
      }
    },
    async list(dir) {
      const found: string[] = [];
      let visited = 0;
      const walk = async (current: string): Promise<void> => {
        const entries = await readdir(current, { withFileTypes: true }).catch((error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          throw new ListingError(current, 'unreadable', code);
        });
        visited += entries.length;
        if (visited > maxEntries) throw new ListingError(dir, 'too-large', String(maxEntries));
        await Promise.all(
          entries.map(async (entry) => {
            if (isIgnoredSegment(entry.name)) return;
            const path = join(current, entry.name);
            if (entry.isDirectory()) await walk(path);
            else if (entry.isFile() || entry.isSymbolicLink()) found.push(path);
          }),
        );
      };
      await walk(dir);
      return found;
    },
    read: (path) => readFile(path, 'utf8'),
  };
}
