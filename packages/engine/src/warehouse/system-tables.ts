// pipectl's own tables in the warehouse, in schema `_pipectl`. Created on demand, idempotently.
// Other modules add their own tables (registry, extraction state) next to these.
import type { Warehouse } from './warehouse.js';
import { ensureOnce } from './warehouse-errors.js';

export const SYSTEM_SCHEMA = '_pipectl';

/**
 * Rejected rows, whatever rejected them: a JSON record failing its contract's row schema, or a
 * row failing a gate declared with `onFail: quarantine`. `record` holds the row as JSON.
 */
export const QUARANTINE_TABLE = `"${SYSTEM_SCHEMA}"."quarantine"`;

export async function ensureSystemTables(warehouse: Warehouse): Promise<void> {
  await ensureOnce(warehouse, 'table:quarantine', () =>
    warehouse.run(`
    CREATE SCHEMA IF NOT EXISTS "${SYSTEM_SCHEMA}";
    CREATE TABLE IF NOT EXISTS ${QUARANTINE_TABLE} (
      run_id      VARCHAR NOT NULL,
      dataset     VARCHAR NOT NULL,
      origin      VARCHAR NOT NULL,  -- 'source:<name>' or 'check:<check id>'
      reason      VARCHAR NOT NULL,
      position    VARCHAR,           -- where the row came from: 'file.ndjson:12' or null
      record      JSON NOT NULL,
      quarantined_at TIMESTAMP NOT NULL  -- written by each INSERT (DuckLake takes literal defaults only)
    );
  `),
  );
}
