// The quality gate of one relation: prepares every check (columns exist, referenced relations exist,
// custom SQL is read-only), measures them all in one fused scan, quarantines the failing rows of
// `onFail: quarantine` checks (then measures the rest again on what remains), fetches samples of
// failing checks only, and returns a QualityReport. Nothing is thrown for bad data.
import { didYouMean } from '@pipectl/spec';
import { capString, type JsonRow, type JsonValue, toCount, toJsonSafe } from '../report/json-safe.js';
import { startStopwatch } from '../report/stopwatch.js';
import { quoteRelation, type RelationName, relationKind, relationNameOf } from '../schema/relation-name.js';
import { describeRelation, type ObservedColumn } from '../warehouse/describe-relation.js';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Measurement, SqlContext } from './check-kind.js';
import { kindOf } from './check-kinds.js';
import type { CheckSpec } from './check-spec.js';
import { type MeasuredCheck, planScan, ROW_COUNT_SLOT } from './plan-scan.js';
import type { CheckResult, QualityReport } from './quality-report.js';
import { summarize } from './quality-report.js';
import { quarantineRows } from './quarantine-rows.js';
import { checkReadOnlySelect } from './read-only-sql.js';
import { createSqlContext } from './sql-context.js';
import { allowedFailing, describeThreshold, formatCount, thresholdOf } from './threshold.js';

export interface QualityGateInput {
  /** The dataset the relation is (or will be published as): `mart.orders`. */
  readonly dataset: string;
  /** The relation tested; the dataset's own relation when absent (e.g. a staging table of a step). */
  readonly relation?: RelationName;
  readonly checks: readonly CheckSpec[];
  /** Keys quarantined rows, so a retried run replaces its own. */
  readonly runId: string;
  /** The clock for freshness (tests pin it). */
  readonly now?: Date;
  /** Most samples kept per check, whatever a check asks (default 20). */
  readonly maxSamples?: number;
  /** Most bytes of samples in the whole report (default 256 KiB): reports travel as payloads. */
  readonly maxSampleBytes?: number;
  /** `fused` (default): one scan for all checks. `per-check`: one query per check (for comparison). */
  readonly strategy?: 'fused' | 'per-check';
  /**
   * Judge only, change nothing (`pipectl verify` on published data): an `onFail: quarantine`
   * check that finds rows fails like any other, and no row is moved.
   */
  readonly readOnly?: boolean;
}

/** A check ready to measure, or already decided (error, skipped). */
type Prepared =
  | { readonly id: string; readonly spec: CheckSpec; readonly measurement: Measurement }
  | { readonly spec: CheckSpec; readonly decided: CheckResult };

type Values =
  | { readonly ok: true; readonly values: readonly unknown[]; readonly rowCount: number }
  | { readonly ok: false; readonly error: string };

/**
 * Runs the checks over a relation and reports each one.
 * @example const report = await runQualityGate(wh, { dataset: 'mart.orders', checks: deriveChecks(contract), runId });
 * report.passed // false when a check failed at severity error
 */
export async function runQualityGate(warehouse: Warehouse, input: QualityGateInput): Promise<QualityReport> {
  const clock = startStopwatch();
  const name = input.relation ?? relationNameOf(input.dataset);
  const relation = quoteRelation(name);
  const relationType = await relationKind(warehouse, name);
  if (relationType === undefined) throw new Error(`cannot check ${relation}: it does not exist`);
  const columns = await describeRelation(warehouse, relation);
  const context = createSqlContext(relation, input.dataset, columns);
  const now = input.now ?? new Date();
  const strategy = input.strategy ?? 'fused';
  let queries = 0;

  const prepared: Prepared[] = [];
  for (const spec of input.checks) prepared.push(await prepare(warehouse, spec, context, columns));
  const measurable = prepared.filter(
    (p): p is Extract<Prepared, { measurement: Measurement }> => 'measurement' in p,
  );

  const measure = async (checks: typeof measurable) => {
    const result = await measureChecks(warehouse, relation, checks, strategy);
    queries += result.queries;
    return result.values;
  };
  let values = await measure(measurable);
  const scanMs = clock.lap();
  const measuredRows = [...values.values()].find((v) => v.ok);
  let rowCount = measuredRows?.ok ? measuredRows.rowCount : await countRows(warehouse, relation);

  // Quarantine: failing rows of quarantine checks leave the relation; the rest is measured again.
  const results = new Map<string, CheckResult>();
  const quarantining = measurable.filter((p) => {
    const v = values.get(p.spec.id);
    return (
      input.readOnly !== true &&
      p.spec.rule.onFail === 'quarantine' &&
      v?.ok === true &&
      p.measurement.type !== 'relation' &&
      toCount(v.values[0]) > 0
    );
  });
  let rowsQuarantined = 0;
  let samplesMs = 0;
  const sampleBudget = { bytes: input.maxSampleBytes ?? 256 * 1024 };
  const maxSamples = input.maxSamples ?? 20;
  if (quarantining.length > 0) {
    const filters = new Map<string, string>();
    for (const p of quarantining) {
      const filter =
        relationType === 'table' ? await quarantineFilter(warehouse, p.measurement, columns) : undefined;
      if (filter === undefined) {
        const v = values.get(p.spec.id) as Extract<Values, { ok: true }>;
        const why =
          relationType === 'table'
            ? 'cannot quarantine: the query must return rows of {{ this }} (select * from {{ this }} where ...)'
            : 'cannot quarantine rows of a view: materialize the step as a table to quarantine';
        results.set(p.spec.id, { ...rowResult(p, v, 'fail'), message: why });
      } else filters.set(p.spec.id, filter);
    }
    const moving = quarantining.filter((p) => filters.has(p.spec.id));
    // Samples first: the rows are gone afterwards.
    const samples = new Map<string, { rows: JsonRow[]; truncated: boolean }>();
    for (const p of moving) {
      const limit = Math.min(p.spec.rule.samples, maxSamples);
      samples.set(p.spec.id, await sampleRows(warehouse, relation, p, limit, sampleBudget));
      if (limit > 0) queries++;
    }
    samplesMs += clock.lap();
    const outcome = await quarantineRows(warehouse, {
      relation,
      dataset: input.dataset,
      runId: input.runId,
      entries: moving.map((p) => ({
        checkId: p.spec.id,
        filter: filters.get(p.spec.id) as string,
        reason: capString(p.spec.rule.description ?? describeRule(p.spec.rule), 500),
      })),
    });
    queries += outcome.statements;
    rowsQuarantined = outcome.removed;
    rowCount -= outcome.removed;
    for (const p of moving) {
      const v = values.get(p.spec.id) as Extract<Values, { ok: true }>;
      const sample = samples.get(p.spec.id);
      results.set(p.spec.id, {
        ...rowResult(p, v, 'quarantined'),
        quarantinedRows: outcome.perCheck.get(p.spec.id) ?? 0,
        samples: sample?.rows ?? [],
        ...(sample?.truncated ? { samplesTruncated: true } : {}),
      });
    }
    if (outcome.removed > 0) {
      const rest = measurable.filter((p) => !results.has(p.spec.id));
      const again = await measure(rest);
      values = new Map([...values, ...again]);
    }
  }
  const quarantineMs = clock.lap();

  // Verdicts, then samples for the failing row checks only.
  for (const p of prepared) {
    if (results.has(p.spec.id)) continue;
    if ('decided' in p) {
      results.set(p.spec.id, p.decided);
      continue;
    }
    const v = values.get(p.spec.id) ?? { ok: false as const, error: 'not measured' };
    if (!v.ok) {
      results.set(p.spec.id, decided(p.spec, 'error', v.error));
      continue;
    }
    if (p.measurement.type === 'relation') {
      const verdict = p.measurement.judge(v.values, { rowCount: v.rowCount, now });
      results.set(p.spec.id, {
        ...base(p.spec),
        status: verdict.passed ? 'pass' : 'fail',
        blocking: !verdict.passed && p.spec.rule.severity === 'error',
        expected: verdict.expected,
        observed: verdict.observed,
        value: verdict.value,
        samples: [],
      });
      continue;
    }
    const result = rowResult(p, v, undefined);
    if (result.status === 'fail' && p.spec.rule.samples > 0) {
      const sample = await sampleRows(
        warehouse,
        relation,
        p,
        Math.min(p.spec.rule.samples, maxSamples),
        sampleBudget,
      );
      queries++;
      results.set(p.spec.id, {
        ...result,
        samples: sample.rows,
        ...(sample.truncated ? { samplesTruncated: true } : {}),
      });
    } else results.set(p.spec.id, result);
  }
  samplesMs += clock.lap();

  const checks = input.checks.map((spec) => results.get(spec.id) as CheckResult);
  return {
    dataset: input.dataset,
    relation,
    rowsChecked: rowCount,
    rowsQuarantined,
    passed: !checks.some((check) => check.blocking),
    checks,
    summary: summarize(checks),
    queries,
    timings: { scanMs, quarantineMs, samplesMs, totalMs: clock.elapsed() },
  };
}

/** Checks the columns and relations a check needs, and the custom SQL it runs, before any scan. */
async function prepare(
  warehouse: Warehouse,
  spec: CheckSpec,
  context: SqlContext,
  columns: readonly ObservedColumn[],
): Promise<Prepared> {
  const kind = kindOf(spec.rule);
  const rule = spec.rule;
  const names = columns.map((column) => column.name);
  for (const column of kind.columns(rule)) {
    if (!names.includes(column)) {
      const hint = didYouMean(column, names);
      return {
        spec,
        decided: decided(
          spec,
          'error',
          `column "${column}" is not in ${context.dataset}${hint ? ` (${hint})` : ''}`,
        ),
      };
    }
  }
  for (const required of kind.requires?.(rule) ?? []) {
    const problem = await missingRequirement(warehouse, required, context.dataset, names);
    if (problem) return { spec, decided: decided(spec, problem.status, problem.message) };
  }
  let measurement: Measurement;
  try {
    measurement = kind.measure(rule, context);
  } catch (error) {
    return { spec, decided: decided(spec, 'error', error instanceof Error ? error.message : String(error)) };
  }
  if (measurement.type === 'query') {
    const verdict = await checkReadOnlySelect(warehouse, measurement.query);
    if (!verdict.ok)
      return { spec, decided: decided(spec, 'error', `custom SQL rejected: ${verdict.reason}`) };
    measurement = { type: 'query', query: verdict.sql };
  }
  return { id: spec.id, spec, measurement };
}

async function missingRequirement(
  warehouse: Warehouse,
  required: { dataset: string; column: string },
  dataset: string,
  ownColumns: readonly string[],
): Promise<{ status: 'error' | 'skipped'; message: string } | undefined> {
  let names = ownColumns;
  if (required.dataset !== dataset) {
    const target = relationNameOf(required.dataset);
    if ((await relationKind(warehouse, target)) === undefined) {
      return {
        status: 'skipped',
        message: `${required.dataset} does not exist yet, so references to it cannot be checked`,
      };
    }
    names = (await describeRelation(warehouse, quoteRelation(target))).map((column) => column.name);
  }
  if (names.includes(required.column)) return undefined;
  const hint = didYouMean(required.column, names);
  return {
    status: 'error',
    message: `column "${required.column}" is not in ${required.dataset}${hint ? ` (${hint})` : ''}`,
  };
}

/**
 * Measures checks: one fused scan (plus one exact recount when a screen found failures), or one
 * query per check; a failing fused scan is retried per check to find the culprit.
 */
async function measureChecks(
  warehouse: Warehouse,
  relation: string,
  checks: readonly MeasuredCheck[],
  strategy: 'fused' | 'per-check',
): Promise<{ values: Map<string, Values>; queries: number }> {
  const values = new Map<string, Values>();
  if (checks.length === 0) return { values, queries: 0 };
  let queries = 0;
  /** One scan; screened checks that found something are counted exactly by a second one. */
  const scan = async (group: readonly MeasuredCheck[]) => {
    const plan = planScan(relation, group);
    queries++;
    const [row] = await warehouse.all(plan.sql);
    for (const check of group) values.set(check.id, valuesOf(row ?? {}, plan.slots.get(check.id) ?? []));
    const recount = group.filter((check) => {
      const v = values.get(check.id);
      return plan.screened.has(check.id) && v?.ok === true && toCount(v.values[0]) !== 0;
    });
    if (recount.length === 0) return;
    const exact = planScan(relation, recount, { exact: true });
    queries++;
    const [exactRow] = await warehouse.all(exact.sql);
    for (const check of recount)
      values.set(check.id, valuesOf(exactRow ?? {}, exact.slots.get(check.id) ?? []));
  };
  if (strategy === 'fused') {
    try {
      await scan(checks);
      return { values, queries };
    } catch {
      // Fall through: measured one by one, each error lands on its own check.
      values.clear();
    }
  }
  for (const check of checks) {
    try {
      await scan([check]);
    } catch (error) {
      values.set(check.id, { ok: false, error: firstLine(error) });
    }
  }
  return { values, queries };
}

function valuesOf(row: Record<string, unknown>, slots: readonly string[]): Values {
  return { ok: true, values: slots.map((slot) => row[slot]), rowCount: toCount(row[ROW_COUNT_SLOT]) };
}

/** The report entry of a row check from its failing count. */
function rowResult(
  p: { spec: CheckSpec },
  v: Extract<Values, { ok: true }>,
  status: 'fail' | 'quarantined' | undefined,
): CheckResult {
  const failing = toCount(v.values[0]);
  const threshold = thresholdOf(p.spec.rule.maxFailing);
  const allowed = allowedFailing(threshold, v.rowCount);
  const verdict = status ?? (failing <= allowed ? 'pass' : 'fail');
  const percent = v.rowCount > 0 ? ` (${formatPercent((failing * 100) / v.rowCount)})` : '';
  return {
    ...base(p.spec),
    status: verdict,
    blocking: verdict === 'fail' && p.spec.rule.severity === 'error',
    expected: describeThreshold(threshold, v.rowCount),
    observed: `${formatCount(failing)} failing of ${formatCount(v.rowCount)} rows${failing > 0 ? percent : ''}`,
    failingRows: failing,
    allowedFailing: allowed,
    samples: [],
  };
}

function decided(spec: CheckSpec, status: 'error' | 'skipped', message: string): CheckResult {
  return {
    ...base(spec),
    status,
    blocking: status === 'error' && spec.rule.severity === 'error',
    expected: status === 'skipped' ? 'a relation to check against' : 'a check that runs',
    observed: status,
    samples: [],
    message: capString(message, 500),
  };
}

function base(
  spec: CheckSpec,
): Omit<CheckResult, 'status' | 'blocking' | 'expected' | 'observed' | 'samples'> {
  const rule = spec.rule;
  return {
    id: spec.id,
    kind: rule.check,
    origin: spec.origin,
    ...('column' in rule && rule.column !== undefined ? { column: rule.column } : {}),
    ...('columns' in rule && rule.columns !== undefined ? { columns: rule.columns } : {}),
    severity: rule.severity,
    rule: capString(describeRule(rule), 200),
    ...(rule.description !== undefined ? { description: capString(rule.description, 500) } : {}),
  };
}

/** The rule in words; a rule missing its defaults (built without the schema) still gets a name. */
function describeRule(rule: CheckSpec['rule']): string {
  try {
    return kindOf(rule).describe(rule);
  } catch {
    return rule.check;
  }
}

/** Up to `limit` failing rows as JSON, within the report's byte budget. */
async function sampleRows(
  warehouse: Warehouse,
  relation: string,
  p: { measurement: Measurement },
  limit: number,
  budget: { bytes: number },
): Promise<{ rows: JsonRow[]; truncated: boolean }> {
  if (limit <= 0 || budget.bytes <= 0) return { rows: [], truncated: budget.bytes <= 0 };
  const m = p.measurement;
  const sql =
    m.type === 'rows'
      ? `SELECT CAST(to_json(r) AS VARCHAR) AS row FROM ${relation} AS r WHERE ${m.filter}` +
        `${m.sampleOrder ? ` ORDER BY ${m.sampleOrder}` : ''} LIMIT ${limit}`
      : m.type === 'query'
        ? `SELECT CAST(to_json(q) AS VARCHAR) AS row FROM (\n${m.query}\n) AS q LIMIT ${limit}`
        : undefined;
  if (sql === undefined) return { rows: [], truncated: false };
  let fetched: { row: string }[];
  try {
    fetched = await warehouse.all<{ row: string }>(sql);
  } catch {
    return { rows: [], truncated: false };
  }
  const rows: JsonRow[] = [];
  for (const { row } of fetched) {
    const safe = toJsonSafe(parseJsonKeepingBigInts(row)) as JsonValue;
    const json = JSON.stringify(safe);
    if (json.length > budget.bytes) return { rows, truncated: true };
    budget.bytes -= json.length;
    rows.push(safe as JsonRow);
  }
  return { rows, truncated: false };
}

/**
 * The filter selecting the rows to quarantine: a row check's own filter; for custom SQL, the rows
 * of the relation equal to a row the query returns (it must return every column of the relation).
 */
async function quarantineFilter(
  warehouse: Warehouse,
  measurement: Measurement,
  columns: readonly ObservedColumn[],
): Promise<string | undefined> {
  if (measurement.type === 'rows') return measurement.filter;
  if (measurement.type !== 'query') return undefined;
  const returned = await warehouse
    .all<{ column_name: string }>(`DESCRIBE SELECT * FROM (\n${measurement.query}\n)`)
    .catch(() => []);
  const names = new Set(returned.map((column) => column.column_name));
  if (!columns.every((column) => names.has(column.name))) return undefined;
  const same = columns
    .map((column) => `q.${quoteIdent(column.name)} IS NOT DISTINCT FROM r.${quoteIdent(column.name)}`)
    .join(' AND ');
  return `EXISTS (SELECT 1 FROM (\n${measurement.query}\n) AS q WHERE ${same})`;
}

/** JSON.parse, with integers beyond 2^53 kept exact as strings (DuckDB's JSON writes them as numbers). */
function parseJsonKeepingBigInts(text: string): unknown {
  const exact = text.replace(
    /("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![.\deE])/g,
    (match, string: string | undefined) =>
      string !== undefined || Number.isSafeInteger(Number(match)) ? match : `"${match}"`,
  );
  return JSON.parse(exact);
}

async function countRows(warehouse: Warehouse, relation: string): Promise<number> {
  const [row] = await warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${relation}`);
  return toCount(row?.n);
}

function formatPercent(percent: number): string {
  return `${percent < 0.01 ? percent.toPrecision(2) : Number(percent.toFixed(2))}%`;
}

function firstLine(error: unknown): string {
  return capString((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'error', 500);
}
