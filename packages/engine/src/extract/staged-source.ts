// Extraction in two phases, so that nothing bad lands. `stageSource` reads one source into the
// connection's temporary storage (`temp.main`), typed by the contract: a table, or for a file the
// warehouse reads in place, a view over the file. The caller checks the staged rows there. Then
// `commitStagedSource` replaces or appends the target from the staging relation and records the
// incremental cursor in ONE transaction, or `discardStagedSource` drops it and the target and the
// cursor stay exactly as they were. The one transaction touches nothing but the target and
// `_pipectl.extract_state`, so it carries over to a DuckLake catalog as one lake snapshot.
import type { Contract, Source, SourceKind } from '@pipectl/spec';
import { dropRelation, quoteRelation, type RelationName } from '../schema/relation-name.js';
import { quoteIdent, relationOf, splitDataset } from '../warehouse/identifiers.js';
import { ensureSystemTables } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { csvExtractor } from './csv-extractor.js';
import { SourceConfigError } from './extract-errors.js';
import type { ExtractMode, ExtractReport } from './extract-report.js';
import { ensureExtractStateTable, writeExtractState } from './extract-state.js';
import type { ExtractOutcome, Extractor } from './extractor.js';
import { jsonExtractor } from './json-extractor.js';
import { parquetExtractor } from './parquet-extractor.js';
import { postgresExtractor } from './postgres-extractor.js';
import { createStagedQuarantine, moveStagedQuarantine, type QuarantineOrigin } from './quarantine-rejects.js';
import { assertUnchanged } from './source-files.js';
import {
  contractColumns,
  insertInto,
  prepareTarget,
  type TargetColumn,
  tempTableName,
} from './target-table.js';

const EXTRACTORS: { readonly [K in SourceKind]: Extractor<K> } = {
  csv: csvExtractor,
  parquet: parquetExtractor,
  json: jsonExtractor,
  postgres: postgresExtractor,
};

export interface ExtractSourceOptions {
  readonly warehouse: Warehouse;
  /** The project directory: file paths of sources are relative to it. */
  readonly projectDir: string;
  /** The pipeline's name: incremental state is kept per pipeline and source. */
  readonly pipeline: string;
  readonly source: Source;
  /** The contract the source names (`source.contract`): its columns and types are the truth. */
  readonly contract: Contract;
  /** The relation to write, `schema.table`: the contract's name, or a staging name to publish from. */
  readonly target: string;
  readonly runId: string;
  /** Variables for `${VAR}` in PostgreSQL URLs; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * `replace` (default; incremental sources: `append`): the target holds exactly this
   * extraction, or the new rows are added to what it holds.
   */
  readonly mode?: ExtractMode;
}

export interface StageSourceOptions extends ExtractSourceOptions {
  /**
   * May the staging relation be a view over the source (Parquet files)? Only when nothing will
   * delete staged rows (no `onFail: quarantine` check). Default false: a temporary table.
   */
  readonly inPlace?: boolean;
  /**
   * A source checked in place is published as a view over its files instead of copied (full
   * replace only). For a scratch warehouse (`pipectl test`) that is thrown away: the rows are the
   * ones the checks saw, and the copy, half the time of a large source, is skipped.
   */
  readonly publishInPlace?: boolean;
}

/** A source read into temporary storage, not yet in the target. */
export interface StagedSource {
  readonly options: StageSourceOptions;
  readonly mode: ExtractMode;
  /** `temp.main.<name>`: a table, or a view over the source's files. */
  readonly relation: RelationName;
  /** `temp.main.<name>`: the records the reader rejected, bound for `_pipectl.quarantine`. */
  readonly quarantine: RelationName;
  readonly columns: readonly TargetColumn[];
  readonly outcome: ExtractOutcome;
  readonly startedAt: string;
  readonly stageMs: number;
}

export interface CommittedSource {
  /** Rows the target took. */
  readonly rowsWritten: number;
  readonly ms: number;
}

/**
 * Reads one source into a staging relation of this connection's temporary storage; nothing in
 * the warehouse changes (records the reader rejects are staged too). Throws an ExtractError (stable `code`, file and line or server) on bad input, leaving nothing.
 * @example
 * const staged = await stageSource({ warehouse, projectDir, pipeline: 'shop', source, contract,
 *   target: 'raw.orders', runId: 'run-1' });
 * // check quoteRelation(staged.relation), then:
 * await commitStagedSource(warehouse, staged);
 */
export async function stageSource(options: StageSourceOptions): Promise<StagedSource> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { warehouse, source, contract } = options;
  if (source.contract !== contract.name) {
    throw new SourceConfigError(
      'PIPE5109',
      `source "${source.name}" declares contract "${source.contract}" but was given "${contract.name}"`,
      { source: source.name },
      { hint: 'Pass the contract the source names.' },
    );
  }
  const extractor = EXTRACTORS[source.kind] as Extractor<SourceKind>;
  const mode = options.mode ?? extractor.defaultMode(source as never);
  const columns = contractColumns(contract);
  const inPlace = (options.inPlace ?? false) && extractor.readsInPlace === true;
  const relation: RelationName = { catalog: 'temp', schema: 'main', table: tempTableName('stage') };
  const quarantine: RelationName = { catalog: 'temp', schema: 'main', table: `${relation.table}_rejects` };
  await ensureSystemTables(warehouse);
  await ensureExtractStateTable(warehouse);
  await createStagedQuarantine(warehouse, quarantine.table);
  if (!inPlace) {
    const definition = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    await warehouse.run(`CREATE TEMP TABLE ${quoteIdent(relation.table)} (${definition})`);
  }
  try {
    const outcome = await extractor.extract(source as never, {
      warehouse,
      projectDir: options.projectDir,
      pipeline: options.pipeline,
      contract,
      columns,
      relation: quoteRelation(relation),
      quarantine: quoteRelation(quarantine),
      inPlace,
      mode,
      runId: options.runId,
      env: options.env ?? process.env,
    });
    const stageMs = performance.now() - started;
    return { options, mode, relation, quarantine, columns, outcome, startedAt, stageMs };
  } catch (error) {
    await dropRelation(warehouse, relation).catch(() => undefined);
    await dropRelation(warehouse, quarantine).catch(() => undefined);
    throw error;
  }
}

/**
 * Publishes what was staged, in one transaction: the target replaced by (or appended with) the
 * staged rows, the rejected records quarantined, and the incremental cursor recorded. Then drops the staging relation. Inside the
 * caller's own `warehouse.transaction`, it joins it.
 */
export async function commitStagedSource(
  warehouse: Warehouse,
  staged: StagedSource,
): Promise<CommittedSource> {
  const started = performance.now();
  const { options, columns, outcome } = staged;
  const asView = options.publishInPlace === true && staged.mode === 'replace' && outcome.inPlaceSelect;
  const rowsWritten = await warehouse
    .transaction(async (tx) => {
      if (asView) {
        const { schema } = splitDataset(options.target);
        await tx.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
        await tx.run(`CREATE OR REPLACE VIEW ${relationOf(options.target)} AS ${asView}`);
        await moveStagedQuarantine(tx, quoteRelation(staged.quarantine), quarantineOrigin(staged));
        return outcome.rowsWritten;
      }
      const target = await prepareTarget(tx, options.target, columns, staged.mode);
      const inserted = await tx.all<{ Count: bigint }>(
        `${insertInto(target, columns)} SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteRelation(staged.relation)}`,
      );
      // After the copy, inside the transaction: a file rewritten since its check rolls it back.
      if (outcome.readInPlace) await assertUnchanged(outcome.readInPlace, options.source.name);
      await moveStagedQuarantine(tx, quoteRelation(staged.quarantine), quarantineOrigin(staged));
      if (outcome.commitCursor !== undefined && outcome.cursor !== undefined) {
        await writeExtractState(tx, {
          pipeline: options.pipeline,
          source: options.source.name,
          cursorColumn: outcome.cursor.column,
          cursorValue: outcome.commitCursor,
          runId: options.runId,
        });
      }
      return Number(inserted[0]?.Count ?? 0);
    })
    .finally(() => discardStagedSource(warehouse, staged));
  return { rowsWritten, ms: performance.now() - started };
}

/**
 * Drops the staging relations; the target and the cursor are untouched. With `keepRejected`, the
 * records the reader rejected still reach `_pipectl.quarantine` (in their own transaction), as
 * evidence of a run whose rows were refused.
 */
export async function discardStagedSource(
  warehouse: Warehouse,
  staged: StagedSource,
  options: { readonly keepRejected?: boolean } = {},
): Promise<void> {
  try {
    if (options.keepRejected) {
      await warehouse.transaction((tx) =>
        moveStagedQuarantine(tx, quoteRelation(staged.quarantine), quarantineOrigin(staged)),
      );
    }
  } finally {
    await dropRelation(warehouse, staged.relation);
    await dropRelation(warehouse, staged.quarantine);
  }
}

function quarantineOrigin(staged: StagedSource): QuarantineOrigin {
  return {
    runId: staged.options.runId,
    dataset: staged.options.contract.name,
    origin: `source:${staged.options.source.name}`,
  };
}

/**
 * The report of a staged source. Committed: the rows the target took. Not committed: the rows
 * staged (what would have been written), and the cursor as read (not recorded).
 */
export function extractReportOf(staged: StagedSource, committed?: CommittedSource): ExtractReport {
  const { options, outcome } = staged;
  const { readMs, files, server, cursor, batches, commitCursor: _, readInPlace: __, ...counts } = outcome;
  const totalMs = staged.stageMs + (committed?.ms ?? 0);
  return {
    pipeline: options.pipeline,
    source: options.source.name,
    kind: options.source.kind,
    dataset: options.contract.name,
    target: options.target,
    mode: staged.mode,
    runId: options.runId,
    ...(files === undefined ? {} : { files }),
    ...(server === undefined ? {} : { server }),
    ...counts,
    ...(committed ? { rowsWritten: committed.rowsWritten } : {}),
    ...(cursor === undefined ? {} : { cursor }),
    ...(batches === undefined ? {} : { batches }),
    timings: {
      startedAt: staged.startedAt,
      readMs: Math.round(readMs),
      writeMs: Math.round(Math.max(0, totalMs - readMs)),
      totalMs: Math.round(totalMs),
    },
  };
}
