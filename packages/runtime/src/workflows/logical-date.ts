// The logical date of a run. `pipectl run` passes a date; a Temporal Schedule cannot compute one,
// so it passes the marker `scheduled` and the run takes the calendar date of its nominal scheduled
// time (the `TemporalScheduledStartTime` search attribute the Schedule sets, which stays the slot's
// time for catch-up and backfill runs; the start time otherwise) in the pipeline's time zone.
// Both are recorded in the start event, so the date is the same on every replay: deterministic.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** What a Schedule passes as `logicalDate`. */
export const SCHEDULED_LOGICAL_DATE = 'scheduled';

/** Set by the Temporal server on runs a Schedule starts. */
export const scheduledStartTimeKey = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/**
 * The calendar date of `at` in `timeZone`, `YYYY-MM-DD`.
 * @example calendarDate(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin') // '2026-11-23'
 */
export function calendarDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The run's logical date: as given, or for a scheduled run the date of its scheduled time. */
export function resolveLogicalDate(
  input: { readonly logicalDate: string; readonly timezone?: string },
  scheduledAt: Date | undefined,
  startedAt: Date,
): string {
  if (input.logicalDate !== SCHEDULED_LOGICAL_DATE) return input.logicalDate;
  return calendarDate(scheduledAt ?? startedAt, input.timezone ?? 'UTC');
}
