// The shared throwaway PostgreSQL server (test-support/postgres-server.ts) with an SQL client, for
// the engine's tests of PostgreSQL sources and catalogs.
import pg from 'pg';
import { startPostgresServer, type TestPostgresServer } from '../../../../test-support/postgres-server.js';

export { postgresBinDir } from '../../../../test-support/postgres-server.js';

export interface TestPostgres extends TestPostgresServer {
  /** Runs SQL as the superuser `pipectl` (one connection per call). */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<T[]>;
}

/** Starts a fresh server; call `stop()` in `afterAll`. */
export async function startPostgres(): Promise<TestPostgres> {
  const server = await startPostgresServer();
  return {
    ...server,
    async sql(text, params) {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
  };
}
