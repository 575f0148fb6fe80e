// Small parsers for option values shared by commands, each failing with a usage error.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../usage-error.js';

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown format "${value}"`, `use one of: ${allowed.join(', ')}`);
}

export function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/**
 * A logical date as the user typed it: a real calendar day written `YYYY-MM-DD`.
 * @example parseCalendarDate('2026-11-21', '--date') // '2026-11-21'
 */
export function parseCalendarDate(value: string, name: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  // Date.UTC rolls 2030-13-45 over into 2031; a real date survives the round trip unchanged.
  const real =
    match !== null &&
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
      .toISOString()
      .slice(0, 10) === value;
  if (real) return value;
  throw new UsageError(
    `${name} must be a calendar date written YYYY-MM-DD, got "${value}"`,
    `e.g. ${name} 2026-11-21 (month 01-12, a day that month has)`,
  );
}

/** Writes `--output`'s file (relative to `cwd`) and returns its absolute path; a usage error when it cannot. */
export async function writeOutput(cwd: string, output: string, text: string): Promise<string> {
  const file = resolve(cwd, output);
  await writeFile(file, text).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot write "${output}" (${error.code ?? error.message})`,
      'pass a file in an existing, writable directory',
    );
  });
  return file;
}

/** `--no-cache`, on every command that compiles a project (commander then sets `cache: false`). */
export const NO_CACHE_HELP =
  'compile without reading or writing the compile cache (.pipectl/cache/); also PIPECTL_NO_CACHE=1';

/** Whether a command compiles through the project's compile cache: unless `--no-cache` or PIPECTL_NO_CACHE=1. */
export function usesCache(options: { readonly cache?: boolean }): boolean {
  return options.cache !== false && process.env.PIPECTL_NO_CACHE !== '1';
}
