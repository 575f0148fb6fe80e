// The events pipectl writes, judged by openlineage-python's models: the static lineage of the
// shipped projects and every kind of run event (pipeline, step, gate; START to ABORT). A broken
// event fails the same judge, so a pass means something.
import { fileURLToPath } from 'node:url';
import { type CompileResult, compileProject, loadProject } from '@pipectl/compiler';
import { beforeAll, describe, expect, test } from 'vitest';
import { judgeEvents } from '../../../test-support/openlineage-judge.js';
import { pythonToolsSkipReason } from '../../../test-support/python-tools.js';
import type { LineageContext } from '../src/facets/dataset-facets.js';
import {
  type EventType,
  gateRunEvents,
  pipelineRunEvent,
  type RunEvent,
  staticJobEvents,
  stepRunEvent,
} from '../src/index.js';

const skip = pythonToolsSkipReason();
const PROJECTS = ['../../../', '../../../examples/task-analytics/'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);
const temporal = {
  workflowId: 'pipectl/shop/orders_daily/2026-12-01',
  runId: '0191d6a2-7a3b-7c1e-9f00-5b2a1c3d4e5f',
  namespace: 'default',
  taskQueue: 'pipectl-shop',
};

let compiled: CompileResult[];
beforeAll(async () => {
  compiled = await Promise.all(
    PROJECTS.map(async (dir) => {
      const loaded = await loadProject(dir);
      const result = await compileProject(loaded);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      return { ...result, contracts: loaded.contracts };
    }),
  );
});

function contextOf(result: CompileResult & { contracts?: { value: unknown }[] }): LineageContext {
  return {
    namespace: result.project.name,
    datasetNamespace: `duckdb://${result.project.name}`,
    datasets: new Map(result.plan.datasets.map((d) => [d.name, d])),
    docs: new Map(
      (result.contracts ?? []).map((c) => {
        const value = c.value as { name: string; description?: string; columns: { name: string }[] };
        return [value.name, value];
      }),
    ),
  };
}

function runEventsOf(result: CompileResult): RunEvent[] {
  const context = contextOf(result);
  const events: RunEvent[] = [];
  const types: EventType[] = ['START', 'RUNNING', 'COMPLETE', 'FAIL', 'ABORT'];
  for (const pipeline of result.plan.pipelines) {
    const base = {
      context,
      pipeline,
      temporal,
      logicalDate: '2026-12-01',
      eventTime: '2026-12-01T06:00:00.000Z',
    };
    for (const eventType of types) {
      const error =
        eventType === 'FAIL' || eventType === 'ABORT' ? 'the change was rejected by ana' : undefined;
      events.push(pipelineRunEvent({ ...base, eventType, ...(error ? { error } : {}) }));
      for (const step of pipeline.steps)
        events.push(stepRunEvent({ ...base, step, eventType, ...(error ? { error } : {}) }));
    }
    for (const step of pipeline.steps) {
      events.push(
        ...gateRunEvents({
          ...base,
          step,
          startTime: '2026-12-01T06:00:01.000Z',
          blocked: true,
          assertions: [
            {
              assertion: 'not_null',
              name: 'not_null_id',
              column: 'id',
              severity: 'error',
              success: true,
              expected: '0 failing rows',
              actual: '0',
            },
            {
              assertion: 'row_count',
              name: 'row_count',
              severity: 'warn',
              success: false,
              expected: '>= 10',
              actual: '3',
            },
          ],
        }),
      );
    }
  }
  return events;
}

describe('the events pipectl builds', () => {
  test('a step event reads its inputs and writes its output with column lineage, under its pipeline run', () => {
    const result = compiled[1] as CompileResult;
    const pipeline = result.plan.pipelines.find((p) => p.steps.some((s) => s.reads.length > 0));
    const step = pipeline?.steps.find((s) => s.lineage.some((c) => c.from.length > 0));
    if (!pipeline || !step) throw new Error('the example has no step with column lineage');
    const event = stepRunEvent({
      context: contextOf(result),
      pipeline,
      step,
      temporal,
      logicalDate: '2026-12-01',
      eventType: 'COMPLETE',
      eventTime: '2026-12-01T06:00:00.000Z',
    });
    expect(event.job.name).toBe(`${pipeline.name}.${step.name}`);
    expect(event.inputs.map((i) => i.name)).toEqual(step.reads.map((r) => r.dataset));
    const output = event.outputs[0];
    expect(output?.name).toBe(step.produces);
    const lineage = output?.facets.columnLineage?.fields ?? {};
    const traced = step.lineage.filter((c) => c.from.length > 0);
    expect(Object.keys(lineage).sort()).toEqual(traced.map((c) => c.column).sort());
    expect(event.run.facets.parent?.run.runId).toBe(temporal.runId);
    expect(event.run.facets.pipectl_temporal?.workflowId).toBe(temporal.workflowId);
    expect(event.run.runId).not.toBe(temporal.runId);
  });
});

describe.skipIf(skip !== undefined)(
  `OpenLineage events judged by openlineage-python's models${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    test('the static lineage of every shipped project: one job event per step, each accepted', async () => {
      for (const result of compiled) {
        const events = staticJobEvents(contextOf(result), result.plan.pipelines, '2026-12-01T06:00:00.000Z');
        expect(events).toHaveLength(result.plan.pipelines.reduce((n, p) => n + p.steps.length, 0));
        const verdicts = await judgeEvents(events);
        expect(verdicts.filter((v) => !v.ok)).toEqual([]);
      }
    });

    test('every run event (pipeline, step, gate; START, RUNNING, COMPLETE, FAIL, ABORT) is accepted', async () => {
      const events = compiled.flatMap(runEventsOf);
      expect(events.length).toBeGreaterThan(20);
      const verdicts = await judgeEvents(events);
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    });

    test('a broken event is refused by the same judge', async () => {
      const [good] = runEventsOf(compiled[1] as CompileResult);
      const event = good as RunEvent;
      const broken = [
        { ...event, run: { ...event.run, runId: 'not-a-uuid' } },
        { ...event, eventType: 'DONE' },
        {
          ...event,
          job: {
            ...event.job,
            facets: {
              ...event.job.facets,
              jobType: {
                ...event.job.facets.jobType,
                _schemaURL: 'https://openlineage.io/spec/facets/9-9-9/JobTypeJobFacet.json',
              },
            },
          },
        },
        {
          ...event,
          run: {
            ...event.run,
            facets: { ...event.run.facets, made_up: { _producer: 'x', _schemaURL: 'y' } },
          },
        },
        { ...event, eventTime: 'yesterday' },
      ];
      const verdicts = await judgeEvents(broken);
      expect(verdicts.map((v) => v.ok)).toEqual([false, false, false, false, false]);
    });
  },
);
