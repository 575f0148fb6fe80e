// Test helpers for end-to-end runs: a pipectl worker on its own task queue that the test stops,
// reads of the warehouse through the worker's own pool (DuckDB allows one opener), and polling.
import { join } from 'node:path';
import { type PublishedVersion, publicationHistory } from '@pipectl/engine';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerInterceptors } from '@temporalio/worker';
import { inject } from 'vitest';
import { createRunActivities } from '../../src/activities/create-run-activities.js';
import { createWarehousePool, type WarehousePool } from '../../src/activities/warehouse-pool.js';
import { createPipectlWorker, type PipectlWorker } from '../../src/worker/create-worker.js';

export { eventually, within } from '../../../../test-support/wait.js';
export {
  applyOverlay,
  copyProject,
  editFile,
  type Overlay,
  uniqueDate,
  uniqueTaskQueue,
} from './project-copy.js';

export interface RunningWorker {
  readonly pipectl: PipectlWorker;
  /** Shuts the worker down and waits until it has stopped (idempotent). */
  stop(): Promise<void>;
}

/** Starts a pipectl worker for `projectDir` on `taskQueue` with the run's prebuilt bundle. */
export async function startWorker(
  env: TestWorkflowEnvironment,
  options: {
    projectDir: string;
    taskQueue: string;
    /** The project's name: the worker's identity, and the start-up check of the task queue. */
    project?: string;
    warehouses?: WarehousePool;
    heartbeatTimeoutMs?: number;
    /** Temporal worker interceptors (a test that injects an activity failure). */
    interceptors?: WorkerInterceptors;
  },
): Promise<RunningWorker> {
  const pipectl = await createPipectlWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: options.taskQueue,
    projectDir: options.projectDir,
    ...(options.project !== undefined ? { project: options.project } : {}),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    warehouses: options.warehouses ?? createWarehousePool({ idleCloseMs: 200 }),
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
    shutdownGraceTimeMs: 2_000,
    ...(options.interceptors ? { workerOptions: { interceptors: options.interceptors } } : {}),
  });
  const running = pipectl.run();
  let stopped: Promise<void> | undefined;
  return {
    pipectl,
    stop() {
      stopped ??= (async () => {
        pipectl.shutdown();
        await running;
      })();
      return stopped;
    },
  };
}

/** The registry rows of `dataset` in the project's warehouse, oldest first. */
export function publications(
  pool: WarehousePool,
  projectDir: string,
  dataset: string,
): Promise<PublishedVersion[]> {
  return pool.use(join(projectDir, '.pipectl', 'warehouse.duckdb'), (warehouse) =>
    publicationHistory(warehouse, dataset),
  );
}

/** Rows of a query against the project's warehouse, as JSON-safe values. */
export function query<T extends Record<string, unknown>>(
  pool: WarehousePool,
  projectDir: string,
  sql: string,
): Promise<T[]> {
  return pool.use(join(projectDir, '.pipectl', 'warehouse.duckdb'), (warehouse) => warehouse.json<T>(sql));
}

/**
 * Runs a pipeline by calling the activities directly (no Temporal): sources, then every step built
 * and published in plan order. To seed a warehouse with what an earlier version published.
 */
export async function publishDirectly(
  pool: WarehousePool,
  projectDir: string,
  pipeline: string,
  runId: string,
): Promise<void> {
  const activities = createRunActivities({ warehouses: pool });
  const plan = await activities.planRun({ projectDir, pipeline });
  const common = { projectDir, pipeline, runId, logicalDate: '2000-01-01' };
  for (const source of plan.sources) await activities.extractSource({ ...common, source: source.name });
  for (const step of plan.steps) {
    await activities.buildStep({ ...common, step: step.name });
    await activities.publishStep({ ...common, step: step.name, decision: null });
  }
}
