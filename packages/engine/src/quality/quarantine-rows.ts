// Quarantine: failing rows of gates declared `onFail: quarantine` move from the staged output to
// `_pipectl.quarantine` (as JSON, with the check that rejected them), in one transaction. Keyed on
// run id + dataset + check, so a retried run replaces its earlier quarantine rows instead of
// adding to them.
import { toCount } from '../report/json-safe.js';
import { quoteLiteral } from '../warehouse/identifiers.js';
import { ensureSystemTables, QUARANTINE_TABLE } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface QuarantineEntry {
  readonly checkId: string;
  /** Failing-row filter over the relation aliased `r`. */
  readonly filter: string;
  readonly reason: string;
}

export interface QuarantineOutcome {
  /** Distinct rows removed from the relation (a row failing two checks counts once). */
  readonly removed: number;
  /** Rows quarantined per check id. */
  readonly perCheck: ReadonlyMap<string, number>;
  /** SQL statements run. */
  readonly statements: number;
}

const IDS = '"__pipectl_quarantine_ids"';

/** Moves the failing rows of `entries` out of `relation` (a table) into the quarantine table. */
export async function quarantineRows(
  warehouse: Warehouse,
  input: { relation: string; dataset: string; runId: string; entries: readonly QuarantineEntry[] },
): Promise<QuarantineOutcome> {
  const { relation, dataset, runId, entries } = input;
  if (entries.length === 0) return { removed: 0, perCheck: new Map(), statements: 0 };
  await ensureSystemTables(warehouse);
  return warehouse.transaction(async (tx) => {
    const selects = entries.map(
      (entry) =>
        `SELECT r.rowid AS rid, ${quoteLiteral(`check:${entry.checkId}`)} AS origin, ${quoteLiteral(entry.reason)} AS reason ` +
        `FROM ${relation} AS r WHERE ${entry.filter}`,
    );
    await tx.run(`CREATE OR REPLACE TEMP TABLE ${IDS} AS\n${selects.join('\nUNION ALL\n')}`);
    const origins = entries.map((entry) => quoteLiteral(`check:${entry.checkId}`)).join(', ');
    await tx.run(
      `DELETE FROM ${QUARANTINE_TABLE} WHERE run_id = ? AND dataset = ? AND origin IN (${origins})`,
      [runId, dataset],
    );
    await tx.run(
      `INSERT INTO ${QUARANTINE_TABLE} (run_id, dataset, origin, reason, position, record, quarantined_at)
       SELECT ?, ?, q.origin, q.reason, NULL, to_json(r), current_timestamp FROM ${relation} AS r JOIN ${IDS} AS q ON q.rid = r.rowid`,
      [runId, dataset],
    );
    const counts = await tx.all<{ origin: string; n: bigint }>(
      `SELECT origin, count(*) AS n FROM ${IDS} GROUP BY origin`,
    );
    const [deleted] = await tx.all<{ n: bigint }>(`SELECT count(DISTINCT rid) AS n FROM ${IDS}`);
    await tx.run(`DELETE FROM ${relation} WHERE rowid IN (SELECT rid FROM ${IDS})`);
    await tx.run(`DROP TABLE ${IDS}`);
    return {
      removed: toCount(deleted?.n),
      perCheck: new Map(counts.map((row) => [row.origin.slice('check:'.length), toCount(row.n)])),
      statements: 7,
    };
  });
}
