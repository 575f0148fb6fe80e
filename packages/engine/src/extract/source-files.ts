// The files a file source names: its `path` (a file or a glob) resolved against the project
// directory, each checked to be a readable file before anything is read, so a typo fails with
// the path the user wrote rather than a reader's message.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse.js';
import { confineSourceFile, confineSourcePattern } from './confine-source.js';
import { SourceFileError } from './extract-errors.js';

export interface SourceFile {
  readonly path: string;
  /** As the user sees it: relative to the project directory, with `/`. */
  readonly relative: string;
  readonly size: number;
  /** When it was last written: a file read in place must not change before its rows commit. */
  readonly mtimeMs: number;
}

const GLOB_CHARS = /[*?[]/;

/** Every file `pattern` names, sorted; throws SourceFileError when none, or one is unreadable. */
export async function resolveSourceFiles(
  warehouse: Warehouse,
  projectDir: string,
  pattern: string,
  source: string,
): Promise<SourceFile[]> {
  confineSourcePattern(warehouse, projectDir, pattern, source);
  const absolute = isAbsolute(pattern) ? pattern : join(projectDir, pattern);
  const show = (path: string) => {
    const rel = relative(projectDir, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
  };
  const paths = GLOB_CHARS.test(pattern) ? await globFiles(warehouse, absolute) : [absolute];
  const noMatch = () =>
    new SourceFileError(
      'PIPE5101',
      `source "${source}": no file matches "${pattern}" (in ${projectDir})`,
      { source, file: pattern },
      { hint: 'Check the path: it is relative to the project directory, and the glob must match a file.' },
    );
  if (paths.length === 0) throw noMatch();
  const files: SourceFile[] = [];
  for (const path of paths) {
    const file = show(path);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        throw new SourceFileError(
          'PIPE5101',
          `source "${source}": file "${file}" not found (in ${projectDir})`,
          { source, file },
          { hint: 'Check the path: it is relative to the project directory.', cause: error },
        );
      }
      throw unreadable(source, file, error.code ?? error.message, error);
    });
    if (info.isDirectory()) {
      if (GLOB_CHARS.test(pattern)) continue;
      throw new SourceFileError(
        'PIPE5102',
        `source "${source}": "${file}" is a folder, not a file (use a glob such as "${pattern.replace(/\/$/, '')}/*")`,
        { source, file },
        { hint: 'Point the path at a file, or at the files of the folder with a glob.', retryable: false },
      );
    }
    await access(path, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
      throw unreadable(source, file, error.code ?? error.message, error);
    });
    confineSourceFile(warehouse, path, file, source);
    files.push({ path, relative: file, size: info.size, mtimeMs: info.mtimeMs });
  }
  if (files.length === 0) throw noMatch();
  return files;
}

function unreadable(source: string, file: string, why: string, cause: unknown): SourceFileError {
  const reason = why === 'EACCES' || why === 'EPERM' ? 'permission denied' : why;
  return new SourceFileError(
    'PIPE5102',
    `source "${source}": cannot read "${file}" (${reason})`,
    { source, file },
    { hint: 'Make the file readable by the user running pipectl.', cause },
  );
}

/** DuckDB's glob (`*`, `**`, `?`, `[...]`), the same matcher its readers use. */
async function globFiles(warehouse: Warehouse, pattern: string): Promise<string[]> {
  const rows = await warehouse.all<{ file: string }>('SELECT file FROM glob(?) ORDER BY file', [pattern]);
  return rows.map((row) => row.file);
}

/**
 * Throws a retryable PIPE5102 when a file read in place was rewritten since it was resolved
 * (its size or modification time differ): its rows were checked, but not these ones.
 */
export async function assertUnchanged(files: readonly SourceFile[], source: string): Promise<void> {
  for (const file of files) {
    const info = await stat(file.path).catch(() => undefined);
    if (info?.size === file.size && info.mtimeMs === file.mtimeMs) continue;
    throw new SourceFileError(
      'PIPE5102',
      `source "${source}": "${file.relative}" changed while the run was checking it`,
      { source, file: file.relative },
      {
        hint: 'Write source files under a new name and never rewrite them in place; a retry reads and checks the file again.',
      },
    );
  }
}
