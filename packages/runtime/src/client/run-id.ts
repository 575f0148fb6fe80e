// Run ids are derived from pipeline and logical date, so starting the same run twice finds the
// first one instead of running twice.

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `pipectl-orders_daily-2026-11-22`; `attempt` > 1 marks a deliberate re-run (`--rerun`). */
export function runIdFor(pipeline: string, logicalDate: string, attempt = 1): string {
  if (!DATE.test(logicalDate)) throw new Error(`logical date must be YYYY-MM-DD, got "${logicalDate}"`);
  return attempt > 1
    ? `pipectl-${pipeline}-${logicalDate}-r${attempt}`
    : `pipectl-${pipeline}-${logicalDate}`;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
