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
   * into), so one that points nowhere is reported when it is read.
   */
  list(dir: string): Promise<string[]>;
  /** The UTF-8 text of a file; rejects with an error whose `code` (ENOENT, ...) or message says why. */
  read(path: string): Promise<string>;
}

/** Whether a path segment is left out of listings: hidden entries and installed packages. */
export function isIgnoredSegment(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * ProjectFiles over the local file system, the loader's default.
 * @example await loadProject('examples/shop', { files: fileSystemFiles() })
 */
export function fileSystemFiles(): ProjectFiles {
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
      const walk = async (current: string): Promise<void> => {
        const entries = await readdir(current, { withFileTypes: true });
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
