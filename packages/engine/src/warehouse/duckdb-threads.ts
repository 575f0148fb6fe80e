// How many threads each DuckDB instance of this process may use: DuckDB's own default (one per
// core) unless PIPECTL_DUCKDB_THREADS says otherwise. Small steps gain nothing from more threads
// than one and pay for them in CPU, and several worker processes on one machine each start an
// instance (a lakehouse worker one per attached lake): measured in docs/benchmarks.md.
import { WarehouseError } from './warehouse-errors.js';

export const THREADS_VARIABLE = 'PIPECTL_DUCKDB_THREADS';

/**
 * The `threads` setting for a new instance, or nothing when the variable is unset or empty.
 * @example duckdbThreads({ PIPECTL_DUCKDB_THREADS: '1' }) // { threads: '1' }
 */
export function duckdbThreads(env: Readonly<Record<string, string | undefined>> = process.env): {
  threads?: string;
} {
  const text = env[THREADS_VARIABLE]?.trim();
  if (text === undefined || text === '') return {};
  if (!/^[1-9][0-9]{0,3}$/.test(text)) {
    throw new WarehouseError('PIPE5205', `${THREADS_VARIABLE} is "${text}", not a number of threads`, {
      hint: `set ${THREADS_VARIABLE} to a whole number from 1 (e.g. 1 for small steps or several workers on one machine), or unset it for one thread per core`,
      retryable: false,
    });
  }
  return { threads: text };
}
