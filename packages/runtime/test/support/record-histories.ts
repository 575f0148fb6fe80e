// Records the event histories of real pipeline runs into test/fixtures/histories/*.json, for the
// replay test (test/replay.test.ts) that guards running workflows against incompatible changes.
//   cd packages/runtime && node --conditions=@pipectl/source --import tsx test/support/record-histories.ts [scenario...]
// (scenario names record only those; none records all).
// Starts its own dev server (the repo-built binary), runs each scenario with a real worker on a
// copy of the fixture project, and writes one file per scenario. Re-record only when the workflow
// gained behaviour on purpose (and keep the old files that running workflows still replay).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, NativeConnection, Runtime, type WorkerInterceptors } from '@temporalio/worker';
import { createRunActivities } from '../../src/activities/create-run-activities.js';
import { createWarehousePool, type WarehousePool } from '../../src/activities/warehouse-pool.js';
import { decide, signalDecision } from '../../src/client/decide.js';
import { queryStatus } from '../../src/client/run-status.js';
import { startRun } from '../../src/client/start-run.js';
import { startDevServer } from '../../src/dev-server/start-dev-server.js';
import { findTemporalBinary } from '../../src/dev-server/temporal-binary.js';
import { createPipectlWorker } from '../../src/worker/create-worker.js';
import { prebundleWorkflows } from '../../src/worker/workflow-bundle.js';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/run-definitions.js';
import type { PendingApproval } from '../../src/workflows/run-types.js';
import { failFirstLocalBuild } from './inject-faults.js';
import { applyOverlay, copyProject, editFile, type Overlay, uniqueTaskQueue } from './project-copy.js';

const OUT = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

interface Scenario {
  readonly name: string;
  /** The warehouse first holds v1 (so v2 is a breaking change), then these overlays apply. */
  readonly breaking?: readonly Overlay[];
  readonly edit?: readonly [file: string, from: string, to: string];
  /** What happens once the run waits for an approval. */
  readonly decide?: (client: Client, runId: string) => Promise<void>;
  /** Worker interceptors (a scenario that injects an activity failure). */
  readonly interceptors?: () => WorkerInterceptors;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'published' },
  { name: 'quality-gate-failed', edit: ['pipelines/shop.pipeline.yaml', 'min: 1', 'min: 100'] },
  {
    name: 'approved-by-update',
    breaking: [],
    decide: async (client, runId) => {
      await decide(client, runId, 'approve', { by: 'mallory' }).catch(() => undefined);
      await decide(client, runId, 'approve', { by: 'alice', comment: 'consumers migrated' });
    },
  },
  {
    name: 'rejected-by-signal',
    breaking: [],
    decide: async (client, runId) => {
      await signalDecision(client, runId, 'reject', { by: 'mallory' });
      await signalDecision(client, runId, 'reject', { by: 'alice', comment: 'finance still reads it' });
    },
  },
  {
    // Two steps wait at once; decisions name their step and fingerprint; malformed and unnamed ones are refused.
    name: 'two-approvals-in-parallel',
    breaking: ['two-breaking'],
    decide: async (client, runId) => {
      const waiting = await waitForApproval(client, runId, 2);
      const fingerprint = (step: string) => waiting.find((p) => p.step === step)?.fingerprint ?? '';
      await signalDecision(client, runId, 'approve', { by: 'alice', comment: { x: 1 } } as never);
      await signalDecision(client, runId, 'approve', { by: 'alice' });
      await decide(client, runId, 'approve', {
        by: 'alice',
        step: 'daily_revenue',
        fingerprint: fingerprint('daily_revenue'),
      });
      await signalDecision(client, runId, 'reject', {
        by: 'alice',
        comment: 'spent is still read',
        step: 'customer_totals',
        fingerprint: fingerprint('customer_totals'),
      });
    },
  },
  { name: 'approval-timeout-fail', breaking: ['approval-fail'] },
  { name: 'approval-timeout-reject', breaking: ['approval-reject'] },
  // Since 'build-publishes-compatible': a step whose change needs no decision is built and
  // published by one activity; a breaking one is built, waits, and is published by a second.
  { name: 'published-one-activity-per-step' },
  {
    name: 'approved-one-activity-per-compatible-step',
    breaking: [],
    decide: async (client, runId) => {
      await decide(client, runId, 'approve', { by: 'alice', comment: 'consumers migrated' });
    },
  },
  // Since plans say `localSteps` (the embedded file): each step's first attempt is a local
  // activity (a marker in the history); one that failed and may be retried goes on as an
  // ordinary activity with the id `after-local-attempt/<activity>/<step>`.
  { name: 'published-local-steps' },
  {
    name: 'approved-local-steps',
    breaking: [],
    decide: async (client, runId) => {
      await decide(client, runId, 'approve', { by: 'alice', comment: 'consumers migrated' });
    },
  },
  { name: 'retried-after-local-attempt', interceptors: () => failFirstLocalBuild() },
];

async function seedV1(pool: WarehousePool, dir: string): Promise<void> {
  const activities = createRunActivities({ warehouses: pool });
  const plan = await activities.planRun({ projectDir: dir, pipeline: 'shop' });
  const common = { projectDir: dir, pipeline: 'shop', runId: 'seed-v1', logicalDate: '2000-01-01' };
  for (const source of plan.sources) await activities.extractSource({ ...common, source: source.name });
  for (const step of plan.steps) {
    await activities.buildStep({ ...common, step: step.name });
    await activities.publishStep({ ...common, step: step.name, decision: null });
  }
}

/** Waits until `count` steps wait for a decision; returns them. */
async function waitForApproval(
  client: Client,
  runId: string,
  count = 1,
): Promise<readonly PendingApproval[]> {
  for (;;) {
    const view = await queryStatus(client, runId, 5_000);
    const waiting = view?.awaiting ?? (view?.pending ? [view.pending] : []);
    if (waiting.length >= count) return waiting;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({ binary: findTemporalBinary(), searchAttributes: SEARCH_ATTRIBUTES });
  const { codePath } = await prebundleWorkflows({
    cacheDir: fileURLToPath(new URL('../../.pipectl/cache', import.meta.url)),
  });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection });
  mkdirSync(OUT, { recursive: true });
  try {
    const only = process.argv.slice(2);
    for (const [index, scenario] of SCENARIOS.entries()) {
      if (only.length > 0 && !only.includes(scenario.name)) continue;
      const project = copyProject();
      const pool = createWarehousePool({ idleCloseMs: 100 });
      try {
        if (scenario.breaking) {
          await seedV1(pool, project.dir);
          for (const overlay of ['shop-v2' as const, ...scenario.breaking])
            applyOverlay(project.dir, overlay);
        }
        if (scenario.edit) editFile(project.dir, ...scenario.edit);
        const taskQueue = uniqueTaskQueue(scenario.name);
        const worker = await createPipectlWorker({
          connection: nativeConnection,
          taskQueue,
          projectDir: project.dir,
          workflowBundle: { codePath },
          warehouses: pool,
          ...(scenario.interceptors ? { workerOptions: { interceptors: scenario.interceptors() } } : {}),
        });
        const handle: WorkflowHandle = await worker.runUntil(
          (async () => {
            const { handle } = await startRun(client, {
              project: 'runtime-shop',
              projectDir: project.dir,
              pipeline: 'shop',
              logicalDate: `2026-01-${String(index + 1).padStart(2, '0')}`,
              taskQueue,
            });
            if (scenario.decide) {
              await waitForApproval(client, handle.workflowId);
              await scenario.decide(client, handle.workflowId);
            }
            await handle.result().catch(() => undefined);
            return handle;
          })(),
        );
        const file = join(OUT, `${scenario.name}.json`);
        writeFileSync(file, `${historyToJSON(await handle.fetchHistory())}\n`);
        process.stdout.write(`recorded ${file}\n`);
      } finally {
        await pool.close();
        project.remove();
      }
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server.stop();
  }
}

await main();
