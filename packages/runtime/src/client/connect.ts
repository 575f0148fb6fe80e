// How pipectl reaches Temporal: flags, then environment, then the project's pipectl.yaml, then the
// local dev server. The same settings serve the CLI, the worker and tests.

import { PipectlError } from '@pipectl/spec/lite';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { taskQueueFor } from './run-id.js';

export interface TemporalSettings {
  /** `host:port`; default `localhost:7233` (the dev server). */
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** TLS (mTLS) to the frontend, from a target's `temporal.tls` (see tlsConfigOf); plaintext when absent. */
  readonly tls?: TLSConfig;
}

/** What a project's pipectl.yaml says: its `name`, and the Temporal settings it writes out. */
export interface ProjectTemporal extends Partial<TemporalSettings> {
  readonly name?: string;
}

/** Without a project; a project's own task queue is `pipectl-<project>` (taskQueueFor). */
export const DEFAULT_TEMPORAL: TemporalSettings = {
  address: 'localhost:7233',
  namespace: 'default',
  taskQueue: 'pipectl',
};

/**
 * Settings from, in order: explicit values, `TEMPORAL_ADDRESS`/`TEMPORAL_NAMESPACE`/`PIPECTL_TASK_QUEUE`,
 * the project, defaults. The default task queue of a named project is its own, `pipectl-<name>`.
 * @example resolveTemporalSettings({}, { name: 'shop' }, {}).taskQueue // 'pipectl-shop'
 */
export function resolveTemporalSettings(
  explicit: Partial<TemporalSettings>,
  project: ProjectTemporal = {},
  env: NodeJS.ProcessEnv = process.env,
): TemporalSettings {
  return {
    address: explicit.address ?? env.TEMPORAL_ADDRESS ?? project.address ?? DEFAULT_TEMPORAL.address,
    namespace:
      explicit.namespace ?? env.TEMPORAL_NAMESPACE ?? project.namespace ?? DEFAULT_TEMPORAL.namespace,
    taskQueue:
      explicit.taskQueue ??
      env.PIPECTL_TASK_QUEUE ??
      project.taskQueue ??
      (project.name === undefined ? DEFAULT_TEMPORAL.taskQueue : taskQueueFor(project.name)),
  };
}

export class TemporalUnreachableError extends PipectlError {
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super(
      'PIPE6003',
      `cannot reach Temporal at ${address}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Start the local dev server with `pipectl dev`, or point --temporal-address / TEMPORAL_ADDRESS at your cluster.',
      { retryable: true },
    );
  }
}

/** A connected client; throws TemporalUnreachableError with what to do when the server does not answer. */
export async function connectClient(settings: TemporalSettings, identity = 'pipectl'): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: settings.address,
      connectTimeout: '5s',
      ...(settings.tls ? { tls: settings.tls } : {}),
    });
  } catch (error) {
    throw new TemporalUnreachableError(settings.address, error);
  }
  return new Client({ connection, namespace: settings.namespace, identity });
}
