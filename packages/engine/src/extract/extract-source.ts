// The façade of extraction: one source of a pipeline, read into one relation of the warehouse,
// inside one transaction. Either everything lands (rows, quarantined records, the incremental
// cursor) or nothing does. Each source kind's reader comes from a table; this module only
// prepares the target and assembles the report.
import type { Contract, Source, SourceKind } from '@pipectl/spec';
import { ensureSystemTables } from '../warehouse/system-tables.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { csvExtractor } from './csv-extractor.js';
import { SourceConfigError } from './extract-errors.js';
import type { ExtractMode, ExtractReport } from './extract-report.js';
import { ensureExtractStateTable } from './extract-state.js';
import type { Extractor } from './extractor.js';
import { jsonExtractor } from './json-extractor.js';
import { parquetExtractor } from './parquet-extractor.js';
import { postgresExtractor } from './postgres-extractor.js';
import { contractColumns, prepareTarget } from './target-table.js';

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

/**
 * Reads one source into `target`, typed by the contract, in one transaction; nothing else in the
 * warehouse is written but `_pipectl.quarantine` and `_pipectl.extract_state`. Throws an
 * ExtractError (stable `code`, file and line or server) on bad input. Called inside the caller's
 * own `warehouse.transaction`, it joins it, so a later failure also keeps the cursor where it was.
 * @example
 * const report = await extractSource({ warehouse, projectDir, pipeline: 'shop', source, contract,
 *   target: 'raw.orders', runId: 'run-1' });
 * report.rowsWritten // 1200
 */
export async function extractSource(options: ExtractSourceOptions): Promise<ExtractReport> {
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
  const outcome = await warehouse.transaction(async (tx) => {
    await ensureSystemTables(tx);
    await ensureExtractStateTable(tx);
    const relation = await prepareTarget(tx, options.target, columns, mode);
    return extractor.extract(source as never, {
      warehouse: tx,
      projectDir: options.projectDir,
      pipeline: options.pipeline,
      contract,
      columns,
      relation,
      mode,
      runId: options.runId,
      env: options.env ?? process.env,
    });
  });
  const totalMs = performance.now() - started;
  const { readMs, files, server, cursor, batches, ...counts } = outcome;
  return {
    pipeline: options.pipeline,
    source: source.name,
    kind: source.kind,
    dataset: contract.name,
    target: options.target,
    mode,
    runId: options.runId,
    ...(files === undefined ? {} : { files }),
    ...(server === undefined ? {} : { server }),
    ...counts,
    ...(cursor === undefined ? {} : { cursor }),
    ...(batches === undefined ? {} : { batches }),
    timings: {
      startedAt,
      readMs: Math.round(readMs),
      writeMs: Math.round(Math.max(0, totalMs - readMs)),
      totalMs: Math.round(totalMs),
    },
  };
}
