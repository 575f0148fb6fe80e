// Rejected records are staged with the rows that passed: a reader writes them to the staging
// quarantine of the extraction (a temporary table shaped like `_pipectl.quarantine`), and they
// reach `_pipectl.quarantine` when the rows are committed (or kept as evidence when the checks
// refused the rows). Idempotent per run and source: the move first clears what an earlier attempt
// of the same run quarantined from the same source.
import { quoteIdent } from '../warehouse/identifiers.js';
import { QUARANTINE_TABLE } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { QuarantineSample } from './extract-report.js';

export interface QuarantineOrigin {
  readonly runId: string;
  readonly dataset: string;
  /** `source:<name>`. */
  readonly origin: string;
}

/** Quarantined records a report shows. */
export const SAMPLE_SIZE = 5;

/** Creates the (empty) staging quarantine `temp.main.<name>`, shaped like `_pipectl.quarantine`. */
export async function createStagedQuarantine(warehouse: Warehouse, name: string): Promise<void> {
  await warehouse.run(
    `CREATE TEMP TABLE ${quoteIdent(name)} AS
     SELECT run_id, dataset, origin, reason, position, record FROM ${QUARANTINE_TABLE} WHERE false`,
  );
}

/**
 * Replaces what earlier attempts of this run quarantined from this source with the staged
 * quarantine `stagedQuarantine` (a quoted relation); call inside the commit's transaction.
 */
export async function moveStagedQuarantine(
  warehouse: Warehouse,
  stagedQuarantine: string,
  origin: QuarantineOrigin,
): Promise<void> {
  await warehouse.run(`DELETE FROM ${QUARANTINE_TABLE} WHERE run_id = ? AND dataset = ? AND origin = ?`, [
    origin.runId,
    origin.dataset,
    origin.origin,
  ]);
  await warehouse.run(
    `INSERT INTO ${QUARANTINE_TABLE} (run_id, dataset, origin, reason, position, record, quarantined_at)
     SELECT run_id, dataset, origin, reason, position, record, current_timestamp FROM ${stagedQuarantine}`,
  );
}

/**
 * Copies the rows of `staging` whose `reason` is set (columns seq, position, record, reason)
 * into the staging quarantine `into` (a quoted relation); returns how many and the first
 * `samples` of them.
 */
export async function quarantineRejected(
  warehouse: Warehouse,
  staging: string,
  into: string,
  origin: QuarantineOrigin,
  samples = SAMPLE_SIZE,
): Promise<{ count: number; samples: QuarantineSample[] }> {
  const table = `temp.main.${quoteIdent(staging)}`;
  const inserted = await warehouse.all<{ Count: bigint }>(
    `INSERT INTO ${into} (run_id, dataset, origin, reason, position, record)
     SELECT ?, ?, ?, reason, position, CAST(record AS JSON) FROM ${table} WHERE reason IS NOT NULL ORDER BY seq`,
    [origin.runId, origin.dataset, origin.origin],
  );
  const count = Number(inserted[0]?.Count ?? 0);
  if (count === 0 || samples <= 0) return { count, samples: [] };
  const first = await warehouse.json<{ position: string; reason: string }>(
    `SELECT position, reason FROM ${table} WHERE reason IS NOT NULL ORDER BY seq LIMIT ${Math.floor(samples)}`,
  );
  return { count, samples: first.map(({ position, reason }) => ({ position, reason })) };
}
