// The pipectl worker: the prebundled pipeline-run workflow and the run activities over the
// warehouse of the project's target, polling one task queue. `runWorker` runs it until SIGINT/SIGTERM.
// The target is resolved once, at start-up.
//
// Deployment: on a lakehouse target (DuckLake, catalog in PostgreSQL) run any number of workers,
// on any machines: every activity opens the lake for itself. On the embedded DuckDB file, which one
// process may write, run ONE worker process per file (the pool inside serialises its activities):
// a worker claims the file at start-up, and a second worker process on it refuses to start
// (WarehouseServedError, see warehouse-claim.ts).

import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadProject } from '@pipectl/compiler';
import { type ResolvedTarget, resolveTarget } from '@pipectl/spec';
import {
  type NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createRunActivities, DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../activities/create-run-activities.js';
import { createLakeInstances } from '../activities/lake-instances.js';
import { renderIssuesText } from '../activities/render-issues.js';
import { describeWarehouse } from '../activities/warehouse-access.js';
import { createWarehousePool, type WarehousePool } from '../activities/warehouse-pool.js';
import { TargetUnusableError, TaskQueueSharedError } from '../client/run-errors.js';
import { projectOfIdentity, SERVING_WITHIN_MS, workerIdentity } from '../client/task-queue-workers.js';
import { claimWarehouse, type WarehouseClaim } from './warehouse-claim.js';
import { prebundleWorkflows } from './workflow-bundle.js';

/** A step of a worker's start-up, told as it begins (the bundle alone can take tens of seconds). */
export type WorkerStage =
  | 'connecting'
  | 'checking the task queue'
  | 'claiming the warehouse'
  | 'bundling the workflow'
  | 'creating the worker'
  | 'polling';

export interface PipectlWorkerOptions {
  readonly connection: NativeConnection;
  /** Told each start-up stage as it begins, e.g. to show progress. */
  readonly onStage?: (stage: WorkerStage) => void;
  /** Default `default`. */
  readonly namespace?: string;
  readonly taskQueue: string;
  /**
   * The project this worker serves: runs of other project directories are refused, and the
   * workflow bundle is cached in its `.pipectl/cache`. Any project (cache in the current
   * directory) when absent.
   */
  readonly projectDir?: string;
  /**
   * The project's `name`: written into the worker's identity, and checked at start-up against the
   * workers already polling the task queue (another project's there: TaskQueueSharedError).
   */
  readonly project?: string;
  /**
   * The target whose warehouse the activities use, resolved (`resolveTarget`); with a
   * `projectDir`, the project's own target (pipectl.yaml's `target:`, else `default`) when absent,
   * its `${VAR}`s read from `process.env` at start-up. Without either, each run's project's own.
   */
  readonly target?: Pick<ResolvedTarget, 'name' | 'warehouse' | 'openlineage'>;
  /** Default 8. Activities on one warehouse take turns whatever this is. */
  readonly maxConcurrentActivityTaskExecutions?: number;
  /** A prebuilt bundle (e.g. shipped with a deployment); bundled and cached on first start when absent. */
  readonly workflowBundle?: WorkflowBundleOption;
  /** Where the bundle is cached; `<projectDir or cwd>/.pipectl/cache` by default. */
  readonly bundleCacheDir?: string;
  /** How fast a crashed worker's activities are retried elsewhere; written into each run's plan. Default 30 s. */
  readonly heartbeatTimeoutMs?: number;
  /** The open warehouses; a new pool by default. Pass one to read the warehouse while the worker runs. */
  readonly warehouses?: WarehousePool;
  /** How long an activity waits for a warehouse file another process holds (default 120 s); ignored with `warehouses`. */
  readonly warehouseLockTimeoutMs?: number;
  /** How long running activities get to finish on shutdown before they are cancelled. Default 10 s. */
  readonly shutdownGraceTimeMs?: number;
  readonly identity?: string;
  /** Further Temporal worker settings (sticky cache, pollers, tuner), passed as given. */
  readonly workerOptions?: Omit<
    Partial<WorkerOptions>,
    'connection' | 'namespace' | 'taskQueue' | 'workflowBundle' | 'workflowsPath' | 'activities'
  >;
}

export interface PipectlWorker {
  /** The Temporal worker (`run`, `runUntil`, `shutdown`, `getState`). */
  readonly worker: Worker;
  readonly warehouses: WarehousePool;
  /** The target it serves and a description of its warehouse (for the log); unknown without a projectDir. */
  readonly serves?: { readonly target: string; readonly warehouse: string };
  /** Polls until `shutdown()` (or a shutdown signal of the SDK runtime), then closes the warehouses. */
  run(): Promise<void>;
  /** Runs until `promise` settles, then shuts down and closes the warehouses. */
  runUntil<R>(promise: Promise<R>): Promise<R>;
  /** Starts a graceful shutdown; safe to call more than once. */
  shutdown(): void;
}

/**
 * @example
 * const connection = await NativeConnection.connect({ address: 'localhost:7233' });
 * const { run } = await createPipectlWorker({ connection, taskQueue: 'pipectl', projectDir: '/srv/shop' });
 * await run();
 */
export async function createPipectlWorker(options: PipectlWorkerOptions): Promise<PipectlWorker> {
  const projectDir = options.projectDir === undefined ? undefined : resolve(options.projectDir);
  const namespace = options.namespace ?? 'default';
  if (options.project !== undefined) {
    options.onStage?.('checking the task queue');
    await refuseSharedTaskQueue(options.connection, namespace, options.taskQueue, options.project);
  }
  const target = options.target ?? (projectDir === undefined ? undefined : await ownTarget(projectDir));
  // Only a DuckDB file is claimed: a lakehouse takes any number of workers.
  if (projectDir !== undefined && target?.warehouse.kind === 'duckdb')
    options.onStage?.('claiming the warehouse');
  const claim =
    projectDir !== undefined && target?.warehouse.kind === 'duckdb'
      ? claimWarehouse(resolve(projectDir, target.warehouse.path), options.taskQueue)
      : undefined;
  try {
    return await startWorker(options, projectDir, namespace, claim, target);
  } catch (error) {
    claim?.release();
    throw error;
  }
}

async function startWorker(
  options: PipectlWorkerOptions,
  projectDir: string | undefined,
  namespace: string,
  claim: WarehouseClaim | undefined,
  target: Pick<ResolvedTarget, 'name' | 'warehouse' | 'openlineage'> | undefined,
): Promise<PipectlWorker> {
  if (options.workflowBundle === undefined) options.onStage?.('bundling the workflow');
  const workflowBundle: WorkflowBundleOption = options.workflowBundle ?? {
    codePath: (
      await prebundleWorkflows({
        cacheDir: options.bundleCacheDir ?? resolve(projectDir ?? process.cwd(), '.pipectl', 'cache'),
      })
    ).codePath,
  };
  const warehouses =
    options.warehouses ??
    createWarehousePool(
      options.warehouseLockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.warehouseLockTimeoutMs },
    );
  options.onStage?.('creating the worker');
  const lakes = createLakeInstances();
  const worker = await Worker.create({
    ...options.workerOptions,
    connection: options.connection,
    namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: createRunActivities({
      warehouses,
      lakes,
      ...(projectDir !== undefined ? { projectDir } : {}),
      ...(target ? { target: target.warehouse, openlineage: target.openlineage ?? null } : {}),
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 8,
    shutdownGraceTime: options.shutdownGraceTimeMs ?? 10_000,
    ...(options.identity !== undefined
      ? { identity: options.identity }
      : options.project !== undefined
        ? { identity: workerIdentity(options.project, process.pid, hostname()) }
        : {}),
  });

  const shutdown = (): void => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    worker,
    warehouses,
    ...(target && projectDir !== undefined
      ? { serves: { target: target.name, warehouse: describeWarehouse(target.warehouse, projectDir) } }
      : {}),
    shutdown,
    async run() {
      try {
        await worker.run();
      } finally {
        await Promise.all([warehouses.close(), lakes.close()]);
        claim?.release();
      }
    },
    async runUntil(promise) {
      try {
        return await worker.runUntil(promise);
      } finally {
        await Promise.all([warehouses.close(), lakes.close()]);
        claim?.release();
      }
    },
  };
}

/** The project's own target, its `${VAR}`s read now; TargetUnusableError when it cannot be used. */
async function ownTarget(
  projectDir: string,
): Promise<Pick<ResolvedTarget, 'name' | 'warehouse' | 'openlineage'>> {
  // Loading, not compiling: the target is a setting, and a project with errors still names it.
  const loaded = await loadProject(projectDir);
  const resolved = resolveTarget(loaded.project, { env: process.env });
  if (!resolved.ok) throw new TargetUnusableError(projectDir, renderIssuesText(resolved.issues));
  return resolved.target;
}

/**
 * Throws TaskQueueSharedError when a worker of another project polled the task queue lately: it
 * would receive this project's runs (and this worker its), each refused as ProjectNotServed.
 * One DescribeTaskQueue call; workers of other programs (no project in their identity) are ignored.
 */
async function refuseSharedTaskQueue(
  connection: NativeConnection,
  namespace: string,
  taskQueue: string,
  project: string,
): Promise<void> {
  const response = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: 1 },
    taskQueueType: 1,
  });
  const now = Date.now();
  const others = new Set<string>();
  for (const poller of response.pollers ?? []) {
    const other = projectOfIdentity(poller.identity ?? '');
    const seconds = poller.lastAccessTime?.seconds;
    const polledMs = seconds ? Number(seconds.toString()) * 1000 : now;
    if (other !== null && other !== project && now - polledMs <= SERVING_WITHIN_MS) others.add(other);
  }
  if (others.size > 0) throw new TaskQueueSharedError(taskQueue, project, [...others]);
}
