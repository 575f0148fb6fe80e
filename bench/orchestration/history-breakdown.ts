// Where a run's time went, read from its Temporal history (pure): for each activity, the wait
// between being scheduled and a worker starting it, and its execution (started → completed), per
// activity type; and the workflow tasks (scheduled → completed) that drove the run.

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
}

export interface ActivityTimes {
  readonly count: number;
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
  const byType: Record<string, { count: number; waitMs: number; execMs: number }> = {};
  const total = { count: 0, waitMs: 0, execMs: 0 };
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
      const type = typeOf.get(scheduledId) ?? 'unknown';
      const entry = byType[type] ?? { count: 0, waitMs: 0, execMs: 0 };
      byType[type] = entry;
      for (const bucket of [entry, total]) {
        bucket.count++;
        bucket.waitMs += began - scheduledAt;
        bucket.execMs += at - began;
      }
    }
    const task = event.workflowTaskCompletedEventAttributes;
    if (task) {
      workflowTasks.count++;
      workflowTasks.ms += at - (timeOf.get(toNumber(task.scheduledEventId)) ?? at);
    }
  }
  return { events: events.length, activities: total, byType, workflowTasks };
}
