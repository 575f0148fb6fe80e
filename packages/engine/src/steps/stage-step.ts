// Staging: runs a step's SELECT (refs and sources already resolved to quoted relations by the
// compiler) into its staging relation: a table for `table` and `incremental` steps (an incremental
// step stages the new batch), a view for `view` steps. The SQL must be one read-only SELECT.
import type { Materialization } from '@pipectl/spec';
import { checkReadOnlySelect } from '../quality/read-only-sql.js';
import { toCount } from '../report/json-safe.js';
import { startStopwatch } from '../report/stopwatch.js';
import {
  dropRelation,
  dropRelationLike,
  quoteRelation,
  type RelationName,
  relationNameOf,
} from '../schema/relation-name.js';
import { describeRelation, type ObservedColumn } from '../warehouse/describe-relation.js';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  ensureOnce,
  isConflict,
  retryOnConflict,
  WarehouseConflictError,
} from '../warehouse/warehouse-errors.js';
import { stagingNameOf } from './staging-name.js';

export interface StepIdentity {
  /** The run: every write of the step is keyed on it (retries replace, never add). */
  readonly runId: string;
  /** The step's id, unique within the run, e.g. `shop_marts/daily_revenue`. */
  readonly step: string;
  /** The dataset the step produces: `mart.daily_revenue`. */
  readonly dataset: string;
}

export interface StageStepInput extends StepIdentity {
  /** One SELECT, with every ref() and source() already replaced by its quoted relation. */
  readonly sql: string;
  readonly materialized: Materialization;
}

export type StageResult =
  | {
      readonly ok: true;
      readonly staging: RelationName;
      readonly rows: number;
      readonly columns: readonly ObservedColumn[];
      readonly ms: number;
    }
  | { readonly ok: false; readonly error: string; readonly ms: number };

/**
 * Builds the staging relation of a step. Bad SQL (not a single SELECT, unknown relation, runtime
 * error) is a result with `ok: false`, never a throw; a lakehouse commit conflict that outlasts the
 * retries in place throws WarehouseConflictError (PIPE5202, retryable).
 * @example const staged = await stageStep(wh, { runId, step: 'orders', dataset: 'mart.orders', sql, materialized: 'table' })
 */
export async function stageStep(warehouse: Warehouse, input: StageStepInput): Promise<StageResult> {
  const clock = startStopwatch();
  const staging = stagingNameOf(input.dataset, input.runId, input.step);
  const target = relationNameOf(input.dataset);
  const verdict = await checkReadOnlySelect(warehouse, input.sql);
  if (!verdict.ok)
    return { ok: false, error: `the SQL of step "${input.step}": ${verdict.reason}`, ms: clock.elapsed() };
  try {
    const schema = quoteIdent(target.schema);
    await ensureOnce(warehouse, `schema:${schema}`, () =>
      warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`),
    );
    const relation = quoteRelation(staging);
    const kind = input.materialized === 'view' ? 'VIEW' : 'TABLE';
    // A retry of the same run replaces whatever an earlier attempt left. On a lake, creating it
    // may lose a commit race with another writer in the same schema: nothing of it landed, so
    // it is simply made again.
    const created = await retryOnConflict(async () => {
      await dropRelationLike(warehouse, staging, input.materialized === 'view' ? 'view' : 'table');
      return warehouse.all<{ Count?: bigint }>(`CREATE ${kind} ${relation} AS\n${verdict.sql}\n`);
    });
    // CREATE TABLE … AS says how many rows it wrote; a view is counted.
    const written = created[0]?.Count;
    const rows =
      written !== undefined
        ? toCount(written)
        : toCount((await warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${relation}`))[0]?.n);
    const columns = await describeRelation(warehouse, relation);
    return { ok: true, staging, rows, columns, ms: clock.elapsed() };
  } catch (error) {
    await dropRelation(warehouse, staging).catch(() => undefined);
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed';
    // Still racing after the retries: retryable (PIPE5202), not a fault of the step's SQL.
    if (isConflict(error)) {
      throw error instanceof WarehouseConflictError
        ? error
        : new WarehouseConflictError(`staging step "${input.step}" lost a commit race: ${message}`, error);
    }
    return { ok: false, error: `the SQL of step "${input.step}" failed: ${message}`, ms: clock.elapsed() };
  }
}
