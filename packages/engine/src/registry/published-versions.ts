// The published-schema registry: `_pipectl.published_versions` records every publication of every
// dataset (contract version, the schema published as a contract, its hash, run id, time, approval).
// It answers "what did consumers last see?" for compatibility checks, and "did this run publish
// already?" for idempotent retries. Rows are written in the publishing transaction itself. On a
// lakehouse that transaction is one snapshot, labelled with the dataset and run, so each version
// knows its snapshot id and can be read again with time travel (`relationAtVersion`).
import type { Contract } from '@pipectl/spec';
import { toCount } from '../report/json-safe.js';
import { quoteRelation, relationNameOf } from '../schema/relation-name.js';
import { quoteLiteral } from '../warehouse/identifiers.js';
import { SYSTEM_SCHEMA } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ensureDdl } from '../warehouse/warehouse-errors.js';
import { ensureCheckResults } from './check-results.js';

export const REGISTRY_TABLE = `"${SYSTEM_SCHEMA}"."published_versions"`;

export interface Approval {
  /** Who decided (a name from the contract's approvers). */
  readonly by: string;
  readonly decision: 'approved' | 'rejected';
  readonly comment?: string;
  /** The approver's verified SSH signature, when the project requires signed approvals. */
  readonly signature?: ApprovalSignature;
}

/** A signed decision as the run verified it: re-checkable with `ssh-keygen -Y verify`. */
export interface ApprovalSignature {
  /** `SHA256:…` of the approver's key. */
  readonly fingerprint: string;
  readonly signedAt: string;
  /** The armored SSHSIG (namespace `pipectl-approval`). */
  readonly signature: string;
  /** The exact message signed. */
  readonly message: string;
  /** When the run took the decision, and how (`signal`, `update`). */
  readonly decidedAt?: string;
  readonly via?: string;
}

export interface PublishedVersion {
  readonly dataset: string;
  readonly runId: string;
  /** The step that published it (`pipeline/step`), when known. */
  readonly step?: string;
  readonly contractVersion: string;
  /** The contract as published: declared promises with the types DuckDB stores. */
  readonly schema: Contract;
  /** sha256 of the published columns' names, stored types and nullability. */
  readonly schemaHash: string;
  readonly materialized: string;
  readonly rowsWritten: number;
  /** ISO time of the publishing transaction. */
  readonly publishedAt: string;
  readonly approval?: Approval;
  /** On a lakehouse: the snapshot this publication committed as (read it with `relationAtVersion`). */
  readonly snapshotId?: number;
}

export async function ensureRegistry(warehouse: Warehouse): Promise<void> {
  if (warehouse.known.has(REGISTRY_COMPLETE)) {
    await ensureCheckResults(warehouse);
    return;
  }
  // Idempotent, and on a lake it may race another worker's: a lost race is simply run again.
  await ensureDdl(() =>
    warehouse.run(`
    CREATE SCHEMA IF NOT EXISTS "${SYSTEM_SCHEMA}";
    CREATE TABLE IF NOT EXISTS ${REGISTRY_TABLE} (
      dataset          VARCHAR NOT NULL,
      run_id           VARCHAR NOT NULL,
      step             VARCHAR,
      contract_version VARCHAR NOT NULL,
      schema_json      JSON NOT NULL,
      schema_hash      VARCHAR NOT NULL,
      materialized     VARCHAR NOT NULL,
      rows_written     BIGINT NOT NULL,
      published_at     TIMESTAMPTZ NOT NULL,
      approved_by      VARCHAR,
      decision         VARCHAR,
      decision_comment VARCHAR${warehouse.storage.keyClause(['dataset', 'run_id'])}
    );
  `),
  );
  // Added with signed approvals: registries made before gain the column (NULL for their rows).
  await ensureDdl(() =>
    warehouse.run(`ALTER TABLE ${REGISTRY_TABLE} ADD COLUMN IF NOT EXISTS decision_signature VARCHAR`),
  );
  warehouse.known.add(REGISTRY_COMPLETE);
  // Added with check results: registries made before gain the table (empty: no history before it).
  await ensureCheckResults(warehouse);
}

/**
 * Records a publication; call inside the publishing transaction (on a lake this also labels the
 * transaction's snapshot with the dataset and run).
 */
export async function recordPublication(
  warehouse: Warehouse,
  version: Omit<PublishedVersion, 'publishedAt' | 'snapshotId'>,
): Promise<void> {
  await warehouse.storage.labelCommit(warehouse, { dataset: version.dataset, runId: version.runId });
  await warehouse.run(
    `INSERT INTO ${REGISTRY_TABLE}
       (dataset, run_id, step, contract_version, schema_json, schema_hash, materialized, rows_written,
        approved_by, decision, decision_comment, decision_signature, published_at)
     VALUES (?, ?, ?, ?, ?::JSON, ?, ?, ?, ?, ?, ?, ?, current_timestamp)`,
    [
      version.dataset,
      version.runId,
      version.step ?? null,
      version.contractVersion,
      JSON.stringify(version.schema),
      version.schemaHash,
      version.materialized,
      BigInt(version.rowsWritten),
      version.approval?.by ?? null,
      version.approval?.decision ?? null,
      version.approval?.comment ?? null,
      version.approval?.signature ? JSON.stringify(version.approval.signature) : null,
    ],
  );
}

/** The publication of `dataset` by `runId`, if that run published it. */
export async function findPublication(
  warehouse: Warehouse,
  dataset: string,
  runId: string,
): Promise<PublishedVersion | undefined> {
  const columns = await registryColumns(warehouse);
  if (!columns) return undefined;
  // Literals, not parameters: one call into DuckDB instead of extract, prepare, bind and run.
  const rows = await warehouse.all<RegistryRow>(
    `${select(warehouse, columns)} WHERE dataset = ${quoteLiteral(dataset)} AND run_id = ${quoteLiteral(runId)}`,
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The latest publication of `dataset`: what its consumers see now. */
export async function latestPublication(
  warehouse: Warehouse,
  dataset: string,
): Promise<PublishedVersion | undefined> {
  const history = await publicationHistory(warehouse, dataset, 1);
  return history[0];
}

/**
 * Publications of `dataset`, oldest first; with `last`, only the newest `last` of them.
 * @example (await publicationHistory(wh, 'mart.orders')).map((v) => v.contractVersion) // ['1.0.0', '1.1.0']
 */
export async function publicationHistory(
  warehouse: Warehouse,
  dataset: string,
  last?: number,
): Promise<PublishedVersion[]> {
  const columns = await registryColumns(warehouse);
  if (!columns) return [];
  const limit = last === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(last))}`;
  const rows = await warehouse.all<RegistryRow>(
    `SELECT * FROM (${select(warehouse, columns)} WHERE dataset = ${quoteLiteral(dataset)} ORDER BY published_at DESC, rowid DESC${limit}) ORDER BY published_at, rowid`,
  );
  return rows.map(fromRow);
}

interface RegistryRow extends Record<string, unknown> {
  dataset: string;
  run_id: string;
  step: string | null;
  contract_version: string;
  schema_json: string;
  schema_hash: string;
  materialized: string;
  rows_written: bigint;
  published_at: string;
  approved_by: string | null;
  decision: string | null;
  decision_comment: string | null;
  decision_signature: string | null;
  snapshot_id: bigint | null;
}

/** The registry's rows, each with the snapshot its publication committed as where there are snapshots. */
function select(warehouse: Warehouse, columns: ReadonlySet<string>): string {
  // A registry written before signed approvals, not yet migrated by a publication, lacks the column.
  const signature = columns.has('decision_signature') ? 'decision_signature' : 'NULL AS decision_signature';
  const snapshots = warehouse.storage.labelledSnapshots;
  const snapshot = snapshots
    ? `(SELECT max(s.snapshot_id) FROM (${snapshots}) AS s
        WHERE json_extract_string(s.label, '$.dataset') = r.dataset AND json_extract_string(s.label, '$.runId') = r.run_id)`
    : 'NULL';
  return `SELECT * FROM (SELECT dataset, run_id, step, contract_version, CAST(schema_json AS VARCHAR) AS schema_json, schema_hash,
  materialized, rows_written, strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS published_at,
  approved_by, decision, decision_comment, ${signature}, ${snapshot} AS snapshot_id, rowid FROM ${REGISTRY_TABLE} AS r)`;
}

/**
 * The dataset as a published version left it, for a query: `"mart"."orders" AT (VERSION => 7)`.
 * Undefined on a warehouse without snapshots (the embedded file keeps only the current version).
 * @example const sql = relationAtVersion(wh, 'mart.orders', version.snapshotId); await wh.all(`SELECT * FROM ${sql}`)
 */
export function relationAtVersion(
  warehouse: Warehouse,
  dataset: string,
  snapshotId: number,
): string | undefined {
  return warehouse.storage.at(quoteRelation(relationNameOf(dataset)), snapshotId);
}

function fromRow(row: RegistryRow): PublishedVersion {
  return {
    dataset: row.dataset,
    runId: row.run_id,
    ...(row.step !== null ? { step: row.step } : {}),
    contractVersion: row.contract_version,
    schema: JSON.parse(row.schema_json) as Contract,
    schemaHash: row.schema_hash,
    materialized: row.materialized,
    rowsWritten: toCount(row.rows_written),
    publishedAt: row.published_at,
    ...(row.snapshot_id !== null && row.snapshot_id !== undefined
      ? { snapshotId: toCount(row.snapshot_id) }
      : {}),
    ...(row.approved_by !== null
      ? {
          approval: {
            by: row.approved_by,
            decision: row.decision === 'rejected' ? 'rejected' : 'approved',
            ...(row.decision_comment !== null ? { comment: row.decision_comment } : {}),
            ...(row.decision_signature !== null && row.decision_signature !== undefined
              ? { signature: JSON.parse(row.decision_signature) as ApprovalSignature }
              : {}),
          },
        }
      : {}),
  };
}

/** The registry exists with every column this release writes: known once, true for good. */
const REGISTRY_COMPLETE = 'table:published_versions';

/** Every column of a complete registry (`select` needs to know only whether decision_signature is there). */
const COMPLETE_COLUMNS: ReadonlySet<string> = new Set(['decision_signature']);

/** The registry table's column names, or undefined when there is no registry yet. */
async function registryColumns(warehouse: Warehouse): Promise<ReadonlySet<string> | undefined> {
  if (warehouse.known.has(REGISTRY_COMPLETE)) return COMPLETE_COLUMNS;
  const rows = await warehouse.all<{ column_name: string }>(
    // duckdb_columns(), not information_schema.columns: the same answer at about half the cost.
    `SELECT column_name FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = ${quoteLiteral(SYSTEM_SCHEMA)}
       AND table_name = 'published_versions'`,
  );
  if (rows.length === 0) return undefined;
  const columns = new Set(rows.map((row) => row.column_name));
  if (columns.has('decision_signature')) warehouse.known.add(REGISTRY_COMPLETE);
  return columns;
}
