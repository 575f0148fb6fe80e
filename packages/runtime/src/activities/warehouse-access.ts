// How an activity reaches the warehouse of the target its worker serves, by its kind:
// - the embedded DuckDB file goes through the worker's pool: one process may write a file, so the
//   activities of a run take turns on its one connection (warehouse-pool.ts);
// - a DuckLake lakehouse is attached once per worker (an in-memory DuckDB as compute,
//   lake-instances.ts) and each activity works on a connection of its own, so activities on any
//   number of workers run at the same time; each publication is one transaction, i.e. one
//   snapshot, and the registry row in it makes a retry idempotent.
import { resolve } from 'node:path';
import { redactSecrets, type Warehouse, WarehouseError } from '@pipectl/engine';
import { type Environment, resolveTarget, type WarehouseTarget } from '@pipectl/spec';
import { ApplicationFailure } from '@temporalio/common';
import type { LakeInstances } from './lake-instances.js';
import { renderIssuesText } from './render-issues.js';
import type { RunProject } from './run-project.js';
import type { WarehousePool } from './warehouse-pool.js';

export interface WarehouseAccess {
  /**
   * Runs `work` on the project's warehouse. When `signal` aborts, the running statement is
   * interrupted.
   * @example await access.use(project, (wh) => publishStep(wh, input), signal)
   */
  use<T>(project: RunProject, work: (warehouse: Warehouse) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The kind of the project's warehouse: `duckdb` (the embedded file) or `ducklake`. */
  kind(project: RunProject): WarehouseTarget['kind'];
}

export interface WarehouseAccessOptions {
  /** The embedded DuckDB files the worker has open. */
  readonly pool: WarehousePool;
  /** The lakes the worker has attached. */
  readonly lakes: LakeInstances;
  /**
   * The warehouse of the target the worker serves (resolved at start-up, `${VAR}`s filled; paths
   * relative to the project). Absent: each project's own target (its `target:`, else `default`).
   */
  readonly target?: WarehouseTarget;
  /** Variables for a project's own target; `process.env` by default. */
  readonly env?: Environment;
}

export function createWarehouseAccess(options: WarehouseAccessOptions): WarehouseAccess {
  const targetOf = (project: RunProject): WarehouseTarget =>
    options.target ?? ownTarget(project, options.env ?? process.env);
  return {
    use(project, work, signal) {
      const target = targetOf(project);
      return target.kind === 'duckdb'
        ? options.pool.use(resolve(project.dir, target.path), work, signal, project.readable)
        : onLake(options.lakes, target, project, work, signal);
    },
    kind: (project) => targetOf(project).kind,
  };
}

/**
 * What a worker's log says it serves: the file, or the lake's catalog (password hidden) and data
 * path.
 */
export function describeWarehouse(target: WarehouseTarget, projectDir: string): string {
  if (target.kind === 'duckdb') return `the DuckDB file ${resolve(projectDir, target.path)}`;
  const data = /^[a-z][a-z0-9+]*:\/\//i.test(target.dataPath)
    ? target.dataPath
    : resolve(projectDir, target.dataPath);
  return `the DuckLake with catalog ${redactSecrets(target.catalog)} and data under ${data}`;
}

/** The project's own target, for a worker given none. */
function ownTarget(project: RunProject, env: Environment): WarehouseTarget {
  const resolved = resolveTarget(project.compiled.project, { env });
  if (resolved.ok) return resolved.target.warehouse;
  throw ApplicationFailure.create({
    type: 'InvalidProject',
    nonRetryable: true,
    message: `the target of the project in ${project.dir} cannot be used:\n${renderIssuesText(resolved.issues)}`,
    details: [resolved.issues],
  });
}

/** `work` on a connection of its own to the worker's attached lake. */
async function onLake<T>(
  lakes: LakeInstances,
  target: Extract<WarehouseTarget, { kind: 'ducklake' }>,
  project: RunProject,
  work: (warehouse: Warehouse) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  signal?.throwIfAborted();
  try {
    return await lakes.use(target, project.dir, project.readable, async (warehouse) => {
      const interrupt = (): void => warehouse.connection.interrupt();
      signal?.addEventListener('abort', interrupt, { once: true });
      try {
        return await work(warehouse);
      } finally {
        signal?.removeEventListener('abort', interrupt);
      }
    });
  } catch (error) {
    throw warehouseFailure(error);
  }
}

/**
 * A warehouse error as a Temporal failure with its code: a commit conflict or an unreachable
 * catalog is retried (nothing of the attempt was committed); a catalog that cannot work (a wrong
 * password, a missing extension) fails the activity at once. Anything else passes through.
 */
function warehouseFailure(error: unknown): unknown {
  if (!(error instanceof WarehouseError)) return error;
  return ApplicationFailure.create({
    type: error.code === 'PIPE5202' ? 'WarehouseConflict' : 'WarehouseUnavailable',
    nonRetryable: !error.retryable,
    message: `${error.code} ${error.message} (${error.hint})`,
    details: [error.toIssue()],
  });
}
