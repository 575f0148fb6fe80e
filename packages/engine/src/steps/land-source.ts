// Landing a source: extract it into its dataset, then check the landed rows against the source
// contract's own checks. Shared by `runPipeline` (pipectl test) and the Temporal activity, which
// differ only in how they report a failure.
import type { Contract } from '@pipectl/spec';
import type { ExtractReport } from '../extract/extract-report.js';
import { type ExtractSourceOptions, extractSource } from '../extract/extract-source.js';
import { deriveChecks } from '../quality/derive-checks.js';
import type { QualityReport } from '../quality/quality-report.js';
import { runQualityGate } from '../quality/run-quality-gate.js';

export interface LandSourceInput extends ExtractSourceOptions {
  readonly contract: Contract;
  /** The clock for freshness checks. */
  readonly now?: Date;
}

export interface LandedSource {
  readonly extract: ExtractReport;
  /** The contract's checks on the landed relation (`target`). */
  readonly quality: QualityReport;
}

/**
 * Extracts, then runs the contract's checks on what landed. Throws what `extractSource` throws
 * (ExtractError for bad input); a failing check is reported in `quality`, not thrown.
 */
export async function landSource(input: LandSourceInput): Promise<LandedSource> {
  const { now, ...options } = input;
  const extract = await extractSource(options);
  const quality = await runQualityGate(input.warehouse, {
    dataset: input.target,
    checks: deriveChecks(input.contract),
    runId: input.runId,
    ...(now ? { now } : {}),
  });
  return { extract, quality };
}
