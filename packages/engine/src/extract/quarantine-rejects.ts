// Rejected records land in `_pipectl.quarantine` with their reason and position, in the same
// transaction as the rows that passed. Idempotent per run and source: a retried run first
// clears what an earlier attempt of the same run quarantined.
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

/** Removes what an earlier attempt of this run quarantined from this source. */
export async function clearQuarantine(warehouse: Warehouse, origin: QuarantineOrigin): Promise<void> {
  await warehouse.run(`DELETE FROM ${QUARANTINE_TABLE} WHERE run_id = ? AND dataset = ? AND origin = ?`, [
    origin.runId,
    origin.dataset,
    origin.origin,
  ]);
}

/**
 * Copies the rows of `staging` whose `reason` is set (columns seq, position, record, reason)
 * into the quarantine; returns how many and the first `samples` of them.
 */
export async function quarantineRejected(
  warehouse: Warehouse,
  staging: string,
  origin: QuarantineOrigin,
  samples = SAMPLE_SIZE,
): Promise<{ count: number; samples: QuarantineSample[] }> {
  const table = `temp.main.${quoteIdent(staging)}`;
  const inserted = await warehouse.all<{ Count: bigint }>(
    `INSERT INTO ${QUARANTINE_TABLE} (run_id, dataset, origin, reason, position, record)
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
