// ProjectFiles that also know a file's size without reading it, so a check can skip a huge file
// before loading it into memory. Both sides of a check provide it: the working tree and git.
import { stat } from 'node:fs/promises';
import { fileSystemFiles, type ProjectFiles } from '@pipectl/compiler';

export interface SizedProjectFiles extends ProjectFiles {
  /** Size in bytes of the file at `path` (symlinks followed), undefined when there is none. */
  size(path: string): Promise<number | undefined>;
}

/** The working tree: the compiler's file-system files, plus sizes from stat. */
export function worktreeFiles(): SizedProjectFiles {
  return {
    ...fileSystemFiles(),
    async size(path) {
      try {
        return (await stat(path)).size;
      } catch {
        return undefined;
      }
    },
  };
}
