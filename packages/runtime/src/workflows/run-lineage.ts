// The run's OpenLineage events: sent without waiting (a run never waits on lineage) as the run
// passes its moments, one send at a time and in order, counted into the run state, and awaited
// only at the end, so the pipeline's last event reaches the lineage tools after its steps'. Sends nothing until `start` (runs whose
// plan emits no events, and runs started before events existed, never call it).
// Workflow code: imports only @temporalio/workflow and its own folder.
import { CancellationScope, patched } from '@temporalio/workflow';
import { lineageActivity } from './activity-proxies.js';
import { messageOf, type RunState } from './run-state.js';
import type { LineageEmitInput, LineageNotice } from './run-types.js';

/** A moment of the run, stamped with the workflow time when it is sent. */
export type Notice = Omit<LineageNotice, 'at'>;

export interface RunLineage {
  /** Starts counting (and sending) events. */
  readonly start: () => void;
  /** Sends OpenLineage events of these moments, without waiting. */
  readonly notify: (...notices: Notice[]) => void;
  /**
   * Waits for the sends still under way (bounded by their timeouts), then sends the run's last
   * event and waits for it.
   */
  readonly finish: (notice: Notice) => Promise<void>;
}

/** The events of one run; `target` names the run to the lineage activity. */
export function runLineage(state: RunState, target: Omit<LineageEmitInput, 'notices'>): RunLineage {
  const sends: Promise<void>[] = [];
  // Since 'openlineage-in-order', one send at a time: notices made meanwhile wait and go together in
  // the next, in the order they were made. (Sends at once could arrive out of order: a step run as
  // a local activity starts and completes within one workflow task.)
  let inOrder = false;
  let queued: LineageNotice[] = [];
  let draining = false;
  const send = (notices: readonly LineageNotice[]): Promise<void> => {
    const events = notices.reduce((n, notice) => n + (notice.job === 'gates' ? 2 : 1), 0);
    // Not cancellable: a cancelled run still tells the lineage tools it was aborted.
    return CancellationScope.nonCancellable(() =>
      lineageActivity.emitLineage({ ...target, notices: [...notices] }),
    ).then(
      (report) => state.countLineage(report.sent, report.dropped, report.reason),
      (failure: unknown) => state.countLineage(0, events, messageOf(failure)),
    );
  };
  const drain = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      await send(batch);
    }
    draining = false;
  };
  const notify = (...notices: Notice[]): void => {
    if (state.lineage === undefined) return;
    const at = new Date().toISOString();
    const stamped = notices.map((notice) => ({ ...notice, at }));
    if (!inOrder) {
      sends.push(send(stamped));
      return;
    }
    queued.push(...stamped);
    if (draining) return;
    draining = true;
    sends.push(drain());
  };
  const finish = async (notice: Notice): Promise<void> => {
    if (state.lineage === undefined) return;
    await CancellationScope.nonCancellable(() => Promise.all(sends));
    notify(notice);
    await CancellationScope.nonCancellable(() => Promise.all(sends));
  };
  const start = (): void => {
    state.lineage = { sent: 0, dropped: 0 };
    inOrder = patched('openlineage-in-order');
  };
  return { start, notify, finish };
}
