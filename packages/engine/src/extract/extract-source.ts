// The façade of extraction without checks: one source of a pipeline, staged in the connection's
// temporary storage and then committed into its target in one transaction (rows and incremental
// cursor together). `landSource` (steps/) is the same with the contract's checks in between;
// this is for callers that check elsewhere or not at all (tests, benchmarks, tools).
import type { ExtractReport } from './extract-report.js';
import {
  commitStagedSource,
  type ExtractSourceOptions,
  extractReportOf,
  stageSource,
} from './staged-source.js';

export type { ExtractSourceOptions } from './staged-source.js';

/**
 * Reads one source into `target`, typed by the contract; nothing else in the warehouse is written
 * but `_pipectl.quarantine` and `_pipectl.extract_state`. Throws an ExtractError (stable `code`,
 * file and line or server) on bad input, leaving the target and the cursor as they were. Called
 * inside the caller's own `warehouse.transaction`, its commit joins it, so a later failure also
 * keeps the cursor where it was.
 * @example
 * const report = await extractSource({ warehouse, projectDir, pipeline: 'shop', source, contract,
 *   target: 'raw.orders', runId: 'run-1' });
 * report.rowsWritten // 1200
 */
export async function extractSource(options: ExtractSourceOptions): Promise<ExtractReport> {
  const staged = await stageSource({ ...options, inPlace: true });
  const committed = await commitStagedSource(options.warehouse, staged);
  return extractReportOf(staged, committed);
}
