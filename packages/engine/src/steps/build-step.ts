// Building a step: stage its SELECT, check the output against the contract (names and stored
// types), run the quality gate (contract checks + the step's gates, quarantining where declared),
// and compare the schema with the last publication. The result says whether the staged output is
// ready to publish; a failed build drops its staging relation, so nothing of it can be published.
// The gate's results are staged with the output (published with it), or, when the gate blocks,
// recorded as blocked (registry/check-results.ts).
import type { Contract, QualityCheck } from '@pipectl/spec';
import { deriveChecks } from '../quality/derive-checks.js';
import type { QualityReport } from '../quality/quality-report.js';
import { runQualityGate } from '../quality/run-quality-gate.js';
import { recordBlockedGate, stageCheckResults } from '../registry/check-results.js';
import { publicationHistory } from '../registry/published-versions.js';
import { schemaHash } from '../registry/schema-hash.js';
import { type ProgressSink, tell } from '../report/progress.js';
import { startStopwatch } from '../report/stopwatch.js';
import { checkOutputSchema, type SchemaProblem } from '../schema/check-output-schema.js';
import {
  type CompatibilitySummary,
  compareWithHistory,
  summarizeCompatibility,
} from '../schema/compare-schema.js';
import { observedContract } from '../schema/observed-contract.js';
import { dropRelation, quoteRelation } from '../schema/relation-name.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type StageStepInput, stageStep } from './stage-step.js';
import { stagingNameOf } from './staging-name.js';

export interface BuildStepInput extends StageStepInput {
  readonly contract: Contract;
  /** The step's gates, on top of the contract's own checks. */
  readonly gates?: readonly QualityCheck[];
  /** The clock for freshness checks. */
  readonly now?: Date;
  /** Most samples kept per check (default 20). */
  readonly maxSamples?: number;
  /** Keep the staging relation of a failed build, to look at it. */
  readonly keepFailed?: boolean;
  /** Told the rows built and checked (`of` is `step`). */
  readonly progress?: ProgressSink;
}

export type BuildStatus = 'ready' | 'failed' | 'already-published';

export interface BuildReport {
  readonly status: BuildStatus;
  readonly runId: string;
  readonly step: string;
  readonly dataset: string;
  readonly materialized: StageStepInput['materialized'];
  /** The staging relation (quoted) holding the output, while it is ready to publish. */
  readonly staging?: string;
  /** Why the build failed. */
  readonly failure?: { readonly stage: 'sql' | 'schema' | 'quality'; readonly message: string };
  readonly rowsStaged: number;
  readonly rowsQuarantined: number;
  readonly schema?: {
    readonly ok: boolean;
    readonly problems: readonly SchemaProblem[];
    readonly hash?: string;
  };
  readonly quality?: QualityReport;
  /** The staged schema against the last publication (absent when the build failed before). */
  readonly compatibility?: CompatibilitySummary;
  readonly timings: { readonly stageMs: number; readonly qualityMs: number; readonly totalMs: number };
}

/**
 * Stages a step and runs its gates; publish with `publishStep` when the report is `ready` (and the
 * compatibility verdict allows, or someone approved).
 * @example const build = await buildStep(wh, { runId, step, dataset, sql, materialized: 'table', contract, gates });
 */
export async function buildStep(warehouse: Warehouse, input: BuildStepInput): Promise<BuildReport> {
  const clock = startStopwatch();
  const head = {
    runId: input.runId,
    step: input.step,
    dataset: input.dataset,
    materialized: input.materialized,
  };
  // The dataset's publications, read once: did this run publish it already, and (later) what its
  // consumers see now.
  const history = await publicationHistory(warehouse, input.dataset);
  const done = history.find((version) => version.runId === input.runId);
  if (done) {
    return {
      ...head,
      status: 'already-published',
      rowsStaged: done.rowsWritten,
      rowsQuarantined: 0,
      timings: { stageMs: 0, qualityMs: 0, totalMs: clock.elapsed() },
    };
  }

  const staged = await stageStep(warehouse, input);
  const stageMs = clock.lap();
  if (!staged.ok) {
    return {
      ...head,
      status: 'failed',
      failure: { stage: 'sql', message: staged.error },
      rowsStaged: 0,
      rowsQuarantined: 0,
      timings: { stageMs, qualityMs: 0, totalMs: clock.elapsed() },
    };
  }
  tell(input.progress, { kind: 'rows', of: input.step, phase: 'built', rows: staged.rows });
  const staging = stagingNameOf(input.dataset, input.runId, input.step);
  const discard = async () => {
    if (!input.keepFailed) await dropRelation(warehouse, staging);
  };

  const schema = checkOutputSchema(input.contract, staged.columns);
  if (!schema.ok) {
    await discard();
    return {
      ...head,
      status: 'failed',
      failure: {
        stage: 'schema',
        message: `the output does not match contract ${input.contract.name}: ${schema.problems.map((p) => p.message).join('; ')}`,
      },
      rowsStaged: staged.rows,
      rowsQuarantined: 0,
      schema,
      timings: { stageMs, qualityMs: 0, totalMs: clock.elapsed() },
    };
  }
  const published = observedContract(input.contract, staged.columns);
  const schemaReport = { ...schema, hash: schemaHash(published) };

  const checkedAt = input.now ?? new Date();
  const checks = deriveChecks(input.contract, input.gates ?? []);
  const quality = await runQualityGate(warehouse, {
    dataset: input.dataset,
    relation: staging,
    checks,
    runId: input.runId,
    known: { kind: input.materialized === 'view' ? 'view' : 'table', columns: staged.columns },
    ...(input.now ? { now: input.now } : {}),
    ...(input.maxSamples !== undefined ? { maxSamples: input.maxSamples } : {}),
  });
  const qualityMs = clock.lap();
  const gate = { ...head, contractVersion: input.contract.version, quality, checkedAt };
  tell(input.progress, {
    kind: 'rows',
    of: input.step,
    phase: 'checked',
    rows: quality.rowsChecked,
    checks: checks.length,
  });
  if (!quality.passed) {
    await discard();
    // Nothing is published, but the results are kept: the trend of a check should show its failures.
    await recordBlockedGate(warehouse, gate);
    const failed = quality.checks.filter((check) => check.blocking).map((check) => check.id);
    return {
      ...head,
      status: 'failed',
      failure: { stage: 'quality', message: `quality gate failed: ${failed.join(', ')}` },
      rowsStaged: staged.rows,
      rowsQuarantined: quality.rowsQuarantined,
      schema: schemaReport,
      quality,
      timings: { stageMs, qualityMs, totalMs: clock.elapsed() },
    };
  }

  await stageCheckResults(warehouse, gate);
  const compatibility = summarizeCompatibility(
    compareWithHistory(
      published,
      history.map((version) => version.schema),
    ),
  );
  return {
    ...head,
    status: 'ready',
    staging: quoteRelation(staging),
    rowsStaged: staged.rows,
    rowsQuarantined: quality.rowsQuarantined,
    schema: schemaReport,
    quality,
    compatibility,
    timings: { stageMs, qualityMs, totalMs: clock.elapsed() },
  };
}
