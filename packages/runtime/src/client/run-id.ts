// Run ids are derived from project, pipeline and logical date, so starting the same run twice finds
// the first one instead of running twice, and two projects on one Temporal namespace never share
// an id (nor a task queue, nor a schedule: see taskQueueFor and scheduleIdFor).

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `pipectl-shop-orders_daily-2026-11-22`; `attempt` > 1 marks a deliberate re-run (`--rerun`).
 * Runs started before ids carried the project (`pipectl-orders_daily-2026-11-22`) stay readable:
 * every command that takes a run id accepts any id.
 */
export function runIdFor(project: string, pipeline: string, logicalDate: string, attempt = 1): string {
  if (!DATE.test(logicalDate)) throw new Error(`logical date must be YYYY-MM-DD, got "${logicalDate}"`);
  const base = `pipectl-${project}-${pipeline}-${logicalDate}`;
  return attempt > 1 ? `${base}-r${attempt}` : base;
}

/** The workflow id a schedule gives its runs; the server appends the scheduled time. */
export function scheduledRunIdFor(project: string, pipeline: string): string {
  return `pipectl-${project}-${pipeline}-scheduled`;
}

/** `pipectl-<project>`: the task queue a project's workers poll unless pipectl.yaml names one. */
export function taskQueueFor(project: string): string {
  return `pipectl-${project}`;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
