// Where a run's time went, read from its Temporal history (pure): for each activity, the wait
// between being scheduled and a worker starting it, and its execution (started → completed), per
// activity type; and the workflow tasks (scheduled → completed) that drove the run. A local
// activity (a step on the embedded file) is a `core_local_activity` marker: it counts with its
// time from scheduled to complete as execution and no wait (it never queues on the server).

/** Long from protobufjs, or a plain number. */
type LongLike = number | { toNumber(): number };

interface Timestamp {
  readonly seconds?: LongLike | null;
  readonly nanos?: number | null;
}

interface Linked {
  readonly scheduledEventId?: LongLike | null;
}

/** The few fields of a Temporal history event this reads. */
export interface HistoryEventLike {
  readonly eventId?: LongLike | null;
  readonly eventTime?: Timestamp | null;
  readonly activityTaskScheduledEventAttributes?: {
    readonly activityType?: { readonly name?: string | null } | null;
  } | null;
  readonly activityTaskStartedEventAttributes?: Linked | null;
  readonly activityTaskCompletedEventAttributes?: Linked | null;
  readonly workflowTaskScheduledEventAttributes?: object | null;
  readonly workflowTaskCompletedEventAttributes?: Linked | null;
  readonly markerRecordedEventAttributes?: {
    readonly markerName?: string | null;
    readonly details?: Readonly<
      Record<string, { readonly payloads?: readonly { readonly data?: Uint8Array | null }[] | null }>
    > | null;
  } | null;
}

export interface ActivityTimes {
  readonly count: number;
  /** Of which local activities (run in the worker that ran the workflow task). */
  readonly local: number;
  /** Summed scheduled → started: waiting for a free worker slot. */
  readonly waitMs: number;
  /** Summed started → completed: the activity's own time on the worker. */
  readonly execMs: number;
}

export interface HistoryBreakdown {
  readonly events: number;
  readonly activities: ActivityTimes;
  readonly byType: Readonly<Record<string, ActivityTimes>>;
  readonly workflowTasks: { readonly count: number; readonly ms: number };
}

const toNumber = (value: LongLike | null | undefined): number =>
  value === null || value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber();

const msOf = (time: Timestamp | null | undefined): number =>
  toNumber(time?.seconds) * 1000 + (time?.nanos ?? 0) / 1e6;

export function breakdownOf(events: readonly HistoryEventLike[]): HistoryBreakdown {
  const timeOf = new Map<number, number>();
  const typeOf = new Map<number, string>();
  const startedAt = new Map<number, number>();
  const byType: Record<string, { count: number; local: number; waitMs: number; execMs: number }> = {};
  const total = { count: 0, local: 0, waitMs: 0, execMs: 0 };
  const book = (type: string, waitMs: number, execMs: number, local: boolean): void => {
    const entry = byType[type] ?? { count: 0, local: 0, waitMs: 0, execMs: 0 };
    byType[type] = entry;
    for (const bucket of [entry, total]) {
      bucket.count++;
      if (local) bucket.local++;
      bucket.waitMs += waitMs;
      bucket.execMs += execMs;
    }
  };
  const workflowTasks = { count: 0, ms: 0 };

  for (const event of events) {
    const id = toNumber(event.eventId);
    const at = msOf(event.eventTime);
    timeOf.set(id, at);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(id, scheduled.activityType?.name ?? 'unknown');
    const started = event.activityTaskStartedEventAttributes;
    if (started) startedAt.set(toNumber(started.scheduledEventId), at);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const scheduledId = toNumber(completed.scheduledEventId);
      const scheduledAt = timeOf.get(scheduledId) ?? at;
      const began = startedAt.get(scheduledId) ?? scheduledAt;
      book(typeOf.get(scheduledId) ?? 'unknown', began - scheduledAt, at - began, false);
    }
    const local = localActivityOf(event);
    if (local) book(local.type, 0, local.execMs, true);
    const task = event.workflowTaskCompletedEventAttributes;
    if (task) {
      workflowTasks.count++;
      workflowTasks.ms += at - (timeOf.get(toNumber(task.scheduledEventId)) ?? at);
    }
  }
  return { events: events.length, activities: total, byType, workflowTasks };
}

/** A local activity's marker: its type and its time from scheduled to complete; undefined for other events. */
function localActivityOf(event: HistoryEventLike): { type: string; execMs: number } | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  const parsed = JSON.parse(new TextDecoder().decode(data)) as {
    activity_type?: string;
    complete_time?: Timestamp;
    original_schedule_time?: Timestamp;
  };
  return {
    type: parsed.activity_type ?? 'unknown',
    execMs: msOf(parsed.complete_time) - msOf(parsed.original_schedule_time),
  };
}
