// Landing a source: check, then commit. The source is staged in the connection's temporary
// storage, the source contract's own checks run on the staged rows, and only when they pass are
// the rows and the incremental cursor committed, in one transaction; otherwise the staging is
// dropped and the target and the cursor stay exactly as they were, so the next run reads the same
// rows again. Shared by `runPipeline` (pipectl test) and the Temporal activity, which differ only
// in how they report a failure.
import type { Contract } from '@pipectl/spec';
import type { ExtractReport } from '../extract/extract-report.js';
import {
  commitStagedSource,
  discardStagedSource,
  type ExtractSourceOptions,
  extractReportOf,
  stageSource,
} from '../extract/staged-source.js';
import { deriveChecks } from '../quality/derive-checks.js';
import type { QualityReport } from '../quality/quality-report.js';
import { runQualityGate } from '../quality/run-quality-gate.js';
import { type ProgressSink, tell } from '../report/progress.js';

export interface LandSourceInput extends ExtractSourceOptions {
  /** Told the rows read and checked (`of` is the source's name). */
  readonly progress?: ProgressSink;
  readonly contract: Contract;
  /** The clock for freshness checks. */
  readonly now?: Date;
  /** Scratch warehouses only: a source checked in place stays a view (`StageSourceOptions`). */
  readonly publishInPlace?: boolean;
}

export interface LandedSource {
  /** Committed: what the target took. Not committed: what was staged, and the cursor as read. */
  readonly extract: ExtractReport;
  /** The contract's checks on the staged rows. */
  readonly quality: QualityReport;
  /** Whether rows and cursor reached the warehouse (`quality.passed`). */
  readonly committed: boolean;
}

/**
 * Stages, checks, then commits or discards. Throws what extraction throws (ExtractError for bad
 * input); a failing check is reported in `quality` (with `committed: false`), not thrown.
 * Quarantined rows (records a reader rejected, rows of `onFail: quarantine` checks) are kept in
 * `_pipectl.quarantine` under the run id either way: evidence of what the run saw.
 * @example const { committed, quality } = await landSource({ warehouse, projectDir, pipeline, source, contract, target: source.contract, runId });
 */
export async function landSource(input: LandSourceInput): Promise<LandedSource> {
  const { now, progress, ...options } = input;
  const checks = deriveChecks(input.contract);
  // A view over the source would refuse the DELETE that quarantining rows needs.
  const inPlace = !checks.some((check) => check.rule.onFail === 'quarantine');
  const staged = await stageSource({ ...options, inPlace });
  const of = input.source.name;
  tell(progress, { kind: 'rows', of, phase: 'read', rows: extractReportOf(staged).rowsRead });
  let quality: QualityReport;
  try {
    quality = await runQualityGate(input.warehouse, {
      dataset: input.target,
      relation: staged.relation,
      checks,
      runId: input.runId,
      ...(now ? { now } : {}),
    });
  } catch (error) {
    await discardStagedSource(input.warehouse, staged).catch(() => undefined);
    throw error;
  }
  tell(progress, { kind: 'rows', of, phase: 'checked', rows: quality.rowsChecked, checks: checks.length });
  if (!quality.passed) {
    await discardStagedSource(input.warehouse, staged, { keepRejected: true });
    return { extract: extractReportOf(staged), quality, committed: false };
  }
  const committed = await commitStagedSource(input.warehouse, staged);
  return { extract: extractReportOf(staged, committed), quality, committed: true };
}
