// "Did you mean" suggestions for misspelt names.
import { expect, test } from 'vitest';
import { closestName, didYouMean } from '../src/index.js';
import { editDistance } from '../src/issues/did-you-mean.js';

test.each([
  ['', '', 0],
  ['abc', 'abc', 0],
  ['abc', '', 3],
  ['amout', 'amount', 1],
  ['nulable', 'nullable', 1],
  ['fowrard', 'forward', 1],
  ['ab', 'ba', 1],
  ['kitten', 'sitting', 3],
])('editDistance(%j, %j) is %i', (a, b, distance) => {
  expect(editDistance(a, b)).toBe(distance);
  expect(editDistance(b, a)).toBe(distance);
});

const COLUMNS = ['order_id', 'amount', 'ordered_at', 'customer_id'];

test.each([
  ['amout', COLUMNS, 'amount'],
  ['AMOUNT', COLUMNS, 'amount'],
  ['ordred_at', COLUMNS, 'ordered_at'],
  ['customerid', COLUMNS, 'customer_id'],
  ['bignt', ['bigint', 'integer', 'varchar'], 'bigint'],
  ['Contarct', ['Contract', 'Pipeline', 'Project'], 'Contract'],
  ['warning', ['error', 'warn'], 'warn'],
  ['csvv', ['csv', 'parquet', 'json', 'postgres'], 'csv'],
  ['postgresql', ['csv', 'parquet', 'json', 'postgres'], 'postgres'],
  ['zzz', COLUMNS, undefined],
  ['updated_at', COLUMNS, undefined],
  ['x', [], undefined],
])('closestName(%j) is %j', (input, candidates, expected) => {
  expect(closestName(input, candidates)).toBe(expected);
});

test('a short name only matches within one edit, not by a two-letter prefix', () => {
  expect(closestName('id', ['identifier'])).toBeUndefined();
  expect(closestName('ix', ['id'])).toBe('id');
});

test('didYouMean phrases the suggestion, or gives nothing', () => {
  expect(didYouMean('nulable', ['nullable', 'name'])).toBe('did you mean "nullable"?');
  expect(didYouMean('qqqq', ['nullable', 'name'])).toBeUndefined();
});

test('candidates can be any iterable', () => {
  expect(closestName('amout', new Set(COLUMNS))).toBe('amount');
});
