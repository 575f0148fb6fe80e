// The OpenLineage events of a run's moments (LineageNotice, sent by the workflow), built by
// @pipectl/openlineage from the compiled project the worker holds. A gate's checks become
// `dataQualityAssertions`: each check's kind, column, severity, expected and observed values.
import { type CheckSpec, deriveChecks, kindOf } from '@pipectl/engine';
import {
  type Assertion,
  gateRunEvents,
  type LineageEvent,
  lineageContext,
  pipelineRunEvent,
  type RunEventBase,
  stepRunEvent,
  type TemporalRun,
} from '@pipectl/openlineage';
import type { OpenLineageConfig } from '@pipectl/spec';
import type { CheckSummary, LineageEmitInput } from '../../workflows/run-types.js';
import { pipelineOf, type RunProject } from '../run-project.js';

export function lineageEvents(args: {
  readonly project: RunProject;
  readonly config: OpenLineageConfig;
  readonly input: LineageEmitInput;
  readonly temporal: Pick<TemporalRun, 'namespace' | 'taskQueue'>;
}): LineageEvent[] {
  const { project, config, input } = args;
  const pipeline = pipelineOf(project, input.pipeline);
  const context = lineageContext({
    project: project.compiled.project,
    datasets: project.compiled.plan.datasets,
    contracts: [...project.contracts.values()],
    namespace: config.namespace,
    datasetNamespace: config.datasetNamespace,
  });
  const temporal: TemporalRun = {
    workflowId: input.workflowId,
    runId: input.temporalRunId,
    ...args.temporal,
  };
  return input.notices.flatMap((notice): LineageEvent[] => {
    const base: RunEventBase = {
      context,
      pipeline,
      temporal,
      logicalDate: input.logicalDate,
      eventType: notice.eventType,
      eventTime: notice.at,
      ...(notice.error !== undefined ? { error: notice.error } : {}),
    };
    if (notice.job === 'pipeline') return [pipelineRunEvent(base)];
    const step = pipeline.steps.find((s) => s.name === notice.step);
    // A step no longer in the project (it changed during the run): nothing to describe it with.
    if (!step) return [];
    if (notice.job === 'step') return [stepRunEvent({ ...base, step })];
    const checks = notice.checks ?? [];
    const specs = new Map(
      deriveChecks(project.contracts.get(step.produces), step.gates).map((spec) => [spec.id, spec]),
    );
    return gateRunEvents({
      ...base,
      step,
      startTime: notice.startedAt ?? notice.at,
      assertions: checks.map((check) => assertionOf(check, specs.get(check.id))),
      blocked: checks.some((check) => check.blocking),
    });
  });
}

function assertionOf(check: CheckSummary, spec: CheckSpec | undefined): Assertion {
  const kind = spec ? kindOf(spec.rule) : undefined;
  const columns = spec && kind ? kind.columns(spec.rule) : [];
  return {
    assertion: spec?.rule.check ?? check.id,
    success: check.passed,
    ...(columns.length === 1 ? { column: columns[0] as string } : {}),
    severity: check.severity,
    name: check.id,
    ...(spec && kind ? { description: kind.describe(spec.rule) } : {}),
    expected: check.expected,
    actual: check.observed,
  };
}
