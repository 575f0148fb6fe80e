// Every gate check's result, kept in the warehouse beside the registry: `_pipectl.check_results`
// holds one row per check per gate that decided something, for the catalog's "latest result and
// trend". A gate that passes stages its results (`_pipectl.staged_checks_…`, one table per step
// and run, like the staged output) and publication moves them into the table in the publishing
// transaction, so a version's results land exactly when the version does and a retried
// publication adds none. A gate that blocks publishes nothing, but its results are recorded at
// once, in their own transaction, under outcome `blocked`: metadata, not data (docs/architecture.md).
import { createHash } from 'node:crypto';
import type { CheckResult, QualityReport } from '../quality/quality-report.js';
import { toCount } from '../report/json-safe.js';
import { dropRelation, quoteRelation, type RelationName } from '../schema/relation-name.js';
import type { StepIdentity } from '../steps/stage-step.js';
import { SYSTEM_SCHEMA } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ensureOnce, retryOnConflict } from '../warehouse/warehouse-errors.js';

export const CHECK_RESULTS_TABLE = `"${SYSTEM_SCHEMA}"."check_results"`;

/** `published`: its gate let the version through. `blocked`: its gate stopped the publication. */
export type CheckOutcome = 'published' | 'blocked';

/** One check of one gate, as the results table keeps it. */
export interface RecordedCheck {
  readonly dataset: string;
  readonly contractVersion: string;
  readonly runId: string;
  /** The step whose gate ran it (`pipeline/step`). */
  readonly step: string;
  readonly checkId: string;
  readonly kind: string;
  /** Where it was declared: `constraint`, `contract`, `freshness`, `gate`. */
  readonly origin: string;
  /** Its column (columns joined with `, ` for multi-column checks). */
  readonly column?: string;
  readonly severity: 'error' | 'warn';
  /** `pass`, `fail`, `quarantined`, `error` or `skipped` (see CheckStatus). */
  readonly status: string;
  /** It found nothing wrong (`status` is `pass`). */
  readonly passed: boolean;
  readonly blocking: boolean;
  readonly expected: string;
  readonly observed: string;
  /** Row checks: failing rows found. */
  readonly failingRows?: number;
  /** Relation checks: the measured value, as JSON text (`120`, `"3 days"`). */
  readonly value?: string;
  readonly outcome: CheckOutcome;
  /** ISO time the gate ran. */
  readonly checkedAt: string;
}

const COLUMNS = `
      dataset          VARCHAR NOT NULL,
      contract_version VARCHAR NOT NULL,
      run_id           VARCHAR NOT NULL,
      step             VARCHAR NOT NULL,
      check_id         VARCHAR NOT NULL,
      kind             VARCHAR NOT NULL,
      origin           VARCHAR NOT NULL,
      column_name      VARCHAR,
      severity         VARCHAR NOT NULL,
      status           VARCHAR NOT NULL,
      passed           BOOLEAN NOT NULL,
      blocking         BOOLEAN NOT NULL,
      expected         VARCHAR NOT NULL,
      observed         VARCHAR NOT NULL,
      failing_rows     BIGINT,
      observed_value   VARCHAR,
      outcome          VARCHAR NOT NULL,
      checked_at       TIMESTAMPTZ NOT NULL`;

const NAMES = [
  'dataset',
  'contract_version',
  'run_id',
  'step',
  'check_id',
  'kind',
  'origin',
  'column_name',
  'severity',
  'status',
  'passed',
  'blocking',
  'expected',
  'observed',
  'failing_rows',
  'observed_value',
  'outcome',
  'checked_at',
] as const;

/** The columns of NAMES that are not VARCHAR. */
const TYPES: Partial<Record<(typeof NAMES)[number], string>> = {
  passed: 'BOOLEAN',
  blocking: 'BOOLEAN',
  failing_rows: 'BIGINT',
  checked_at: 'TIMESTAMPTZ',
};

/** One row's placeholders, each cast to its column's type (VALUES alone would not know them). */
const TYPED_PLACEHOLDERS = `(${NAMES.map((name) => `?::${TYPES[name] ?? 'VARCHAR'}`).join(', ')})`;

/** Creates the results table if it is missing (warehouses made before it gain it here). */
export async function ensureCheckResults(warehouse: Warehouse): Promise<void> {
  await ensureOnce(warehouse, 'table:check_results', () =>
    warehouse.run(`
    CREATE SCHEMA IF NOT EXISTS "${SYSTEM_SCHEMA}";
    CREATE TABLE IF NOT EXISTS ${CHECK_RESULTS_TABLE} (${COLUMNS}${warehouse.storage.keyClause([
      'dataset',
      'run_id',
      'step',
      'check_id',
      'outcome',
    ])}
    );
  `),
  );
}

/**
 * Where a passing gate's results wait for their publication: one table per step and run, in
 * `_pipectl`, named like the step's staging relation.
 */
export function stagedChecksNameOf(step: StepIdentity): RelationName {
  const hash = createHash('sha256')
    .update(JSON.stringify([step.dataset, step.runId, step.step]))
    .digest('hex')
    .slice(0, 12);
  const readable = step.step.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return { schema: SYSTEM_SCHEMA, table: `staged_checks_${readable}_${hash}` };
}

export interface GateResults extends StepIdentity {
  readonly contractVersion: string;
  readonly quality: QualityReport;
  readonly checkedAt: Date;
}

/**
 * Stages the results of a gate that passed, replacing what an earlier attempt of the run staged;
 * `publishStep` moves them into the results table with the version.
 */
export async function stageCheckResults(warehouse: Warehouse, gate: GateResults): Promise<void> {
  await ensureCheckResults(warehouse);
  const staged = quoteRelation(stagedChecksNameOf(gate));
  const rows = recordsOf(gate, 'published');
  // One statement, so atomic by itself: the table's columns and types, then the rows.
  const values =
    rows.length === 0 ? '' : ` UNION ALL VALUES ${rows.map(() => TYPED_PLACEHOLDERS).join(', ')}`;
  await retryOnConflict(() =>
    warehouse.run(
      `CREATE OR REPLACE TABLE ${staged} AS SELECT ${NAMES.join(', ')} FROM ${CHECK_RESULTS_TABLE} WHERE false${values}`,
      rows.flatMap(valuesOf),
    ),
  );
}

/**
 * Inside the publishing transaction: moves the staged results of the step into the results table.
 * Nothing staged (a build by a release without results) moves nothing.
 */
export async function publishStagedChecks(tx: Warehouse, step: StepIdentity, staged: boolean): Promise<void> {
  if (!staged) return;
  const name = quoteRelation(stagedChecksNameOf(step));
  await tx.run(`INSERT INTO ${CHECK_RESULTS_TABLE} BY NAME SELECT * FROM ${name}`);
  await tx.run(`DROP TABLE ${name}`);
}

/** Drops the step's staged results (a rejected change, a failed or repeated build). */
export async function discardStagedChecks(warehouse: Warehouse, step: StepIdentity): Promise<void> {
  await dropRelation(warehouse, stagedChecksNameOf(step));
}

/**
 * Records the results of a gate that blocked the publication, in a transaction of their own. Once
 * per step and run: a retry of the same build (the gate run again) records nothing more.
 */
export async function recordBlockedGate(warehouse: Warehouse, gate: GateResults): Promise<void> {
  await ensureCheckResults(warehouse);
  await discardStagedChecks(warehouse, gate);
  const rows = recordsOf(gate, 'blocked');
  await retryOnConflict(() =>
    warehouse.transaction(async (tx) => {
      const [found] = await tx.all<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${CHECK_RESULTS_TABLE}
         WHERE dataset = ? AND run_id = ? AND step = ? AND outcome = 'blocked'`,
        [gate.dataset, gate.runId, gate.step],
      );
      if (toCount(found?.n) === 0) await insertRecords(tx, CHECK_RESULTS_TABLE, rows);
    }),
  );
}

/**
 * The results of `dataset`'s checks, the newest `perCheck` of each check, oldest first.
 * @example (await checkResultHistory(wh, 'mart.orders', 10)).filter((r) => r.checkId === 'not_null_id').map((r) => r.status)
 */
export async function checkResultHistory(
  warehouse: Warehouse,
  dataset: string,
  perCheck = 20,
): Promise<RecordedCheck[]> {
  const [exists] = await warehouse.all<{ n: bigint }>(
    `SELECT count(*) AS n FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = ? AND table_name = 'check_results'`,
    [SYSTEM_SCHEMA],
  );
  if (toCount(exists?.n) === 0) return [];
  const rows = await warehouse.all<ResultRow>(
    `SELECT dataset, contract_version, run_id, step, check_id, kind, origin, column_name, severity, status,
       passed, blocking, expected, observed, failing_rows, observed_value, outcome,
       strftime(checked_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS checked_at
     FROM (SELECT *, row_number() OVER (PARTITION BY check_id ORDER BY checked_at DESC, run_id DESC) AS newest
           FROM ${CHECK_RESULTS_TABLE} WHERE dataset = ?)
     WHERE newest <= ?
     ORDER BY check_id, checked_at, run_id`,
    [dataset, Math.max(1, Math.floor(perCheck))],
  );
  return rows.map(fromRow);
}

interface ResultRow extends Record<string, unknown> {
  dataset: string;
  contract_version: string;
  run_id: string;
  step: string;
  check_id: string;
  kind: string;
  origin: string;
  column_name: string | null;
  severity: string;
  status: string;
  passed: boolean;
  blocking: boolean;
  expected: string;
  observed: string;
  failing_rows: bigint | null;
  observed_value: string | null;
  outcome: string;
  checked_at: string;
}

function fromRow(row: ResultRow): RecordedCheck {
  return {
    dataset: row.dataset,
    contractVersion: row.contract_version,
    runId: row.run_id,
    step: row.step,
    checkId: row.check_id,
    kind: row.kind,
    origin: row.origin,
    ...(row.column_name !== null ? { column: row.column_name } : {}),
    severity: row.severity === 'warn' ? 'warn' : 'error',
    status: row.status,
    passed: row.passed,
    blocking: row.blocking,
    expected: row.expected,
    observed: row.observed,
    ...(row.failing_rows !== null ? { failingRows: toCount(row.failing_rows) } : {}),
    ...(row.observed_value !== null ? { value: row.observed_value } : {}),
    outcome: row.outcome === 'blocked' ? 'blocked' : 'published',
    checkedAt: row.checked_at,
  };
}

function recordsOf(gate: GateResults, outcome: CheckOutcome): RecordedCheck[] {
  const checkedAt = gate.checkedAt.toISOString();
  return gate.quality.checks.map((check: CheckResult) => {
    const column = check.column ?? (check.columns ? check.columns.join(', ') : undefined);
    return {
      dataset: gate.dataset,
      contractVersion: gate.contractVersion,
      runId: gate.runId,
      step: gate.step,
      checkId: check.id,
      kind: check.kind,
      origin: check.origin,
      ...(column !== undefined ? { column } : {}),
      severity: check.severity,
      status: check.status,
      passed: check.status === 'pass',
      blocking: check.blocking,
      expected: check.expected,
      observed: check.observed,
      ...(check.failingRows !== undefined ? { failingRows: check.failingRows } : {}),
      ...(check.value !== undefined ? { value: JSON.stringify(check.value) } : {}),
      outcome,
      checkedAt,
    };
  });
}

async function insertRecords(tx: Warehouse, table: string, rows: readonly RecordedCheck[]): Promise<void> {
  if (rows.length === 0) return;
  const placeholders = `(${NAMES.map((name) => (name === 'checked_at' ? '?::TIMESTAMPTZ' : '?')).join(', ')})`;
  await tx.run(
    `INSERT INTO ${table} (${NAMES.join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')}`,
    rows.flatMap(valuesOf),
  );
}

/** A record's values in the order of NAMES. */
function valuesOf(row: RecordedCheck): (string | boolean | bigint | null)[] {
  return [
    row.dataset,
    row.contractVersion,
    row.runId,
    row.step,
    row.checkId,
    row.kind,
    row.origin,
    row.column ?? null,
    row.severity,
    row.status,
    row.passed,
    row.blocking,
    row.expected,
    row.observed,
    row.failingRows === undefined ? null : BigInt(row.failingRows),
    row.value ?? null,
    row.outcome,
    row.checkedAt,
  ];
}
