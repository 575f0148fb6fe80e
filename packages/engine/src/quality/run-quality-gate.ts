// The quality gate of one relation: prepares every check (columns exist, referenced relations exist,
// custom SQL is read-only), measures them all in one fused scan, quarantines the failing rows of
// `onFail: quarantine` checks (then measures the rest again on what remains), fetches samples of
// failing checks only, and returns a QualityReport. Nothing is thrown for bad data.
import { didYouMean } from '@pipectl/spec';
import { capString, type JsonRow, toCount } from '../report/json-safe.js';
import { startStopwatch } from '../report/stopwatch.js';
import {
  quoteRelation,
  type RelationKind,
  type RelationName,
  relationKind,
  relationNameOf,
} from '../schema/relation-name.js';
import { describeRelation, type ObservedColumn } from '../warehouse/describe-relation.js';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Measurement, SqlContext } from './check-kind.js';
import { kindOf } from './check-kinds.js';
import type { CheckSpec } from './check-spec.js';
import { measureChecks, type Values } from './measure-checks.js';
import type { CheckResult, QualityReport } from './quality-report.js';
import { summarize } from './quality-report.js';
import { quarantineRows } from './quarantine-rows.js';
import { checkReadOnlySelect } from './read-only-sql.js';
import { sampleRows } from './sample-rows.js';
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
  /**
   * What the caller already knows of `relation` (it just created it): its kind and columns, so the
   * gate does not ask the catalog again.
   */
  readonly known?: { readonly kind: RelationKind; readonly columns: readonly ObservedColumn[] };
}

/** A check ready to measure, or already decided (error, skipped). */
type Prepared =
  | { readonly id: string; readonly spec: CheckSpec; readonly measurement: Measurement }
  | { readonly spec: CheckSpec; readonly decided: CheckResult };

type Measurable = Extract<Prepared, { measurement: Measurement }>;
type Measured = Extract<Values, { ok: true }>;

/** One gate's relation and settings, and the queries it has run so far. */
interface Gate {
  readonly warehouse: Warehouse;
  readonly input: QualityGateInput;
  /** The relation, quoted. */
  readonly relation: string;
  readonly relationType: RelationKind;
  readonly columns: readonly ObservedColumn[];
  readonly context: SqlContext;
  readonly strategy: 'fused' | 'per-check';
  readonly maxSamples: number;
  /** Bytes of samples left for the whole report. */
  readonly sampleBudget: { bytes: number };
  readonly tally: { queries: number };
}

/**
 * Runs the checks over a relation and reports each one.
 * @example const report = await runQualityGate(wh, { dataset: 'mart.orders', checks: deriveChecks(contract), runId });
 * report.passed // false when a check failed at severity error
 */
export async function runQualityGate(warehouse: Warehouse, input: QualityGateInput): Promise<QualityReport> {
  const clock = startStopwatch();
  const gate = await openGate(warehouse, input);
  const now = input.now ?? new Date();

  const prepared: Prepared[] = [];
  for (const spec of input.checks) prepared.push(await prepare(warehouse, spec, gate.context, gate.columns));
  const measurable = prepared.filter((p): p is Measurable => 'measurement' in p);
  const values = await measure(gate, measurable);
  const scanMs = clock.lap();
  const measuredRows = [...values.values()].find((v) => v.ok);
  const rowsMeasured = measuredRows?.ok ? measuredRows.rowCount : await countRows(warehouse, gate.relation);

  // Quarantine: failing rows of quarantine checks leave the relation; the rest is measured again.
  const results = new Map<string, CheckResult>();
  const quarantine = await quarantineFailing(gate, measurable, values, results, clock);
  const quarantineMs = clock.lap();

  // Verdicts, then samples for the failing row checks only.
  for (const p of prepared) {
    if (!results.has(p.spec.id)) results.set(p.spec.id, await verdictOf(gate, p, quarantine.values, now));
  }
  const samplesMs = quarantine.samplesMs + clock.lap();

  const checks = input.checks.map((spec) => results.get(spec.id) as CheckResult);
  return {
    dataset: input.dataset,
    relation: gate.relation,
    rowsChecked: rowsMeasured - quarantine.removed,
    rowsQuarantined: quarantine.removed,
    passed: !checks.some((check) => check.blocking),
    checks,
    summary: summarize(checks),
    queries: gate.tally.queries,
    timings: { scanMs, quarantineMs, samplesMs, totalMs: clock.elapsed() },
  };
}

/** The gate of a relation that exists: its columns and the SQL context its checks are written in. */
async function openGate(warehouse: Warehouse, input: QualityGateInput): Promise<Gate> {
  const name = input.relation ?? relationNameOf(input.dataset);
  const relation = quoteRelation(name);
  const relationType = input.known?.kind ?? (await relationKind(warehouse, name));
  if (relationType === undefined) throw new Error(`cannot check ${relation}: it does not exist`);
  const columns = input.known?.columns ?? (await describeRelation(warehouse, relation));
  return {
    warehouse,
    input,
    relation,
    relationType,
    columns,
    context: createSqlContext(relation, input.dataset, columns),
    strategy: input.strategy ?? 'fused',
    maxSamples: input.maxSamples ?? 20,
    sampleBudget: { bytes: input.maxSampleBytes ?? 256 * 1024 },
    tally: { queries: 0 },
  };
}

/** Measures checks with the gate's strategy, counting the queries. */
async function measure(gate: Gate, checks: readonly Measurable[]): Promise<Map<string, Values>> {
  const result = await measureChecks(gate.warehouse, gate.relation, checks, gate.strategy);
  gate.tally.queries += result.queries;
  return result.values;
}

/**
 * Moves the failing rows of `onFail: quarantine` checks out of the relation (their samples taken
 * first), reports those checks in `results`, and measures the other checks again on what remains.
 */
async function quarantineFailing(
  gate: Gate,
  measurable: readonly Measurable[],
  measured: Map<string, Values>,
  results: Map<string, CheckResult>,
  clock: { lap(): number },
): Promise<{ values: Map<string, Values>; removed: number; samplesMs: number }> {
  const quarantining = measurable.filter((p) => {
    const v = measured.get(p.spec.id);
    return (
      gate.input.readOnly !== true &&
      p.spec.rule.onFail === 'quarantine' &&
      v?.ok === true &&
      p.measurement.type !== 'relation' &&
      toCount(v.values[0]) > 0
    );
  });
  if (quarantining.length === 0) return { values: measured, removed: 0, samplesMs: 0 };
  const filters = await quarantineFilters(gate, quarantining, measured, results);
  const moving = quarantining.filter((p) => filters.has(p.spec.id));
  // Samples first: the rows are gone afterwards.
  const samples = new Map<string, { rows: JsonRow[]; truncated: boolean }>();
  for (const p of moving) {
    const limit = Math.min(p.spec.rule.samples, gate.maxSamples);
    samples.set(p.spec.id, await sampleRows(gate.warehouse, gate.relation, p, limit, gate.sampleBudget));
    if (limit > 0) gate.tally.queries++;
  }
  const samplesMs = clock.lap();
  const outcome = await quarantineRows(gate.warehouse, {
    relation: gate.relation,
    dataset: gate.input.dataset,
    runId: gate.input.runId,
    entries: moving.map((p) => ({
      checkId: p.spec.id,
      filter: filters.get(p.spec.id) as string,
      reason: capString(p.spec.rule.description ?? describeRule(p.spec.rule), 500),
    })),
  });
  gate.tally.queries += outcome.statements;
  for (const p of moving) {
    const sample = samples.get(p.spec.id);
    results.set(p.spec.id, {
      ...rowResult(p, measured.get(p.spec.id) as Measured, 'quarantined'),
      quarantinedRows: outcome.perCheck.get(p.spec.id) ?? 0,
      samples: sample?.rows ?? [],
      ...(sample?.truncated ? { samplesTruncated: true } : {}),
    });
  }
  if (outcome.removed === 0) return { values: measured, removed: 0, samplesMs };
  const rest = measurable.filter((p) => !results.has(p.spec.id));
  const again = await measure(gate, rest);
  return { values: new Map([...measured, ...again]), removed: outcome.removed, samplesMs };
}

/**
 * The quarantine filter of each check that has one; a check without one (custom SQL that does not
 * return the relation's rows, any check on a view) fails in `results`, saying why.
 */
async function quarantineFilters(
  gate: Gate,
  quarantining: readonly Measurable[],
  measured: ReadonlyMap<string, Values>,
  results: Map<string, CheckResult>,
): Promise<Map<string, string>> {
  const filters = new Map<string, string>();
  for (const p of quarantining) {
    const filter =
      gate.relationType === 'table'
        ? await quarantineFilter(gate.warehouse, p.measurement, gate.columns)
        : undefined;
    if (filter !== undefined) {
      filters.set(p.spec.id, filter);
      continue;
    }
    const why =
      gate.relationType === 'table'
        ? 'cannot quarantine: the query must return rows of {{ this }} (select * from {{ this }} where ...)'
        : 'cannot quarantine rows of a view: materialize the step as a table to quarantine';
    results.set(p.spec.id, { ...rowResult(p, measured.get(p.spec.id) as Measured, 'fail'), message: why });
  }
  return filters;
}

/** The report entry of a check not quarantined: decided, errored, judged, or counted (with samples when it fails). */
async function verdictOf(
  gate: Gate,
  p: Prepared,
  values: ReadonlyMap<string, Values>,
  now: Date,
): Promise<CheckResult> {
  if ('decided' in p) return p.decided;
  const v = values.get(p.spec.id) ?? { ok: false as const, error: 'not measured' };
  if (!v.ok) return decided(p.spec, 'error', v.error);
  if (p.measurement.type === 'relation') {
    const verdict = p.measurement.judge(v.values, { rowCount: v.rowCount, now });
    return {
      ...base(p.spec),
      status: verdict.passed ? 'pass' : 'fail',
      blocking: !verdict.passed && p.spec.rule.severity === 'error',
      expected: verdict.expected,
      observed: verdict.observed,
      value: verdict.value,
      samples: [],
    };
  }
  const result = rowResult(p, v, undefined);
  if (!(result.status === 'fail' && p.spec.rule.samples > 0)) return result;
  const limit = Math.min(p.spec.rule.samples, gate.maxSamples);
  const sample = await sampleRows(gate.warehouse, gate.relation, p, limit, gate.sampleBudget);
  gate.tally.queries++;
  return { ...result, samples: sample.rows, ...(sample.truncated ? { samplesTruncated: true } : {}) };
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

/** Why a column another relation must have cannot be checked: skipped when that relation is not there yet. */
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

/** The report entry of a row check from its failing count. */
function rowResult(
  p: { spec: CheckSpec },
  v: Measured,
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

/** The report entry of a check that did not run (error) or could not (skipped). */
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

/** The fields of a check's report entry that come from the check itself. */
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

/** The relation's row count. */
async function countRows(warehouse: Warehouse, relation: string): Promise<number> {
  const [row] = await warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${relation}`);
  return toCount(row?.n);
}

/** A percentage of failing rows: two decimals, or two significant digits below 0.01%. */
function formatPercent(percent: number): string {
  return `${percent < 0.01 ? percent.toPrecision(2) : Number(percent.toFixed(2))}%`;
}
