// Who serves a task queue: DescribeTaskQueue lists the workers that polled it lately. The server
// remembers a poller for minutes after it stopped, and a live worker polls again at least every
// minute (a long poll), so a worker counts as serving when it polled within SERVING_WITHIN_MS.
// Used to say, when a run is started, that no worker will take it and which command to start.
import { hostname } from 'node:os';
import type { Client } from '@temporalio/client';

/** A live worker polls again within about a minute; the margin absorbs a slow round trip. */
export const SERVING_WITHIN_MS = 120_000;

export interface TaskQueueWorker {
  /** The worker's identity; pipectl workers write theirs with workerIdentity(). */
  readonly identity: string;
  /** The project a pipectl worker serves, read from its identity; null for other workers. */
  readonly project: string | null;
  readonly lastPolled: Date | null;
}

/** temporal.api.enums.v1: TASK_QUEUE_KIND_NORMAL, TASK_QUEUE_TYPE_WORKFLOW. */
const NORMAL_KIND = 1;
const WORKFLOW_TYPE = 1;

/**
 * The workers that polled the task queue's workflow tasks within SERVING_WITHIN_MS.
 * @example if ((await taskQueueWorkers(client, 'pipectl-shop')).length === 0) print('start `pipectl worker`');
 */
export async function taskQueueWorkers(
  client: Client,
  taskQueue: string,
  now: number = Date.now(),
): Promise<TaskQueueWorker[]> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: NORMAL_KIND },
    taskQueueType: WORKFLOW_TYPE,
  });
  return (response.pollers ?? [])
    .map((poller) => {
      const identity = poller.identity ?? '';
      return {
        identity,
        project: projectOfIdentity(identity),
        lastPolled: dateOf(poller.lastAccessTime),
      };
    })
    .filter((worker) => worker.lastPolled === null || now - worker.lastPolled.getTime() <= SERVING_WITHIN_MS);
}

const IDENTITY_PROJECT = / \(pipectl project (.+)\)$/;

/**
 * The identity a pipectl worker polls with: the SDK's default (`pid@host`) and the project it serves,
 * so that other workers on the same task queue can tell.
 * @example workerIdentity('shop') // '4242@build-01 (pipectl project shop)'
 */
export function workerIdentity(
  project: string,
  pid: number = process.pid,
  host: string = hostname(),
): string {
  return `${pid}@${host} (pipectl project ${project})`;
}

export function projectOfIdentity(identity: string): string | null {
  return IDENTITY_PROJECT.exec(identity)?.[1] ?? null;
}

/** A protobuf Timestamp (seconds as a Long or number) as a Date. */
function dateOf(
  ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined,
): Date | null {
  if (!ts?.seconds) return null;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6));
}
