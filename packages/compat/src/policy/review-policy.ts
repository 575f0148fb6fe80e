// The project's review policy: what a "review" verdict (a change the checker can neither prove
// safe nor unsafe) does, per rule id or rule class. One pure answer for both gates: `pipectl
// check` (exit code, annotation level) and a run (pause for approval or publish), so CI and a
// waiting run never disagree about the same change.
import type { ReviewAction } from '@pipectl/spec';
import type { ClassifiedChange } from '../classify/classify.js';
import { isRuleId, RULE_CLASSES, RULES, type RuleClass, type RuleId } from '../rules/rule-catalog.js';

export interface ReviewPolicy {
  /** For review changes no entry of `rules` names. */
  readonly default: ReviewAction;
  /** By rule id or rule class; a rule id wins over its class. */
  readonly rules: Readonly<Record<string, ReviewAction>>;
}

/** Review reaches a person: it fails the check unless waived, and pauses a run. */
export const DEFAULT_REVIEW_POLICY: ReviewPolicy = { default: 'fail', rules: {} };

/** What the policy does with a review verdict of `rule`. */
export function reviewActionOf(rule: RuleId | string, policy: ReviewPolicy): ReviewAction {
  const byClass = isRuleId(rule) ? policy.rules[RULES[rule].class] : undefined;
  return policy.rules[rule] ?? byClass ?? policy.default;
}

/** A change as a run reports it: the rule id may be any string, a waiver only a flag. */
export interface GatedChange {
  readonly rule: string;
  readonly verdict: string;
  readonly waived?: unknown;
}

/** Keys of `policy.rules` that are neither a rule id nor a rule class. */
export function unknownPolicyKeys(policy: ReviewPolicy): string[] {
  return Object.keys(policy.rules).filter(
    (key) => !isRuleId(key) && !(RULE_CLASSES as readonly string[]).includes(key as RuleClass),
  );
}

/**
 * What `pipectl check` makes of one change: `fail` fails the check (exit 1, an error annotation),
 * `warn` passes with a warning (an approver decides when a run publishes it), `notice` passes.
 * A waived change (`except` in the contract) never fails.
 */
export type CheckGate = 'fail' | 'warn' | 'notice';

export function checkGateOf(change: ClassifiedChange, policy: ReviewPolicy): CheckGate {
  if (change.waived !== undefined || change.verdict === 'compatible') return 'notice';
  if (change.verdict === 'breaking') return 'fail';
  const action = reviewActionOf(change.rule, policy);
  return action === 'fail' ? 'fail' : action === 'approve' ? 'warn' : 'notice';
}

/**
 * What a run does before publishing: `breaking` and `review` pause for an approver's decision,
 * `compatible` publishes. A review change the policy allows does not pause the run.
 * @example runGateOf([{ rule: 'PATTERN_CHANGED', verdict: 'review', ... }], { default: 'allow', rules: {} }) // 'compatible'
 */
export function runGateOf(
  changes: readonly GatedChange[],
  policy: ReviewPolicy,
): 'breaking' | 'review' | 'compatible' {
  const open = changes.filter((change) => change.waived === undefined || change.waived === false);
  if (open.some((change) => change.verdict === 'breaking')) return 'breaking';
  const paused = open.some(
    (change) => change.verdict === 'review' && reviewActionOf(change.rule, policy) !== 'allow',
  );
  return paused ? 'review' : 'compatible';
}
