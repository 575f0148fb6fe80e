// The warehouse: one DuckDB database (a `.duckdb` file, or in memory) behind a small interface,
// so the engine's logic reads as SQL and tests run against real DuckDB files.
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;
export type SqlParams = readonly DuckDBValue[] | Record<string, DuckDBValue>;

export interface Warehouse {
  /** Runs one or more statements, ignoring their results. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Runs a query and returns its rows as plain JS values (bigint for BIGINT, Date-free strings for JSON-friendly use via `json`). */
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Rows converted to JSON-safe values (numbers, strings, booleans, null): for reports and payloads. */
  json<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T>;
  /** The underlying DuckDB connection, for appenders and streaming. */
  readonly connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens (creating if needed) a DuckDB database file, or an in-memory one for `:memory:`.
 * @example const wh = await openWarehouse('.pipectl/warehouse.duckdb'); await wh.all('select 42 as x')
 */
export async function openWarehouse(path: string): Promise<Warehouse> {
  const instance = await DuckDBInstance.create(path);
  const connection = await DuckDBConnection.create(instance);
  return wrap(connection, () => {
    connection.closeSync();
    instance.closeSync();
  });
}

function wrap(connection: DuckDBConnection, close: () => void): Warehouse {
  let inTransaction = false;
  const warehouse: Warehouse = {
    connection,
    async run(sql, params) {
      await connection.run(sql, params as DuckDBValue[] | undefined);
    },
    async all<T extends Row>(sql: string, params?: SqlParams) {
      const reader = await connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJS() as T[];
    },
    async json<T extends Row>(sql: string, params?: SqlParams) {
      const reader = await connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJson() as T[];
    },
    async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
      // Nested calls join the outer transaction: DuckDB has no savepoints.
      if (inTransaction) return work(warehouse);
      await connection.run('BEGIN TRANSACTION');
      inTransaction = true;
      try {
        const result = await work(warehouse);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    close,
  };
  return warehouse;
}
