// Following a run: polls its status every second and reports each change, until it has closed.
// A poll whose query went unanswered keeps the last view it had.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { getStatus, type RunStatusReport } from './run-status.js';

export interface WatchRunOptions {
  /** Between polls (default 1000 ms). */
  readonly intervalMs?: number;
  /** Stops watching (the promise rejects with the abort reason). */
  readonly signal?: AbortSignal;
}

/**
 * Calls `onProgress` with the first status and then whenever it changes; resolves with the final
 * status once the run has closed.
 * @example const final = await watchRun(client, runId, (s) => print(s.status));
 */
export async function watchRun(
  client: Client,
  runId: string,
  onProgress: (status: RunStatusReport) => void,
  options: WatchRunOptions = {},
): Promise<RunStatusReport> {
  const intervalMs = options.intervalMs ?? 1_000;
  let last: string | undefined;
  let lastView: RunStatusReport['view'] = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const polled = await getStatus(client, runId, { queryTimeoutMs: Math.max(intervalMs, 5_000) });
    // A running run's query can go unanswered for a while (a worker busy in a long local step holds
    // the workflow task the query waits for): the last view it gave still holds.
    const status: RunStatusReport =
      polled.execution === 'RUNNING' && polled.view === null && lastView !== null
        ? { ...polled, status: lastView.status, view: lastView }
        : polled;
    lastView = status.view;
    const fingerprint = JSON.stringify([status.execution, status.status, status.view, status.retrying]);
    if (fingerprint !== last) {
      last = fingerprint;
      onProgress(status);
    }
    if (status.execution !== 'RUNNING') return status;
    await sleep(intervalMs, undefined, options.signal ? { signal: options.signal } : {});
  }
}
