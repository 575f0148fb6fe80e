// OpenLineage events of a real run on the dev server, received by a real HTTP server (node:http on
// port 0) as an OpenLineage API would, and by a file; judged by openlineage-python's models. An API
// that is down costs the run nothing: it succeeds, and the dropped deliveries are counted.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { judgeEvents } from '../../../test-support/openlineage-judge.js';
import { pythonToolsSkipReason } from '../../../test-support/python-tools.js';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { decide } from '../src/client/decide.js';
import { getStatus } from '../src/client/run-status.js';
import { startRun } from '../src/client/start-run.js';
import { editFile } from './support/project-copy.js';
import {
  applyOverlay,
  copyProject,
  eventually,
  publishDirectly,
  startWorker,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { connectTestEnv } from './support/test-env.js';

interface Received {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly event: OlEvent;
}

interface OlEvent {
  readonly eventType: string;
  readonly job: { readonly namespace: string; readonly name: string };
  readonly run: {
    readonly runId: string;
    readonly facets: {
      readonly parent?: { readonly run: { readonly runId: string }; readonly job: { readonly name: string } };
      readonly pipectl_temporal?: { readonly workflowId: string; readonly runId: string };
    };
  };
  readonly inputs: readonly {
    readonly name: string;
    readonly inputFacets?: { readonly dataQualityAssertions?: { readonly assertions: readonly unknown[] } };
  }[];
  readonly outputs: readonly {
    readonly name: string;
    readonly facets: { readonly columnLineage?: unknown };
  }[];
}

const TOKEN_VARIABLE = 'PIPECTL_TEST_OPENLINEAGE_TOKEN';

/** A stand-in OpenLineage API: records every POSTed event, answers 201 like Marquez. */
async function lineageServer(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        authorization: request.headers.authorization,
        event: JSON.parse(body) as OlEvent,
      });
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A port nothing listens on: a server opened and closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('OpenLineage events of a run', () => {
  let env: TestWorkflowEnvironment;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function startWithLineage(
    openlineage: string,
    options: { breaking?: boolean; edit?: (dir: string) => void } = {},
  ) {
    const project = copyProject();
    cleanups.push(project.remove);
    options.edit?.(project.dir);
    const warehouses = createWarehousePool({ idleCloseMs: 200 });
    if (options.breaking) {
      await publishDirectly(warehouses, project.dir, 'shop', 'seed-v1');
      applyOverlay(project.dir, 'shop-v2');
    }
    appendFileSync(join(project.dir, 'pipectl.yaml'), openlineage);
    const taskQueue = uniqueTaskQueue('openlineage');
    const worker = await startWorker(env, { projectDir: project.dir, taskQueue, warehouses });
    cleanups.push(() => worker.stop());
    const started = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: project.dir,
      pipeline: 'shop',
      logicalDate: uniqueDate(),
      taskQueue,
    });
    return { dir: project.dir, started };
  }

  async function runWithLineage(openlineage: string) {
    const { dir, started } = await startWithLineage(openlineage);
    const result = await within(started.handle.result(), 'the run to finish');
    const temporalRunId = (await started.handle.describe()).runId;
    return { dir, started, result, temporalRunId };
  }

  it('sends START, gate results and COMPLETE of the pipeline and each step to the API and the file, with a bearer token', async () => {
    const api = await lineageServer();
    cleanups.push(api.close);
    process.env[TOKEN_VARIABLE] = 'test-token';
    cleanups.push(() => delete process.env[TOKEN_VARIABLE]);

    const { dir, started, result, temporalRunId } = await runWithLineage(`
openlineage:
  namespace: shop-tests
  transports:
    - type: http
      url: ${api.url}
      apiKeyEnv: ${TOKEN_VARIABLE}
    - type: file
      path: .pipectl/lineage.ndjson
`);
    expect(result.status).toBe('succeeded');
    const events = api.received.map((r) => r.event);
    const steps = result.view.steps.map((s) => s.name);
    // The pipeline: START and COMPLETE; each step: START, COMPLETE; each gate: START, COMPLETE.
    expect(events).toHaveLength(2 + steps.length * 4);
    expect(new Set(api.received.map((r) => r.path))).toEqual(new Set(['/api/v1/lineage']));
    expect(new Set(api.received.map((r) => r.authorization))).toEqual(new Set(['Bearer test-token']));
    expect(result.view.lineage).toEqual({ sent: events.length * 2, dropped: 0 });

    const kinds = events.map((e) => `${e.job.name} ${e.eventType}`);
    expect(kinds[0]).toBe('shop START');
    expect(kinds.at(-1)).toBe('shop COMPLETE');
    for (const step of steps) {
      const job = `shop.${step}`;
      expect(kinds.filter((k) => k.startsWith(`${job} `))).toEqual([`${job} START`, `${job} COMPLETE`]);
      expect(kinds.filter((k) => k.startsWith(`${job}.gates `))).toEqual([
        `${job}.gates START`,
        `${job}.gates COMPLETE`,
      ]);
    }

    // The pipeline's run id is the Temporal run's; every step names it as its parent.
    const pipelineRun = events.find((e) => e.job.name === 'shop');
    expect(pipelineRun?.run.runId).toBe(temporalRunId);
    expect(pipelineRun?.run.facets.pipectl_temporal).toMatchObject({
      workflowId: started.runId,
      runId: temporalRunId,
    });
    const stepEvent = events.find((e) => e.job.name === 'shop.daily_revenue' && e.eventType === 'COMPLETE');
    expect(stepEvent?.job.namespace).toBe('shop-tests');
    expect(stepEvent?.run.facets.parent).toMatchObject({
      run: { runId: temporalRunId },
      job: { name: 'shop' },
    });
    expect(stepEvent?.inputs.map((i) => i.name)).toEqual(['stg.orders']);
    expect(stepEvent?.outputs[0]?.facets.columnLineage).toBeDefined();
    const gate = events.find((e) => e.job.name === 'shop.stg_orders.gates' && e.eventType === 'COMPLETE');
    expect(gate?.inputs[0]?.name).toBe('stg.orders');
    expect(gate?.inputs[0]?.inputFacets?.dataQualityAssertions?.assertions.length).toBeGreaterThan(0);

    // The file holds the same events, one a line.
    const lines = readFileSync(join(dir, '.pipectl', 'lineage.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(expect.arrayContaining(events));
    expect(lines).toHaveLength(events.length);

    const status = await getStatus(env.client, started.runId);
    expect(status.view?.lineage).toEqual({ sent: events.length * 2, dropped: 0 });

    if (pythonToolsSkipReason() === undefined) {
      const verdicts = await judgeEvents(events);
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    }
  });

  it('a lineage API that is down neither fails nor holds the run: the dropped events are counted', async () => {
    const port = await closedPort();
    const { result, started } = await runWithLineage(`
openlineage:
  transports:
    - type: http
      url: http://127.0.0.1:${port}
`);
    expect(result.status).toBe('succeeded');
    expect(result.published).toHaveLength(3);
    const steps = result.view.steps.length;
    expect(result.view.lineage).toMatchObject({ sent: 0, dropped: 2 + steps * 4 });
    expect(result.view.lineage?.lastError).toContain(`127.0.0.1:${port}`);
    const status = await getStatus(env.client, started.runId);
    expect(status.view?.lineage?.dropped).toBe(2 + steps * 4);
  });

  it("a gate that blocks its step sends the gate's FAIL with the failing assertion, then the step's and the pipeline's FAIL", async () => {
    const api = await lineageServer();
    cleanups.push(api.close);
    const { started } = await startWithLineage(
      `
openlineage:
  transports:
    - type: http
      url: ${api.url}
`,
      { edit: (dir) => editFile(dir, 'pipelines/shop.pipeline.yaml', 'min: 1', 'min: 100') },
    );
    await within(
      started.handle.result().catch(() => undefined),
      'the run whose gate fails to end',
    );
    await eventually(
      () =>
        api.received.some((r) => r.event.job.name === 'shop' && r.event.eventType === 'FAIL')
          ? true
          : undefined,
      "the pipeline's FAIL event",
    );
    const kinds = api.received.map((r) => `${r.event.job.name} ${r.event.eventType}`);
    const gate = api.received.find(
      (r) => r.event.job.name.endsWith('.gates') && r.event.eventType === 'FAIL',
    );
    expect(gate, `a gate FAIL among: ${kinds.join(', ')}`).toBeDefined();
    const step = gate?.event.job.name.replace(/\.gates$/, '') ?? '';
    expect(kinds.filter((k) => k.startsWith(`${step} `))).toEqual([`${step} START`, `${step} FAIL`]);
    expect(kinds.at(-1)).toBe('shop FAIL');
    const assertions = JSON.stringify(gate?.event.inputs);
    expect(assertions).toContain('"success":false');
    if (pythonToolsSkipReason() === undefined) {
      const verdicts = await judgeEvents(api.received.map((r) => r.event));
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    }
  });

  it('a step waiting for approval is RUNNING; a rejected change is ABORT, for the step and the pipeline', async () => {
    const api = await lineageServer();
    cleanups.push(api.close);
    const { started } = await startWithLineage(
      `
openlineage:
  transports:
    - type: http
      url: ${api.url}
`,
      { breaking: true },
    );
    await eventually(
      () =>
        api.received.some((r) => r.event.job.name === 'shop.daily_revenue' && r.event.eventType === 'RUNNING')
          ? true
          : undefined,
      'a RUNNING event of the waiting step',
    );
    await decide(env.client, started.runId, 'reject', { by: 'alice', comment: 'finance still reads it' });
    await within(
      started.handle.result().catch(() => undefined),
      'the rejected run to end',
    );
    const kinds = api.received.map((r) => `${r.event.job.name} ${r.event.eventType}`);
    expect(kinds.filter((k) => k.startsWith('shop.daily_revenue '))).toEqual([
      'shop.daily_revenue START',
      'shop.daily_revenue RUNNING',
      'shop.daily_revenue ABORT',
    ]);
    expect(kinds.at(-1)).toBe('shop ABORT');
    const abort = api.received.find(
      (r) => r.event.job.name === 'shop.daily_revenue' && r.event.eventType === 'ABORT',
    );
    expect(JSON.stringify(abort?.event.run.facets)).toContain('rejected by alice');
    if (pythonToolsSkipReason() === undefined) {
      const verdicts = await judgeEvents(api.received.map((r) => r.event));
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    }
  });
});
