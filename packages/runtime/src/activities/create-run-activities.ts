// The activities of a pipeline run, over the engine: thin, idempotent (every write is keyed on the
// workflow id as run id, so a retried publish publishes once), heartbeating while they work, and
// failing non-retryably on bad data (the types are in workflows/run-failures.ts). The compiled
// project comes from the worker's cache (compiled again when its files change); the warehouse is
// the target's: the DuckDB file shared through the pool, or a lakehouse each activity opens for
// itself (warehouse-access.ts).
import { resolve } from 'node:path';
import {
  discardStaged,
  ExtractError,
  buildStep as engineBuildStep,
  publishStep as enginePublishStep,
  type LandedSource,
  landSource,
  type QualityReport,
  type Warehouse,
} from '@pipectl/engine';
import { type OpenLineageConfig, resolveTarget, type WarehouseTarget } from '@pipectl/spec';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  LINEAGE_MAX_ATTEMPTS,
  type LineageEmitInput,
  type LineageEmitReport,
  needsDecision,
  type PublishDecision,
  type PublishReport,
  type RunPlan,
  type SourceActivityInput,
  type SourceReport,
  type StepActivityInput,
  type StepBuildInput,
  type StepBuildReport,
} from '../workflows/run-types.js';
import { withHeartbeat } from './activity-heartbeat.js';
import { sourceFingerprint, stepFingerprint } from './fingerprint.js';
import { createLakeInstances, type LakeInstances } from './lake-instances.js';
import { lineageEvents } from './lineage/lineage-events.js';
import { createTransport } from './lineage/lineage-transports.js';
import { createProjectCache, type ProjectCache } from './project-cache.js';
import { reducePlan } from './reduce-plan.js';
import { restoreFingerprint, restoreSource, restoreStep } from './restore-version.js';
import type { RunActivities } from './run-activities.js';
import { contractOf, pipelineOf, type RunProject } from './run-project.js';
import { toCheckSummary, toStepBuildReport } from './step-report.js';
import { createWarehouseAccess } from './warehouse-access.js';
import type { WarehousePool } from './warehouse-pool.js';

export interface RunActivitiesDeps {
  /** The worker's open DuckDB files (one each, writes serialised); unused on a lakehouse. */
  readonly warehouses: WarehousePool;
  /**
   * The warehouse of the target the worker serves, resolved (`${VAR}`s filled); each project's
   * own target (pipectl.yaml's `target:`, else `default`) when absent.
   */
  readonly target?: WarehouseTarget;
  /** The lakes attached by this worker, kept between activities; a new set by default. */
  readonly lakes?: LakeInstances;
  /** The compiled projects, kept between activities; a new cache by default. */
  readonly projects?: ProjectCache;
  /**
   * When set, runs of any other project directory are refused (ProjectNotServed, retryable: a
   * worker of that project on the same task queue may take the retry). Projects have their own
   * task queues by default (`pipectl-<name>`), so only a task queue shared by hand gets here.
   */
  readonly projectDir?: string;
  /**
   * The heartbeat timeout planRun writes into each plan: how long a source or step activity may
   * be silent before Temporal retries it elsewhere, i.e. how fast a crashed worker is noticed.
   * Default 30 s.
   */
  readonly heartbeatTimeoutMs?: number;
  /** Variables for `${VAR}` in PostgreSQL source URLs; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The clock of freshness checks. */
  readonly now?: () => Date;
  /**
   * The OpenLineage emission of the target the worker serves (null: it emits none); each
   * project's own target's when absent.
   */
  readonly openlineage?: OpenLineageConfig | null;
  /** Where the console transport writes; standard output by default. */
  readonly stdout?: (text: string) => void;
}

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 30_000;

/**
 * @example const worker = await Worker.create({ ..., activities: createRunActivities({ warehouses: createWarehousePool() }) });
 */
export function createRunActivities(deps: RunActivitiesDeps): RunActivities {
  const projects = deps.projects ?? createProjectCache();
  const open = async (projectDir: string): Promise<RunProject> => {
    if (deps.projectDir !== undefined && resolve(projectDir) !== resolve(deps.projectDir)) {
      throw ApplicationFailure.retryable(
        `this worker serves the project in ${resolve(deps.projectDir)}, not ${projectDir}: give each project ` +
          'its own task queue (leave temporal.taskQueue out of pipectl.yaml: the default is pipectl-<name>)',
        'ProjectNotServed',
      );
    }
    return projects.get(projectDir);
  };
  const now = (): Date => deps.now?.() ?? new Date();
  const env = deps.env ?? process.env;
  /** The target's OpenLineage settings for this project, or undefined when it emits nothing. */
  const lineageOf = (project: RunProject): OpenLineageConfig | undefined => {
    if (deps.openlineage !== undefined) return deps.openlineage ?? undefined;
    const resolved = resolveTarget(project.compiled.project, { env });
    return resolved.ok ? resolved.target.openlineage : undefined;
  };
  const access = createWarehouseAccess({
    pool: deps.warehouses,
    lakes: deps.lakes ?? createLakeInstances(),
    ...(deps.target ? { target: deps.target } : {}),
    ...(deps.env ? { env: deps.env } : {}),
  });

  return {
    async planRun({ projectDir, pipeline, restore }): Promise<RunPlan> {
      const project = await open(projectDir);
      const plan = reducePlan({
        pipeline: pipelineOf(project, pipeline),
        datasets: project.compiled.plan.datasets,
        contracts: project.contracts,
        heartbeatTimeoutMs: deps.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
        ...(project.compiled.plan.project.docs ? { docsUrl: project.compiled.plan.project.docs.url } : {}),
        signers: project.compiled.signers,
      });
      const lineage = lineageOf(project) ? { lineage: { enabled: true as const } } : {};
      // The embedded file has one writer, this worker: its steps need no trip through the server.
      const local = access.kind(project) === 'duckdb' ? { localSteps: true as const } : {};
      if (!restore) return { ...plan, ...lineage, ...local };
      // A restore: one step, the producer of the dataset, with nothing to extract or wait for.
      const step = restoreStep(project, pipeline, restore);
      const { version } = await access.use(project, (warehouse) => restoreSource(warehouse, restore));
      const planned = plan.steps.find((s) => s.name === step.name);
      if (!planned) throw changed(`step "${step.name}" is no longer in pipeline ${pipeline}`);
      return {
        ...plan,
        ...lineage,
        ...local,
        sources: [],
        steps: [{ ...planned, dependsOn: [], fingerprint: restoreFingerprint(restore, version) }],
      };
    },

    async extractSource(input: SourceActivityInput): Promise<SourceReport> {
      const project = await open(input.projectDir);
      const pipeline = pipelineOf(project, input.pipeline);
      const source = pipeline.sources.find((s) => s.name === input.source);
      if (!source) throw changed(`source "${input.source}" is no longer in pipeline ${input.pipeline}`);
      const contract = contractOf(project, source.contract);
      if (input.fingerprint !== undefined && sourceFingerprint(source, contract) !== input.fingerprint) {
        throw changed(`source "${source.name}" or its contract ${source.contract} changed`);
      }
      return withHeartbeat((signal) =>
        access.use(
          project,
          async (warehouse) => {
            let landed: LandedSource;
            try {
              landed = await landSource({
                warehouse,
                projectDir: project.dir,
                pipeline: pipeline.name,
                source,
                contract,
                target: source.dataset,
                runId: input.runId,
                ...(deps.env ? { env: deps.env } : {}),
                now: now(),
              });
            } catch (error) {
              throw sourceFailure(error);
            }
            const { extract, quality } = landed;
            if (!quality.passed) {
              throw gateFailure(`source ${source.name} (${source.dataset})`, source.dataset, quality);
            }
            return {
              source: source.name,
              dataset: source.dataset,
              rowsRead: extract.rowsRead,
              rowsWritten: extract.rowsWritten,
              rowsQuarantined: extract.rowsQuarantined + quality.rowsQuarantined,
              durationMs: extract.timings.totalMs,
            };
          },
          signal,
        ),
      );
    },

    async buildStep(input: StepBuildInput): Promise<StepBuildReport> {
      const project = await open(input.projectDir);
      const planned = input.restore ? undefined : plannedStep(project, input);
      return withHeartbeat((signal, setPhase) =>
        access.use(
          project,
          async (warehouse) => {
            const work = planned ? plannedWork(planned) : await restoreBuild(project, input, warehouse);
            const { step, contract, sql, materialized, gates, restoredFrom } = work;
            if (sql === undefined) throw changed(`the SQL of step "${step.name}" did not resolve`);
            const build = await engineBuildStep(warehouse, {
              runId: input.runId,
              step: engineStepId(input),
              dataset: step.produces,
              sql,
              materialized,
              contract,
              gates,
              now: now(),
            });
            if (build.status === 'failed') throw buildFailure(step, build);
            const built = toStepBuildReport({
              step: step.name,
              build,
              contract,
              graph: project.compiled.graph,
              policy: project.compiled.project.compatibility.review,
            });
            const report = restoredFrom === undefined ? built : { ...built, restoredFrom };
            if (!input.publishWhenCompatible || needsDecision(report)) return report;
            // One activity instead of two: nothing to wait for between the build and its publication.
            setPhase('publishing');
            return { ...report, published: await publishStaged(warehouse, input, work, null) };
          },
          signal,
        ),
      );
    },

    async publishStep(
      input: StepActivityInput & { decision: PublishDecision | null },
    ): Promise<PublishReport> {
      const project = await open(input.projectDir);
      const planned = input.restore ? undefined : plannedStep(project, input);
      return withHeartbeat((signal) =>
        access.use(
          project,
          async (warehouse) => {
            const work = planned ? plannedWork(planned) : await restoreBuild(project, input, warehouse);
            return publishStaged(warehouse, input, work, input.decision);
          },
          signal,
        ),
      );
    },

    async discardStep(input: StepActivityInput): Promise<void> {
      const project = await open(input.projectDir);
      const step = pipelineOf(project, input.pipeline).steps.find((s) => s.name === input.step);
      // A step that left the project left no staging relation this run could name: nothing to drop.
      if (!step) return;
      await withHeartbeat((signal) =>
        access.use(
          project,
          (warehouse) =>
            discardStaged(warehouse, {
              runId: input.runId,
              step: engineStepId(input),
              dataset: step.produces,
            }),
          signal,
        ),
      );
    },

    async emitLineage(input: LineageEmitInput): Promise<LineageEmitReport> {
      const project = await open(input.projectDir);
      const config = lineageOf(project);
      if (!config) return { events: 0, sent: 0, dropped: 0 };
      const { info } = Context.current();
      const events = lineageEvents({
        project,
        config,
        input,
        temporal: {
          ...(info.workflowNamespace ? { namespace: info.workflowNamespace } : {}),
          taskQueue: info.taskQueue,
        },
      });
      if (events.length === 0) return { events: 0, sent: 0, dropped: 0 };
      const transports = config.transports.map((transport) =>
        createTransport(transport, {
          projectDir: project.dir,
          env,
          ...(deps.stdout ? { stdout: deps.stdout } : {}),
        }),
      );
      const deliveries = await Promise.all(transports.map((transport) => transport.send(events)));
      const sent = deliveries.reduce((n, d) => n + d.delivered, 0);
      const dropped = deliveries.reduce((n, d) => n + d.failed, 0);
      const failures = deliveries.flatMap((d, i) =>
        d.reason ? [`${transports[i]?.name}: ${d.reason}`] : [],
      );
      if (dropped > 0 && info.attempt < LINEAGE_MAX_ATTEMPTS) {
        // Another attempt resends the batch (a transport that took it may see it twice).
        throw ApplicationFailure.retryable(failures.join('; '), 'LineageUndelivered');
      }
      return { events: events.length, sent, dropped, ...(failures[0] ? { reason: failures[0] } : {}) };
    },
  };
}

/** The engine's step id, as `runPipeline` names steps too: `pipeline/step`. */
/** A step as failures name it. */
interface FailedStep {
  readonly name: string;
  readonly produces: string;
}

/** The failure a failed build raises: its gates' (GateFailed), its contract's, or its SQL's. */
function buildFailure(
  step: FailedStep,
  build: Awaited<ReturnType<typeof engineBuildStep>>,
): ApplicationFailure {
  const where = `step ${step.name} (${step.produces})`;
  const message = `${where}: ${build.failure?.message ?? 'the build failed'}`;
  if (build.failure?.stage === 'quality' && build.quality)
    return gateFailure(where, step.produces, build.quality);
  if (build.failure?.stage === 'schema') {
    return ApplicationFailure.create({
      type: 'ContractViolation',
      nonRetryable: true,
      message,
      details: [{ step: step.name, dataset: step.produces, problems: build.schema?.problems ?? [] }],
    });
  }
  return ApplicationFailure.nonRetryable(message, 'StepSqlFailed');
}

/** A reviewer's decision as the engine records it with the publication it allowed. */
function approvalOf(
  decision: PublishDecision,
): NonNullable<Parameters<typeof enginePublishStep>[1]['approval']> {
  return {
    by: decision.by,
    decision: decision.kind,
    ...(decision.comment !== null ? { comment: decision.comment } : {}),
    ...(decision.signature
      ? {
          signature: {
            ...decision.signature,
            ...(decision.at ? { decidedAt: decision.at } : {}),
            ...(decision.via ? { via: decision.via } : {}),
          },
        }
      : {}),
  };
}

/** The failure a blocked publication raises: nothing staged, or a contract violation. */
function publishBlocked(
  step: FailedStep,
  report: Awaited<ReturnType<typeof enginePublishStep>>,
): ApplicationFailure {
  const message = `step ${step.name} (${step.produces}): ${report.reason ?? 'publication blocked'}`;
  if (report.blockedBy === 'nothing-staged') return ApplicationFailure.nonRetryable(message, 'NothingStaged');
  return ApplicationFailure.create({
    type: 'ContractViolation',
    nonRetryable: true,
    message,
    details: [{ step: step.name, dataset: step.produces, problems: report.problems ?? [] }],
  });
}

function engineStepId(input: StepActivityInput): string {
  return `${input.pipeline}/${input.step}`;
}

/** What a step's build and publication work on: the planned step, or a restore's version. */
type StepWork = ReturnType<typeof plannedWork> | Awaited<ReturnType<typeof restoreBuild>>;

function plannedWork({ step, contract }: ReturnType<typeof plannedStep>) {
  return {
    step,
    contract,
    sql: step.sql,
    materialized: step.materialized,
    gates: step.gates,
    uniqueKey: step.uniqueKey,
    restoredFrom: undefined as number | undefined,
  };
}

/** Publishes what the step staged (idempotent per run id), with the decision that allowed it. */
async function publishStaged(
  warehouse: Warehouse,
  input: StepActivityInput,
  { step, contract, materialized, uniqueKey, restoredFrom }: StepWork,
  decision: PublishDecision | null,
): Promise<PublishReport> {
  const report = await enginePublishStep(warehouse, {
    runId: input.runId,
    step: engineStepId(input),
    dataset: step.produces,
    materialized,
    contract,
    ...(uniqueKey ? { uniqueKey } : {}),
    ...(decision ? { approval: approvalOf(decision) } : {}),
  });
  if (report.status === 'blocked') throw publishBlocked(step, report);
  return {
    step: step.name,
    dataset: step.produces,
    published: report.status === 'published',
    version: report.contractVersion ?? contract.version,
    rowsWritten: report.rowsWritten,
    ...(restoredFrom !== undefined ? { restoredFrom } : {}),
  };
}

/**
 * A restore run's step: the producer of the dataset, reading the version's snapshot under the
 * contract published with it, replacing the dataset as a table (gates are the step's checks on its
 * own SQL, so the version's contract checks are the gate; the incremental merge key does not apply).
 */
async function restoreBuild(project: RunProject, input: StepActivityInput, warehouse: Warehouse) {
  const restore = input.restore;
  if (!restore) throw new Error('restoreBuild needs a restore request');
  const step = restoreStep(project, input.pipeline, restore);
  const source = await restoreSource(warehouse, restore);
  if (input.fingerprint !== undefined && restoreFingerprint(restore, source.version) !== input.fingerprint) {
    throw changed(`version ${restore.version} of ${restore.dataset} in the registry`);
  }
  return {
    step,
    contract: source.contract,
    sql: source.sql as string | undefined,
    materialized: 'table' as const,
    gates: [],
    uniqueKey: undefined,
    restoredFrom: restore.version,
  };
}

function plannedStep(project: RunProject, input: StepActivityInput) {
  const step = pipelineOf(project, input.pipeline).steps.find((s) => s.name === input.step);
  if (!step) throw changed(`step "${input.step}" is no longer in pipeline ${input.pipeline}`);
  const contract = contractOf(project, step.produces);
  if (input.fingerprint !== undefined && stepFingerprint(step, contract) !== input.fingerprint) {
    throw changed(`step "${step.name}" (its SQL, gates or contract ${step.produces}) changed`);
  }
  return { step, contract };
}

function changed(what: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `${what} since this run was planned; start a new run to use the new version`,
    'ProjectChanged',
  );
}

function gateFailure(where: string, dataset: string, quality: QualityReport): ApplicationFailure {
  const failing = quality.checks.filter((check) => check.blocking);
  return ApplicationFailure.create({
    type: 'QualityGateFailed',
    nonRetryable: true,
    message: `${where}: quality gate failed: ${failing.map((check) => `${check.id} (${check.observed}; expected ${check.expected})`).join(', ')}`,
    details: [
      {
        dataset,
        summary: quality.summary,
        checks: quality.checks.map(toCheckSummary),
        samples: Object.fromEntries(failing.map((check) => [check.id, check.samples.slice(0, 3)])),
      },
    ],
  });
}

function sourceFailure(error: unknown): unknown {
  if (!(error instanceof ExtractError)) return error;
  return ApplicationFailure.create({
    type: error.retryable ? 'SourceUnavailable' : 'SourceInvalid',
    nonRetryable: !error.retryable,
    message: `${error.code} ${error.message}`,
    details: [error.toIssue()],
  });
}
