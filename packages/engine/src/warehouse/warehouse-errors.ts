// Errors of the warehouse itself (not of the data): a lakehouse commit that lost a race with
// another writer, a catalog that cannot be attached, an extension that is not installed. Each has
// a stable code; `retryable` says whether running the same work again can succeed.
import { type IssueCode, PipectlError } from '@pipectl/spec';
import type { Warehouse } from './warehouse.js';

export class WarehouseError extends PipectlError {
  constructor(
    code: IssueCode,
    message: string,
    options: { hint: string; retryable: boolean; cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * Another writer committed a change to the same table first (DuckLake's "Transaction conflict"), or
 * a SQLite catalog was locked: nothing of this transaction was committed; run it again.
 */
export class WarehouseConflictError extends WarehouseError {
  constructor(message: string, cause: unknown) {
    super('PIPE5202', message, {
      hint: 'Another process committed to the same dataset at the same moment; nothing of this attempt was committed. Run it again (Temporal retries it by itself).',
      retryable: true,
      cause,
    });
  }
}

/** DuckLake's words for a commit that lost a race (and SQLite's for a locked catalog). */
const CONFLICT =
  /Transaction conflict|database is locked|Failed to flush changes into DuckLake|Failed to commit DuckLake/i;

export function isConflict(error: unknown): boolean {
  return error instanceof WarehouseConflictError || (error instanceof Error && CONFLICT.test(error.message));
}

/** A conninfo or URL with its password replaced by `***`, for messages. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***')
    .replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}

/**
 * Runs `work` again (up to `attempts` times, with a short growing pause) while it fails with a
 * commit conflict: for idempotent statements outside a transaction, such as `CREATE … IF NOT EXISTS`
 * racing another worker's.
 */
export async function retryOnConflict<T>(
  work: () => Promise<T>,
  attempts = 8,
  retryable: (error: unknown) => boolean = isConflict,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((done) => setTimeout(done, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

/** DuckDB's words when a `… IF NOT EXISTS` lost its race: another writer committed the object first. */
const ALREADY_EXISTS = /already exists/i;

/**
 * Runs idempotent DDL (`CREATE … IF NOT EXISTS`, `ALTER TABLE … ADD COLUMN IF NOT EXISTS`) that
 * other workers may run at the same moment on a lake. The writer that commits second fails with a
 * commit conflict, or, when both checked "not exists" before either committed, with "already
 * exists"; run again, the statement sees the winner's object and does nothing.
 * @example await ensureDdl(() => warehouse.run('CREATE SCHEMA IF NOT EXISTS "_pipectl"'))
 */
export function ensureDdl<T>(work: () => Promise<T>): Promise<T> {
  return retryOnConflict(
    work,
    8,
    (error) => isConflict(error) || (error instanceof Error && ALREADY_EXISTS.test(error.message)),
  );
}

/**
 * `ensureDdl` once per warehouse: idempotent DDL named by `fact` (e.g. `schema:"mart"`) runs the
 * first time and is skipped after, as long as the warehouse knows it held (see `Warehouse.known`).
 * @example await ensureOnce(warehouse, 'schema:"mart"', () => warehouse.run('CREATE SCHEMA IF NOT EXISTS "mart"'))
 */
export async function ensureOnce(
  warehouse: Pick<Warehouse, 'known'>,
  fact: string,
  work: () => Promise<unknown>,
): Promise<void> {
  if (warehouse.known.has(fact)) return;
  await ensureDdl(work);
  warehouse.known.add(fact);
}
