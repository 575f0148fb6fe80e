// The review policy decides what a review verdict does in `pipectl check` and in a run; a rule id
// wins over its class, its class over the default.
import { describe, expect, test } from 'vitest';
import {
  type ClassifiedChange,
  checkGateOf,
  DEFAULT_REVIEW_POLICY,
  diff,
  reviewActionOf,
  runGateOf,
  unknownPolicyKeys,
} from '../src/index.js';
import { contractYaml } from './support/fixtures.js';

const review = (rule: ClassifiedChange['rule']): ClassifiedChange => ({
  rule,
  path: 'columns.sku.pattern',
  verdict: 'review',
  message: 'review me',
});

describe('the review policy', () => {
  test('by default review reaches a person: it fails the check and pauses a run', () => {
    expect(checkGateOf(review('PATTERN_CHANGED'), DEFAULT_REVIEW_POLICY)).toBe('fail');
    expect(runGateOf([review('PATTERN_CHANGED')], DEFAULT_REVIEW_POLICY)).toBe('review');
  });

  test('a rule id wins over its class, and its class over the default', () => {
    const policy = {
      default: 'fail' as const,
      rules: { constraint: 'allow' as const, PATTERN_CHANGED: 'approve' as const },
    };
    expect(reviewActionOf('PATTERN_CHANGED', policy)).toBe('approve');
    expect(reviewActionOf('ENUM_VALUE_ADDED', policy)).toBe('allow');
    expect(reviewActionOf('RELATIONSHIP_REMOVED', policy)).toBe('fail');
  });

  test('approve passes the check with a warning and pauses a run; allow passes both', () => {
    const approve = { default: 'approve' as const, rules: {} };
    const allow = { default: 'allow' as const, rules: {} };
    expect([
      checkGateOf(review('FIELD_DEFAULT_CHANGED'), approve),
      runGateOf([review('FIELD_DEFAULT_CHANGED')], approve),
    ]).toEqual(['warn', 'review']);
    expect([
      checkGateOf(review('FIELD_DEFAULT_CHANGED'), allow),
      runGateOf([review('FIELD_DEFAULT_CHANGED')], allow),
    ]).toEqual(['notice', 'compatible']);
  });

  test('breaking always fails and pauses, a waiver always passes, whatever the policy', () => {
    const allow = { default: 'allow' as const, rules: {} };
    const breaking: ClassifiedChange = { ...review('FIELD_REMOVED'), verdict: 'breaking' };
    expect([checkGateOf(breaking, allow), runGateOf([breaking], allow)]).toEqual(['fail', 'breaking']);
    const waived = { ...breaking, waived: { reason: 'agreed' } };
    expect([checkGateOf(waived, DEFAULT_REVIEW_POLICY), runGateOf([waived], DEFAULT_REVIEW_POLICY)]).toEqual([
      'notice',
      'compatible',
    ]);
  });

  test('names the policy keys that are neither a rule id nor a class', () => {
    expect(
      unknownPolicyKeys({
        default: 'fail',
        rules: { PATTERN_CHANGD: 'allow', quality: 'allow', FIELD_RENAMED: 'fail' },
      }),
    ).toEqual(['PATTERN_CHANGD']);
  });
});

describe('pattern changes are decided where a value proves them', () => {
  const withPattern = (pattern: string) =>
    contractYaml(`
      columns:
        - name: sku
          type: varchar
          pattern: "${pattern}"
    `);
  const rules = (before: string, after: string) =>
    diff(withPattern(before), withPattern(after)).map((c) => c.rule);

  test('two patterns with values only one admits, both ways, are tightened and relaxed', () => {
    expect(rules('^[a-z]+$', '^[A-Z]+$')).toEqual(['CONSTRAINT_TIGHTENED', 'CONSTRAINT_RELAXED']);
  });

  test('a pattern that admits more is relaxed; the other direction stays for review', () => {
    expect(rules('^[A-Z]{3}-[0-9]{4}$', '^[A-Z]{2,3}-[0-9]{4,6}$')).toEqual([
      'CONSTRAINT_RELAXED',
      'PATTERN_CHANGED',
    ]);
  });

  test('a rewrite no value tells apart stays for review, with the message saying so', () => {
    const changes = diff(withPattern('^[0-9]{4}$'), withPattern('^\\\\d{4}$'));
    expect(changes.map((c) => [c.rule, c.message])).toEqual([
      [
        'PATTERN_CHANGED',
        'column "sku" pattern changed from "^[0-9]{4}$" to "^\\\\d{4}$" (no value was found that one admits and the other rejects)',
      ],
    ]);
  });
});
