// Verifying a dataset where it lives: the contract's checks against the relation already in a
// warehouse, judged and never changed. Schema drift comes first, as failing checks (a contract
// column missing, another type; a column the contract does not declare is a warning), then the
// quality gate in read-only mode (a quarantine check that finds rows fails; nothing is moved).
import type { Contract, QualityCheck } from '@pipectl/spec';
import { deriveChecks } from '../quality/derive-checks.js';
import { summarize } from '../quality/quality-report.js';
import { runQualityGate } from '../quality/run-quality-gate.js';
import { startStopwatch } from '../report/stopwatch.js';
import { checkOutputSchema, type SchemaProblem } from '../schema/check-output-schema.js';
import { quoteRelation, type RelationName, relationKind, relationNameOf } from '../schema/relation-name.js';
import { describeRelation } from '../warehouse/describe-relation.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { SchemaCheckResult, VerifyCheck, VerifyReport } from './verify-report.js';

export interface VerifyDatasetInput {
  readonly contract: Contract;
  /** The producing step's extra gates, checked after the contract's own checks. */
  readonly gates?: readonly QualityCheck[];
  /** The relation to check; the contract's dataset (`schema.table`) when absent. */
  readonly relation?: RelationName;
  /** The clock for freshness (tests pin it). */
  readonly now?: Date;
  /** Most samples kept per check (default 20). */
  readonly maxSamples?: number;
}

/**
 * Runs a contract's checks against the data a warehouse holds, read-only.
 * @example const report = await verifyDataset(wh, { contract }); report.passed
 */
export async function verifyDataset(warehouse: Warehouse, input: VerifyDatasetInput): Promise<VerifyReport> {
  const clock = startStopwatch();
  const { contract } = input;
  const name = input.relation ?? relationNameOf(contract.name);
  const relation = quoteRelation(name);
  if ((await relationKind(warehouse, name)) === undefined) {
    const missing: SchemaCheckResult = {
      ...schemaBase('schema_exists', 'error', 'the table exists'),
      status: 'fail',
      blocking: true,
      expected: `a table or view ${relation}`,
      observed: 'not found',
      message: `${relation} is not in the warehouse, so none of the ${contract.name} checks could run`,
      hint: 'run the pipeline that publishes it on this target first, or point verify at the warehouse that holds it (--target, --table)',
    };
    return report(contract.name, relation, false, 0, [missing], clock.elapsed());
  }
  const columns = await describeRelation(warehouse, relation);
  const schema = checkOutputSchema(contract, columns);
  const schemaChecks: SchemaCheckResult[] =
    schema.problems.length === 0
      ? [
          {
            ...schemaBase('schema', 'error', 'columns and types as the contract declares'),
            status: 'pass',
            blocking: false,
            expected: `${contract.columns.length} columns`,
            observed: `${contract.columns.length} columns with the contract's types`,
          },
        ]
      : schema.problems.map((problem) => driftCheck(problem, relation, contract.name));
  const quality = await runQualityGate(warehouse, {
    dataset: contract.name,
    relation: name,
    checks: deriveChecks(contract, input.gates ?? []),
    runId: 'verify',
    readOnly: true,
    ...(input.now ? { now: input.now } : {}),
    ...(input.maxSamples !== undefined ? { maxSamples: input.maxSamples } : {}),
  });
  return report(
    contract.name,
    relation,
    true,
    quality.rowsChecked,
    [...schemaChecks, ...quality.checks],
    clock.elapsed(),
  );
}

function report(
  dataset: string,
  relation: string,
  exists: boolean,
  rowsChecked: number,
  checks: VerifyCheck[],
  ms: number,
): VerifyReport {
  return {
    dataset,
    relation,
    exists,
    rowsChecked,
    passed: !checks.some((check) => check.blocking),
    checks,
    summary: summarize(checks),
    ms,
  };
}

function schemaBase(
  id: string,
  severity: 'error' | 'warn',
  rule: string,
): Pick<SchemaCheckResult, 'id' | 'kind' | 'origin' | 'severity' | 'rule' | 'samples'> {
  return { id, kind: 'schema', origin: 'schema', severity, rule, samples: [] };
}

/** One drift as a failing check: a missing column or another type blocks; an extra column warns. */
function driftCheck(problem: SchemaProblem, relation: string, dataset: string): SchemaCheckResult {
  const column = problem.column;
  if (problem.code === 'COLUMN_MISSING') {
    return {
      ...schemaBase(`schema_missing_${column}`, 'error', `column "${column}" exists`),
      column,
      status: 'fail',
      blocking: true,
      expected: `column "${column}" (${problem.expected})`,
      observed: 'missing',
      message: `column "${column}" of contract ${dataset} is missing from ${relation}`,
      hint: 'add the column back (run the step that builds the table), or remove it from the contract with a major version bump',
    };
  }
  if (problem.code === 'TYPE_MISMATCH') {
    return {
      ...schemaBase(`schema_type_${column}`, 'error', `column "${column}" is ${problem.expected}`),
      column,
      status: 'fail',
      blocking: true,
      expected: String(problem.expected),
      observed: String(problem.observed),
      message: `column "${column}" is ${problem.observed} in ${relation}, ${problem.expected} in contract ${dataset}`,
      hint: `cast the column back to ${problem.expected} (or rebuild the table from its step), or change the contract's type`,
    };
  }
  return {
    ...schemaBase(`schema_extra_${column}`, 'warn', `no column beyond the contract's`),
    column,
    status: 'fail',
    blocking: false,
    expected: "only the contract's columns",
    observed: `column "${column}" (${problem.observed})`,
    message: `column "${column}" (${problem.observed}) is in ${relation} but not in contract ${dataset}`,
    hint: 'declare it in the contract, or drop it from the table',
  };
}
