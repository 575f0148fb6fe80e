// Keeps what is not YAML out of the loader: a document file larger than the limit, or holding NUL
// bytes (binary), is left out of listings and recorded as skipped, so the check reports it once
// instead of failing on it. Other files the loader reads (SQL files, pipectl.yaml) are refused
// with the reason, which the loader reports as an unreadable file.
import { basename } from 'node:path';
import { DOCUMENT_FILE, type ProjectFiles } from '@pipectl/compiler';
import type { SizedProjectFiles } from './sized-files.js';

/** Files over this size are not read: no real contract or pipeline comes near it. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type SkipReason = 'binary' | 'too-large';

export interface SkippedFile {
  /** Absolute path, as the loader asked for it. */
  readonly path: string;
  readonly reason: SkipReason;
  readonly size: number;
}

export interface GuardedFiles extends ProjectFiles {
  /** The document files left out so far, in the order they were found. */
  readonly skipped: readonly SkippedFile[];
}

/** git's own test: a NUL byte near the start means binary. */
function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

/** `1.5 MiB`, `812 KiB`, `12 bytes`. */
export function formatBytes(size: number): string {
  if (size >= 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
  if (size >= 1024) return `${Math.round(size / 1024)} KiB`;
  return `${size} bytes`;
}

/**
 * Wraps `inner` so that binary and oversized document files are skipped.
 * @example const files = guardFiles(worktreeFiles()); await loadProject(dir, { files }); files.skipped
 */
export function guardFiles(inner: SizedProjectFiles, maxBytes = DEFAULT_MAX_FILE_BYTES): GuardedFiles {
  const skipped: SkippedFile[] = [];
  const texts = new Map<string, string>();

  /** The text, or why it is not read. Read errors propagate: the loader reports them. */
  const check = async (path: string): Promise<{ text: string } | SkippedFile> => {
    const size = await inner.size(path);
    if (size !== undefined && size > maxBytes) return { path, reason: 'too-large', size };
    const text = await inner.read(path);
    return isBinary(text) ? { path, reason: 'binary', size: size ?? Buffer.byteLength(text) } : { text };
  };

  return {
    skipped,
    kind: (path) => inner.kind(path),
    async list(dir) {
      const listed = await inner.list(dir);
      // Documents are read now, all at once (one batch for git), and kept for the loader's read().
      const verdicts = await Promise.all(
        listed.map(async (path) => {
          if (!DOCUMENT_FILE.test(basename(path))) return true;
          try {
            const result = await check(path);
            if ('text' in result) {
              texts.set(path, result.text);
              return true;
            }
            if (!skipped.some((file) => file.path === path)) skipped.push(result);
            return false;
          } catch {
            return true; // unreadable: listed, so the loader reports why
          }
        }),
      );
      return listed.filter((_, index) => verdicts[index]);
    },
    async read(path) {
      const kept = texts.get(path);
      if (kept !== undefined) return kept;
      const result = await check(path);
      if ('text' in result) return result.text;
      throw new Error(
        result.reason === 'binary'
          ? 'binary file, not text'
          : `${formatBytes(result.size)}, over the ${formatBytes(maxBytes)} limit`,
      );
    },
  };
}
