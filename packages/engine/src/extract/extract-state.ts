// Where incremental extraction remembers how far it got: one row per pipeline and source in
// `_pipectl.extract_state`, written in the same transaction as the rows it describes, so the
// cursor only advances when the extraction commits.
import { SYSTEM_SCHEMA } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ensureDdl } from '../warehouse/warehouse-errors.js';

export const EXTRACT_STATE_TABLE = `"${SYSTEM_SCHEMA}"."extract_state"`;

export interface ExtractState {
  /** The cursor column the value belongs to: a changed `incremental.cursor` starts afresh. */
  readonly cursorColumn: string;
  /** The largest cursor value landed so far, in PostgreSQL's text form. */
  readonly cursorValue: string;
  readonly runId: string;
  readonly updatedAt: string;
}

export async function ensureExtractStateTable(warehouse: Warehouse): Promise<void> {
  await ensureDdl(() =>
    warehouse.run(`
    CREATE SCHEMA IF NOT EXISTS "${SYSTEM_SCHEMA}";
    CREATE TABLE IF NOT EXISTS ${EXTRACT_STATE_TABLE} (
      pipeline      VARCHAR NOT NULL,
      source        VARCHAR NOT NULL,
      cursor_value  VARCHAR,
      run_id        VARCHAR NOT NULL,
      updated_at    TIMESTAMP NOT NULL,
      cursor_column VARCHAR
    );
  `),
  );
}

/** The state of one source, or undefined before its first successful incremental run. */
export async function readExtractState(
  warehouse: Warehouse,
  pipeline: string,
  source: string,
): Promise<ExtractState | undefined> {
  const rows = await warehouse.json<{
    cursor_column: string | null;
    cursor_value: string | null;
    run_id: string;
    updated_at: string;
  }>(
    `SELECT cursor_column, cursor_value, run_id, CAST(updated_at AS VARCHAR) AS updated_at
     FROM ${EXTRACT_STATE_TABLE} WHERE pipeline = ? AND source = ? ORDER BY updated_at DESC LIMIT 1`,
    [pipeline, source],
  );
  const row = rows[0];
  if (!row || row.cursor_value === null) return undefined;
  return {
    cursorColumn: row.cursor_column ?? '',
    cursorValue: row.cursor_value,
    runId: row.run_id,
    updatedAt: row.updated_at,
  };
}

/** Records the new cursor; call inside the extraction's transaction. */
export async function writeExtractState(
  warehouse: Warehouse,
  state: { pipeline: string; source: string; cursorColumn: string; cursorValue: string; runId: string },
): Promise<void> {
  await warehouse.run(`DELETE FROM ${EXTRACT_STATE_TABLE} WHERE pipeline = ? AND source = ?`, [
    state.pipeline,
    state.source,
  ]);
  await warehouse.run(
    `INSERT INTO ${EXTRACT_STATE_TABLE} (pipeline, source, cursor_value, run_id, cursor_column, updated_at)
     VALUES (?, ?, ?, ?, ?, current_timestamp)`,
    [state.pipeline, state.source, state.cursorValue, state.runId, state.cursorColumn],
  );
}
