import { describe, expect, test } from 'vitest';
import { checkColumnType, parseDocument, type QualityCheck } from '../src/index.js';
import { checkCron, checkTimeZone } from '../src/schedule/check-schedule.js';

const common = { severity: 'error', maxFailing: 0, samples: 5, onFail: 'fail' } as const;

describe('schedules are checked as Temporal would read them', () => {
  test.each(['0 6 * * *', '*/15 * * * mon-fri', '0 0 1 jan,jul *', '30 4 * * 7', '@daily', '@hourly'])(
    '%s is accepted',
    (cron) => {
      expect(checkCron(cron)).toBeUndefined();
    },
  );
  test.each([
    ['99 99 * * *', 'minute 99 is out of range (0-59)', 0, 2],
    ['0 24 * * *', 'hour 24 is out of range (0-23)', 2, 2],
    ['0 6 * *', 'the cron expression "0 6 * *" has 4 fields, not 5', 0, 7],
    ['0 6 * * 1#2', '"#" in the day of week field "1#2" is not understood by Temporal schedules', 8, 3],
    ['0 0 L * *', '"L" in the day of month field "L" is not understood by Temporal schedules', 4, 1],
  ])('%s is refused: %s', (cron, message, offset, length) => {
    expect(checkCron(cron)).toMatchObject({ message, offset, length });
  });

  test('time zones are IANA names spelled as the tz database spells them', () => {
    expect(checkTimeZone('Europe/Berlin')).toBeUndefined();
    expect(checkTimeZone('UTC')).toBeUndefined();
    expect(checkTimeZone('Mars/Olympus')?.message).toBe('unknown time zone "Mars/Olympus"');
    expect(checkTimeZone('Europe/Berlinn')?.message).toBe('unknown time zone "Europe/Berlinn"');
    expect(checkTimeZone('europe/berlin')?.hint).toBe(
      'write "Europe/Berlin": Temporal looks zones up case-sensitively',
    );
  });
});

describe('checks fit their column type', () => {
  const freshness = { check: 'freshness', column: 'c', maxAge: '1d', ...common } as QualityCheck;
  const range = (min: number | string) =>
    ({ check: 'range', column: 'c', min, exclusive: false, ...common }) as QualityCheck;
  test.each([
    [freshness, 'timestamp', undefined],
    [freshness, 'date', undefined],
    [freshness, 'integer', 'a freshness check needs a date or timestamp column; "c" is integer'],
    [range(8), 'varchar(20)', 'min: 8 is a number, but column "c" is varchar(20)'],
    [range(8), 'decimal(12,2)', undefined],
    [range('2020-01-01'), 'date', undefined],
    [range(0), 'timestamp', 'min: 0 is a number, but column "c" is timestamp'],
    [range('a'), 'boolean', 'min: "a" cannot bound column "c" of type boolean'],
  ])('%o on %s', (check, type, message) => {
    expect(checkColumnType(check, type)?.message).toBe(message);
  });
});

test('a contract keeps loading when a check does not fit its column, and the caret marks the whole bad type', () => {
  const contract = (extra: string) => `apiVersion: pipectl/v1
kind: Contract
name: mart.orders
version: 1.0.0
owner: sales
columns:
  - name: id
    type: integer
${extra}`;
  const misfit = parseDocument('orders.contract.yaml', contract('freshness:\n  column: id\n  maxAge: 1d\n'));
  expect(misfit.document).toBeDefined();
  expect(misfit.issues.map((i) => [i.code, i.span])).toEqual([
    ['PIPE1018', { line: 10, col: 11, endLine: 10, endCol: 13, offset: expect.any(Number) }],
  ]);
  const badType = parseDocument(
    'orders.contract.yaml',
    contract('  - name: total\n    type: decimel(12,2)\n'),
  );
  expect(badType.issues[0]?.code).toBe('PIPE1009');
  expect(badType.issues[0]?.span).toMatchObject({ line: 10, col: 11, endCol: 18 });
});
