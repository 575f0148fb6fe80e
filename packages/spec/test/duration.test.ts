// Durations as people write them in YAML.
import { expect, test } from 'vitest';
import { DURATION_PATTERN, parseDuration } from '../src/index.js';

test.each([
  ['500ms', 500],
  ['90s', 90_000],
  ['15m', 900_000],
  ['26h', 93_600_000],
  ['1d', 86_400_000],
  ['2w', 1_209_600_000],
  ['1h30m', 5_400_000],
  ['1m30s500ms', 90_500],
  ['0s', 0],
])('%s is %i ms', (input, ms) => {
  expect(parseDuration(input)).toBe(ms);
  expect(new RegExp(DURATION_PATTERN).test(input)).toBe(true);
});

test.each([
  [''],
  ['90'],
  ['s'],
  ['1.5h'],
  ['1 h'],
  ['1H'],
  ['-1s'],
  ['1h 30m'],
  ['1y'],
  ['90 seconds'],
  [' 90s'],
])('%j is not a duration', (input) => {
  expect(parseDuration(input)).toBeUndefined();
});
