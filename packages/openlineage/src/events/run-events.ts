// The run events of a pipeline run: one OpenLineage job per pipeline (the parent), one per step
// (job `<pipeline>.<step>`), and one per step's quality gate (job `<pipeline>.<step>.gates`, whose
// input is the step's output carrying `dataQualityAssertions`, the spec's place for test results).
// Run ids: the pipeline run's is the Temporal run id; a step's and a gate's derive from it
// (run-uuid.ts); the `pipectl_temporal` run facet names the workflow behind each.
import type { PipelinePlan, StepPlan } from '@pipectl/compiler';
import { columnLineageFacet, datasetFacets, type LineageContext } from '../facets/dataset-facets.js';
import {
  type Assertion,
  type EventType,
  facet,
  type Job,
  type JobEvent,
  PRODUCER,
  type RunEvent,
  type RunFacets,
  SCHEMA_URLS,
} from '../model/openlineage-event.js';
import { jobRunUuid, pipelineRunUuid } from './run-uuid.js';

/** The Temporal run an OpenLineage run belongs to. */
export interface TemporalRun {
  readonly workflowId: string;
  readonly runId: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
}

export interface RunEventBase {
  readonly context: LineageContext;
  readonly pipeline: PipelinePlan;
  readonly temporal: TemporalRun;
  readonly logicalDate: string;
  readonly eventType: EventType;
  readonly eventTime: string;
  /** Why the run failed or was aborted (FAIL, ABORT). */
  readonly error?: string;
}

/** The job name of a step (`orders_daily.daily_revenue`) and of its gate (`….gates`). */
export function stepJobName(pipeline: string, step: string): string {
  return `${pipeline}.${step}`;
}

/** The parent job's event: the pipeline run as a whole. */
export function pipelineRunEvent(input: RunEventBase): RunEvent {
  return runEvent(input, {
    job: pipelineJob(input.context, input.pipeline),
    runId: pipelineRunUuid(input.temporal.runId),
    facets: runFacets(input, undefined),
    inputs: [],
    outputs: [],
  });
}

/** A step's event: reads its inputs, writes its output with the output's column lineage. */
export function stepRunEvent(input: RunEventBase & { readonly step: StepPlan }): RunEvent {
  const { context, pipeline, step } = input;
  const job = stepJob(context, pipeline, step);
  return runEvent(input, {
    job,
    runId: jobRunUuid(input.temporal.runId, job.name),
    facets: runFacets(input, step.name),
    ...stepDatasets(context, step),
  });
}

/**
 * A step's quality gate, run inside the step: its input is the step's staged output, carrying each
 * check with its result. START, then COMPLETE (no blocking failure) or FAIL.
 */
export function gateRunEvents(
  input: Omit<RunEventBase, 'eventType'> & {
    readonly step: StepPlan;
    readonly startTime: string;
    readonly assertions: readonly Assertion[];
    /** A check failed at severity error: nothing was published. */
    readonly blocked: boolean;
  },
): RunEvent[] {
  const { context, pipeline, step } = input;
  const parent = stepJob(context, pipeline, step);
  const job: Job = {
    namespace: context.namespace,
    name: `${parent.name}.gates`,
    facets: {
      jobType: {
        ...facet(SCHEMA_URLS.jobType),
        processingType: 'BATCH',
        integration: 'PIPECTL',
        jobType: 'QUALITY_GATE',
      },
    },
  };
  const runId = jobRunUuid(input.temporal.runId, job.name);
  const facets: RunFacets = {
    ...runFacets({ ...input, eventType: 'START' }, step.name),
    parent: {
      ...facet(SCHEMA_URLS.parent),
      run: { runId: jobRunUuid(input.temporal.runId, parent.name) },
      job: { namespace: parent.namespace, name: parent.name },
      root: {
        run: { runId: pipelineRunUuid(input.temporal.runId) },
        job: { namespace: context.namespace, name: input.pipeline.name },
      },
    },
  };
  const checked = {
    namespace: context.datasetNamespace,
    name: step.produces,
    facets: datasetFacets(context, step.produces),
    inputFacets: {
      dataQualityAssertions: {
        ...facet(SCHEMA_URLS.dataQualityAssertions),
        assertions: [...input.assertions],
      },
    },
  };
  const common = { job, runId, inputs: [checked], outputs: [] };
  const end: EventType = input.blocked ? 'FAIL' : 'COMPLETE';
  const failure = input.blocked
    ? {
        errorMessage: {
          ...facet(SCHEMA_URLS.errorMessage),
          message: `a check of ${step.produces} failed at severity error`,
          programmingLanguage: 'SQL',
        },
      }
    : {};
  return [
    runEvent({ ...input, eventType: 'START', eventTime: input.startTime }, { ...common, facets }),
    runEvent({ ...input, eventType: end }, { ...common, facets: { ...facets, ...failure } }),
  ];
}

/**
 * The static lineage of every step of every pipeline, as OpenLineage job events (no run): what a
 * lineage tool shows before anything ran. One event per step, in plan order.
 */
export function staticJobEvents(
  context: LineageContext,
  pipelines: readonly PipelinePlan[],
  eventTime: string,
): JobEvent[] {
  return pipelines.flatMap((pipeline) =>
    pipeline.steps.map((step) => ({
      eventTime,
      job: stepJob(context, pipeline, step),
      ...stepDatasets(context, step),
      producer: PRODUCER,
      schemaURL: SCHEMA_URLS.jobEvent,
    })),
  );
}

function stepDatasets(context: LineageContext, step: StepPlan): Pick<RunEvent, 'inputs' | 'outputs'> {
  return {
    inputs: step.reads.map((read) => ({
      namespace: context.datasetNamespace,
      name: read.dataset,
      facets: datasetFacets(context, read.dataset),
    })),
    outputs: [
      {
        namespace: context.datasetNamespace,
        name: step.produces,
        facets: {
          ...datasetFacets(context, step.produces),
          columnLineage: columnLineageFacet(context, step),
        },
      },
    ],
  };
}

function pipelineJob(context: LineageContext, pipeline: PipelinePlan): Job {
  return {
    namespace: context.namespace,
    name: pipeline.name,
    facets: {
      jobType: {
        ...facet(SCHEMA_URLS.jobType),
        processingType: 'BATCH',
        integration: 'PIPECTL',
        jobType: 'PIPELINE',
      },
      ...(pipeline.description
        ? {
            documentation: {
              ...facet(SCHEMA_URLS.jobDocumentation),
              description: pipeline.description,
              contentType: 'text/markdown',
            },
          }
        : {}),
    },
  };
}

function stepJob(context: LineageContext, pipeline: PipelinePlan, step: StepPlan): Job {
  return {
    namespace: context.namespace,
    name: stepJobName(pipeline.name, step.name),
    facets: {
      jobType: {
        ...facet(SCHEMA_URLS.jobType),
        processingType: 'BATCH',
        integration: 'PIPECTL',
        jobType: 'STEP',
      },
      ...(step.sql ? { sql: { ...facet(SCHEMA_URLS.sql), query: step.sql, dialect: 'duckdb' } } : {}),
      ...(step.description
        ? {
            documentation: {
              ...facet(SCHEMA_URLS.jobDocumentation),
              description: step.description,
              contentType: 'text/markdown',
            },
          }
        : {}),
    },
  };
}

/** Run facets: nominal time (the logical date), the Temporal run, the parent, and any error. */
function runFacets(input: RunEventBase, step: string | undefined): RunFacets {
  const { temporal, context, pipeline } = input;
  return {
    nominalTime: { ...facet(SCHEMA_URLS.nominalTime), nominalStartTime: `${input.logicalDate}T00:00:00Z` },
    pipectl_temporal: {
      ...facet(SCHEMA_URLS.pipectlTemporal),
      workflowId: temporal.workflowId,
      runId: temporal.runId,
      ...(temporal.namespace ? { namespace: temporal.namespace } : {}),
      ...(temporal.taskQueue ? { taskQueue: temporal.taskQueue } : {}),
      pipeline: pipeline.name,
      ...(step ? { step } : {}),
      logicalDate: input.logicalDate,
    },
    ...(step
      ? {
          parent: {
            ...facet(SCHEMA_URLS.parent),
            run: { runId: pipelineRunUuid(temporal.runId) },
            job: { namespace: context.namespace, name: pipeline.name },
          },
        }
      : {}),
    ...(input.error !== undefined && (input.eventType === 'FAIL' || input.eventType === 'ABORT')
      ? {
          errorMessage: {
            ...facet(SCHEMA_URLS.errorMessage),
            message: input.error,
            programmingLanguage: 'SQL',
          },
        }
      : {}),
  };
}

function runEvent(
  input: Pick<RunEventBase, 'eventType' | 'eventTime'>,
  parts: Pick<RunEvent, 'job' | 'inputs' | 'outputs'> & { runId: string; facets: RunFacets },
): RunEvent {
  return {
    eventType: input.eventType,
    eventTime: input.eventTime,
    run: { runId: parts.runId, facets: parts.facets },
    job: parts.job,
    inputs: parts.inputs,
    outputs: parts.outputs,
    producer: PRODUCER,
    schemaURL: SCHEMA_URLS.runEvent,
  };
}
