// The skip rule both walkers follow, as a table: what a step waits on, and whether it starts.
import { describe, expect, test } from 'vitest';
import { type StepStartInput, stepStart } from '../src/step-start.js';

const published = (name: string) => ({ name, published: true });
const unpublished = (name: string) => ({ name, published: false });

describe('stepStart', () => {
  test.each<[string, StepStartInput, ReturnType<typeof stepStart>]>([
    ['a step without upstream starts', { upstream: [] }, { start: true }],
    [
      'a step whose upstream all published starts',
      { upstream: [published('clean'), published('enrich')] },
      { start: true },
    ],
    [
      'a step downstream of one that did not publish is skipped, naming it',
      { upstream: [published('clean'), unpublished('enrich')] },
      { start: false, reason: 'step "enrich" did not publish' },
    ],
    [
      'the first upstream in declared order that did not publish is the one named',
      { upstream: [unpublished('b'), unpublished('a')] },
      { start: false, reason: 'step "b" did not publish' },
    ],
    [
      'a halted run starts nothing, whatever the upstream',
      { halted: 'source "orders" failed', upstream: [published('clean')] },
      { start: false, reason: 'source "orders" failed' },
    ],
    [
      'a halt is named before an upstream that did not publish',
      { halted: 'a step failed', upstream: [unpublished('clean')] },
      { start: false, reason: 'a step failed' },
    ],
    [
      'an upstream that did not publish is named before the step being unfit',
      { upstream: [unpublished('clean')], unfit: 'no contract for mart.orders' },
      { start: false, reason: 'step "clean" did not publish' },
    ],
    [
      'a step that cannot be built is skipped with its own reason',
      { upstream: [published('clean')], unfit: 'its SQL did not compile' },
      { start: false, reason: 'its SQL did not compile' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(stepStart(input)).toEqual(expected);
  });
});
