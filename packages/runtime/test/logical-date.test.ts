// Logical dates: given dates pass through; a scheduled run takes the calendar date of its
// scheduled time (else its start time) in the pipeline's time zone.
import { describe, expect, it } from 'vitest';
import { calendarDate, resolveLogicalDate, SCHEDULED_LOGICAL_DATE } from '../src/workflows/logical-date.js';

describe('calendarDate', () => {
  it.each([
    ['2026-11-22T23:30:00Z', 'UTC', '2026-11-22'],
    ['2026-11-22T23:30:00Z', 'Europe/Berlin', '2026-11-23'],
    ['2026-11-23T03:00:00Z', 'America/New_York', '2026-11-22'],
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-12-31T12:00:00Z', 'Pacific/Kiritimati', '2027-01-01'],
  ])('%s in %s is %s', (at, zone, date) => {
    expect(calendarDate(new Date(at), zone)).toBe(date);
  });
});

describe('resolveLogicalDate', () => {
  const started = new Date('2026-11-22T05:00:00Z');

  it('keeps a date given at start', () => {
    expect(resolveLogicalDate({ logicalDate: '2026-11-01' }, undefined, started)).toBe('2026-11-01');
  });

  it('takes the scheduled time of a scheduled run, not its (later) start', () => {
    const scheduled = new Date('2026-11-21T22:59:00Z');
    expect(
      resolveLogicalDate(
        { logicalDate: SCHEDULED_LOGICAL_DATE, timezone: 'Europe/Berlin' },
        scheduled,
        started,
      ),
    ).toBe('2026-11-21');
  });

  it('falls back to the start time, in UTC when no zone is given', () => {
    expect(resolveLogicalDate({ logicalDate: SCHEDULED_LOGICAL_DATE }, undefined, started)).toBe(
      '2026-11-22',
    );
  });
});
