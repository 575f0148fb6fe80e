// A whole pipeline in one process, without Temporal: extract its sources (then check them against
// their contracts), then run its steps in plan order, skipping the steps downstream of a failure
// by the rule the Temporal workflow follows too (`stepStart`, @pipectl/run-rules).
// `pipectl test` runs this against a scratch warehouse; the Temporal workflow runs the same parts
// as activities. The pipeline is given in the shape of the compiler's plan, so callers pass
// `plan.pipelines[i]` as it is.
import { stepStart } from '@pipectl/run-rules';
import type { Contract, Materialization, QualityCheck, Source } from '@pipectl/spec';
import { ExtractError } from '../extract/extract-errors.js';
import type { ExtractReport } from '../extract/extract-report.js';
import type { QualityReport } from '../quality/quality-report.js';
import { type ProgressSink, tell } from '../report/progress.js';
import { startStopwatch } from '../report/stopwatch.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type LandedSource, landSource } from './land-source.js';
import { runStep, type StepReport, type StepStatus } from './run-step.js';

/** A pipeline as the compiler plans it (only the fields a run needs). */
export interface PipelineToRun {
  readonly name: string;
  readonly sources: readonly Source[];
  /** In a valid execution order. */
  readonly steps: readonly {
    readonly name: string;
    readonly produces: string;
    readonly materialized: Materialization;
    /** The SELECT with refs and sources resolved; absent when it did not compile. */
    readonly sql?: string;
    readonly gates: readonly QualityCheck[];
    readonly uniqueKey?: readonly string[];
    /** Steps of this pipeline that must succeed first. */
    readonly dependsOn?: readonly string[];
  }[];
}

export interface RunPipelineInput {
  readonly pipeline: PipelineToRun;
  /** Every contract by dataset name. */
  readonly contracts: ReadonlyMap<string, Contract>;
  readonly runId: string;
  /** Source paths are relative to it. */
  readonly projectDir: string;
  readonly now?: Date;
  /** Variables for `${VAR}` in PostgreSQL URLs; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What a step does with a breaking schema change and no approval (default `block`). */
  readonly onBreaking?: 'block' | 'publish';
  /**
   * For a scratch warehouse only: file sources checked in place stay views over their files
   * instead of being copied in (see `StageSourceOptions.publishInPlace`).
   */
  readonly sourcesInPlace?: boolean;
  /** Told when each source and step starts and finishes, and the rows read, built and checked. */
  readonly progress?: ProgressSink;
}

export interface SourceRun {
  readonly name: string;
  readonly dataset: string;
  readonly kind: Source['kind'];
  readonly status: 'loaded' | 'failed';
  readonly extract?: ExtractReport;
  /** The source's contract checks on what landed. */
  readonly quality?: QualityReport;
  readonly error?: { readonly message: string; readonly code?: string; readonly hint?: string };
}

export interface StepRun {
  readonly name: string;
  readonly dataset: string;
  readonly materialized: Materialization;
  readonly status: StepStatus | 'skipped';
  readonly report?: StepReport;
  /** Why it was skipped or failed before building. */
  readonly reason?: string;
}

export interface PipelineReport {
  readonly pipeline: string;
  readonly runId: string;
  /** Every source landed and passed its checks, and every step published. */
  readonly passed: boolean;
  readonly sources: readonly SourceRun[];
  readonly steps: readonly StepRun[];
  readonly ms: number;
}

/**
 * Runs a planned pipeline: sources, then steps. Never throws for bad data or bad SQL: each source
 * and step reports its own outcome.
 * @example const report = await runPipeline(wh, { pipeline: plan.pipelines[0], contracts, runId, projectDir });
 */
export async function runPipeline(warehouse: Warehouse, input: RunPipelineInput): Promise<PipelineReport> {
  const clock = startStopwatch();
  const sources = await runSources(warehouse, input);
  const sourcesFailed = sources.filter((s) => s.status === 'failed').map((s) => s.name);
  const failed = new Set<string>();
  const steps: StepRun[] = [];
  for (const step of input.pipeline.steps)
    steps.push(await runPlannedStep(warehouse, input, step, sourcesFailed, failed));
  return {
    pipeline: input.pipeline.name,
    runId: input.runId,
    passed: sourcesFailed.length === 0 && failed.size === 0,
    sources,
    steps,
    ms: clock.elapsed(),
  };
}

type PlannedStep = PipelineToRun['steps'][number];

/** Lands and checks every source of the pipeline, in order, telling progress. */
async function runSources(warehouse: Warehouse, input: RunPipelineInput): Promise<SourceRun[]> {
  const sources: SourceRun[] = [];
  for (const source of input.pipeline.sources) {
    tell(input.progress, { kind: 'source-started', of: source.name, dataset: source.contract });
    const run = await runSource(warehouse, input, source);
    const reason =
      run.error?.message ?? (run.quality && !run.quality.passed ? 'its checks failed' : undefined);
    const ok = run.status === 'loaded';
    tell(input.progress, {
      kind: 'finished',
      of: source.name,
      status: run.status,
      ok,
      ...(reason ? { reason } : {}),
    });
    sources.push(run);
  }
  return sources;
}

/**
 * One step of the plan: skipped (by the workflow's rule: a failed source, an upstream step that did
 * not publish, no contract or no SQL) or run. A step that does not publish joins `failed`.
 */
async function runPlannedStep(
  warehouse: Warehouse,
  input: RunPipelineInput,
  step: PlannedStep,
  sourcesFailed: readonly string[],
  failed: Set<string>,
): Promise<StepRun> {
  const head = { name: step.name, dataset: step.produces, materialized: step.materialized };
  const contract = input.contracts.get(step.produces);
  const of = `${input.pipeline.name}/${step.name}`;
  const decided = stepStart({
    halted:
      sourcesFailed.length > 0 ? `source ${sourcesFailed.map((s) => `"${s}"`).join(', ')} failed` : undefined,
    upstream: (step.dependsOn ?? []).map((name) => ({ name, published: !failed.has(name) })),
    unfit:
      contract === undefined
        ? `no contract for ${step.produces}`
        : step.sql === undefined
          ? 'its SQL did not compile'
          : undefined,
  });
  if (!decided.start || contract === undefined || step.sql === undefined) {
    const reason = decided.start ? undefined : decided.reason;
    failed.add(step.name);
    tell(input.progress, {
      kind: 'finished',
      of,
      status: 'skipped',
      ok: false,
      ...(reason ? { reason } : {}),
    });
    return { ...head, status: 'skipped', ...(reason !== undefined ? { reason } : {}) };
  }
  const report = await buildStep(warehouse, input, step, { of, contract, sql: step.sql });
  if (!(report.status === 'published' || report.status === 'already-published')) failed.add(step.name);
  return { ...head, status: report.status, report };
}

/** Runs a step that may start (its contract and SQL known), telling progress when it starts and ends. */
async function buildStep(
  warehouse: Warehouse,
  input: RunPipelineInput,
  step: PlannedStep,
  { of, contract, sql }: { of: string; contract: Contract; sql: string },
): Promise<StepReport> {
  tell(input.progress, { kind: 'step-started', of, dataset: step.produces });
  const report = await runStep(warehouse, {
    runId: input.runId,
    step: of,
    dataset: step.produces,
    sql,
    materialized: step.materialized,
    contract,
    gates: step.gates,
    ...(step.uniqueKey ? { uniqueKey: step.uniqueKey } : {}),
    ...(input.now ? { now: input.now } : {}),
    ...(input.onBreaking ? { onBreaking: input.onBreaking } : {}),
    ...(input.progress ? { progress: input.progress } : {}),
  });
  const ok = report.status === 'published' || report.status === 'already-published';
  const why = report.build.failure?.message;
  tell(input.progress, {
    kind: 'finished',
    of,
    status: report.status,
    ok,
    ...(why ? { reason: why } : {}),
  });
  return report;
}

/** Lands one source and checks it against its contract; a failure is reported, never thrown. */
async function runSource(warehouse: Warehouse, input: RunPipelineInput, source: Source): Promise<SourceRun> {
  const head = { name: source.name, dataset: source.contract, kind: source.kind };
  const contract = input.contracts.get(source.contract);
  if (contract === undefined) {
    return { ...head, status: 'failed', error: { message: `no contract for ${source.contract}` } };
  }
  let landed: LandedSource;
  try {
    landed = await landSource({
      warehouse,
      projectDir: input.projectDir,
      pipeline: input.pipeline.name,
      source,
      contract,
      target: source.contract,
      runId: input.runId,
      ...(input.env ? { env: input.env } : {}),
      ...(input.now ? { now: input.now } : {}),
      ...(input.sourcesInPlace ? { publishInPlace: true } : {}),
      ...(input.progress ? { progress: input.progress } : {}),
    });
  } catch (error) {
    if (error instanceof ExtractError) {
      return {
        ...head,
        status: 'failed',
        error: { message: error.message, code: error.code, hint: error.hint },
      };
    }
    return {
      ...head,
      status: 'failed',
      error: { message: error instanceof Error ? error.message : String(error) },
    };
  }
  const { extract, quality } = landed;
  return { ...head, status: quality.passed ? 'loaded' : 'failed', extract, quality };
}
