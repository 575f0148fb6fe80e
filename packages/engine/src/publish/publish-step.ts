// Publication: the staged output of a step becomes the dataset, in one transaction with its
// registry row and its gate's check results. A table or view is swapped in (the old one dropped, the staging relation renamed:
// readers see the old or the new, never a mix); an incremental step merges its batch on the merge
// key (rows with a staged key are replaced, others kept). A run id that already published the
// dataset publishes nothing again; a failure anywhere rolls everything back.
import { type Contract, type Materialization, primaryKeyOf } from '@pipectl/spec';
import { discardStagedChecks, publishStagedChecks, stagedChecksNameOf } from '../registry/check-results.js';
import {
  type Approval,
  ensureRegistry,
  findPublication,
  recordPublication,
} from '../registry/published-versions.js';
import { schemaHash } from '../registry/schema-hash.js';
import { toCount } from '../report/json-safe.js';
import { startStopwatch } from '../report/stopwatch.js';
import { checkOutputSchema, type SchemaProblem } from '../schema/check-output-schema.js';
import { observedContract } from '../schema/observed-contract.js';
import {
  dropRelation,
  quoteRelation,
  type RelationName,
  relationKinds,
  relationNameOf,
} from '../schema/relation-name.js';
import type { StepIdentity } from '../steps/stage-step.js';
import { stagingNameOf } from '../steps/staging-name.js';
import { describeRelation } from '../warehouse/describe-relation.js';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { retryOnConflict } from '../warehouse/warehouse-errors.js';

export interface PublishStepInput extends StepIdentity {
  readonly materialized: Materialization;
  /** The contract the output was built against; recorded (with observed types) in the registry. */
  readonly contract: Contract;
  /** Merge key of an incremental step; the contract's primary key when absent. */
  readonly uniqueKey?: readonly string[];
  /** The decision that allowed a breaking change, recorded with the publication. */
  readonly approval?: Approval;
  /**
   * Runs inside the publishing transaction after the swap and the registry row, just before the
   * commit: to write more state atomically with the publication (a throw rolls it all back).
   */
  readonly beforeCommit?: (tx: Warehouse) => Promise<void>;
}

export type PublishStatus = 'published' | 'already-published' | 'blocked';

export type PublishBlock = 'nothing-staged' | 'schema-mismatch' | 'merge-keys';

export interface PublishReport {
  readonly status: PublishStatus;
  readonly runId: string;
  readonly step: string;
  readonly dataset: string;
  /** The published relation, quoted. */
  readonly relation: string;
  readonly materialized: Materialization;
  /** Rows of the staged output that were published. */
  readonly rowsWritten: number;
  /** Incremental: staged rows whose key was new, and those that replaced an existing row. */
  readonly rowsInserted?: number;
  readonly rowsReplaced?: number;
  /** Rows in the dataset after publishing. */
  readonly rowsTotal?: number;
  readonly contractVersion?: string;
  readonly schemaHash?: string;
  /** Why nothing was published (status `blocked`), in words. */
  readonly reason?: string;
  /**
   * What blocked it (status `blocked`), for callers that act on it: nothing staged for this step
   * and run, an output that does not match its contract, or keys an incremental merge cannot use.
   */
  readonly blockedBy?: PublishBlock;
  readonly problems?: readonly SchemaProblem[];
  readonly ms: number;
}

/** How many times in all a publication that lost a commit race is run, before PIPE5202 reaches the caller. */
const PUBLISH_ATTEMPTS = 5;

/**
 * Publishes the staged output of a step. On a lake, a commit that lost a race with another writer
 * (the same dataset, or the registry, committed first) committed nothing; the publication is run
 * again from the start, up to PUBLISH_ATTEMPTS times, and sees the winner's commit (a run id that
 * did publish finds its publication and writes nothing). Only then is the conflict (PIPE5202,
 * retryable) the caller's, so contention does not use up a step's retries.
 * @example const report = await publishStep(wh, { runId, step: 'orders', dataset: 'mart.orders', materialized: 'table', contract });
 * report.status // 'published', or 'already-published' when this run published it before
 */
export function publishStep(warehouse: Warehouse, input: PublishStepInput): Promise<PublishReport> {
  return retryOnConflict(() => publishOnce(warehouse, input), PUBLISH_ATTEMPTS);
}

async function publishOnce(warehouse: Warehouse, input: PublishStepInput): Promise<PublishReport> {
  const clock = startStopwatch();
  const target = relationNameOf(input.dataset);
  const staging = stagingNameOf(input.dataset, input.runId, input.step);
  const report = {
    runId: input.runId,
    step: input.step,
    dataset: input.dataset,
    relation: quoteRelation(target),
    materialized: input.materialized,
  };
  const blocked = (
    blockedBy: PublishBlock,
    reason: string,
    problems?: readonly SchemaProblem[],
  ): PublishReport => ({
    ...report,
    status: 'blocked',
    rowsWritten: 0,
    reason,
    blockedBy,
    ...(problems ? { problems } : {}),
    ms: clock.elapsed(),
  });

  await ensureRegistry(warehouse);
  const earlier = await findPublication(warehouse, input.dataset, input.runId);
  if (earlier) {
    // A retry after a committed publication: nothing to do but tidy what a later attempt staged.
    await dropRelation(warehouse, staging);
    await discardStagedChecks(warehouse, input);
    return {
      ...report,
      status: 'already-published',
      rowsWritten: earlier.rowsWritten,
      contractVersion: earlier.contractVersion,
      schemaHash: earlier.schemaHash,
      ms: clock.elapsed(),
    };
  }

  // The staged output, the dataset and the staged check results, asked about in one statement.
  const [stagedKind, targetKind, stagedChecksKind] = await relationKinds(warehouse, [
    staging,
    target,
    stagedChecksNameOf(input),
  ]);
  if (stagedKind === undefined) {
    return blocked(
      'nothing-staged',
      `nothing is staged for step "${input.step}" of run "${input.runId}": build the step first (a failed gate leaves nothing to publish)`,
    );
  }
  const columns = await describeRelation(warehouse, quoteRelation(staging));
  const schema = checkOutputSchema(input.contract, columns);
  if (!schema.ok) {
    return blocked(
      'schema-mismatch',
      `the output of step "${input.step}" does not match contract ${input.contract.name}`,
      schema.problems,
    );
  }
  const published = observedContract(input.contract, columns);
  const hash = schemaHash(published);
  const rowsWritten = await countRows(warehouse, staging);

  const merge = input.materialized === 'incremental' && targetKind === 'table';
  let key: readonly string[] = [];
  if (input.materialized === 'incremental') {
    key = input.uniqueKey ?? primaryKeyOf(input.contract);
    const problem = await mergeProblem(
      warehouse,
      staging,
      merge ? target : undefined,
      key,
      columns.map((c) => c.name),
    );
    if (problem) return blocked('merge-keys', problem);
  }

  const stagedChecks = stagedChecksKind !== undefined;
  return warehouse.transaction(async (tx) => {
    let rowsReplaced: number | undefined;
    if (merge) {
      const match = key
        .map((k) => `s.${quoteIdent(k)} IS NOT DISTINCT FROM t.${quoteIdent(k)}`)
        .join(' AND ');
      const [deleted] = await tx.all<{ Count: bigint }>(
        `DELETE FROM ${quoteRelation(target)} AS t WHERE EXISTS (SELECT 1 FROM ${quoteRelation(staging)} AS s WHERE ${match})`,
      );
      rowsReplaced = toCount(deleted?.Count);
      await tx.run(`INSERT INTO ${quoteRelation(target)} BY NAME SELECT * FROM ${quoteRelation(staging)}`);
      await tx.run(`DROP TABLE ${quoteRelation(staging)}`);
    } else {
      // Asked again inside the transaction: another publisher may have created, replaced or dropped
      // the dataset since the probe above, and a DROP or rename that trusted the probe would fail
      // with a catalog error instead of the commit conflict (PIPE5202) that is run again.
      await dropRelation(tx, target);
      const kind = stagedKind === 'view' ? 'VIEW' : 'TABLE';
      await tx.run(`ALTER ${kind} ${quoteRelation(staging)} RENAME TO ${quoteIdent(target.table)}`);
    }
    await recordPublication(tx, {
      dataset: input.dataset,
      runId: input.runId,
      step: input.step,
      contractVersion: input.contract.version,
      schema: published,
      schemaHash: hash,
      materialized: input.materialized,
      rowsWritten,
      ...(input.approval ? { approval: input.approval } : {}),
    });
    // The gate's results land with the version they let through, or not at all.
    await publishStagedChecks(tx, input, stagedChecks);
    await input.beforeCommit?.(tx);
    // A swap publishes exactly the staged rows; a merge adds them to what was there.
    const rowsTotal = merge ? await countRows(tx, target) : rowsWritten;
    return {
      ...report,
      status: 'published' as const,
      rowsWritten,
      ...(input.materialized === 'incremental'
        ? { rowsInserted: rowsWritten - (rowsReplaced ?? 0), rowsReplaced: rowsReplaced ?? 0 }
        : {}),
      rowsTotal,
      contractVersion: input.contract.version,
      schemaHash: hash,
      ms: clock.elapsed(),
    };
  });
}

/** Why an incremental batch cannot be merged: no key, a key column missing, duplicate keys, other columns. */
async function mergeProblem(
  warehouse: Warehouse,
  staging: RelationName,
  target: RelationName | undefined,
  key: readonly string[],
  stagedColumns: readonly string[],
): Promise<string | undefined> {
  if (key.length === 0) {
    return 'an incremental step needs a merge key: give the step a uniqueKey or the contract a primary key';
  }
  const missing = key.filter((column) => !stagedColumns.includes(column));
  if (missing.length > 0) return `the merge key column "${missing[0]}" is not in the step's output`;
  const columns = key.map(quoteIdent).join(', ');
  const [duplicates] = await warehouse.all<{ n: bigint }>(
    `SELECT count(*) AS n FROM (SELECT ${columns} FROM ${quoteRelation(staging)} GROUP BY ALL HAVING count(*) > 1)`,
  );
  const n = toCount(duplicates?.n);
  if (n > 0)
    return `the batch has ${n} merge key${n === 1 ? '' : 's'} (${key.join(', ')}) on more than one row`;
  if (target) {
    const existing = (await describeRelation(warehouse, quoteRelation(target))).map((column) => column.name);
    const added = stagedColumns.filter((column) => !existing.includes(column));
    const dropped = existing.filter((column) => !stagedColumns.includes(column));
    if (added.length > 0 || dropped.length > 0) {
      const parts = [
        ...(added.length > 0 ? [`adds ${added.map((c) => `"${c}"`).join(', ')}`] : []),
        ...(dropped.length > 0 ? [`drops ${dropped.map((c) => `"${c}"`).join(', ')}`] : []),
      ];
      return `the step's output ${parts.join(' and ')} compared with the existing ${quoteRelation(target)}: an incremental merge keeps the columns; rebuild the dataset (drop it) to change them`;
    }
  }
  return undefined;
}

async function countRows(warehouse: Warehouse, name: RelationName): Promise<number> {
  const [row] = await warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${quoteRelation(name)}`);
  return toCount(row?.n);
}
