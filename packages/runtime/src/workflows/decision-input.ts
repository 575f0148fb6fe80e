// The one schema of an `approve`/`reject` payload, by update or by signal (the web UI's form sends
// whatever JSON a person types). Checked before anything is recorded, so a malformed payload is
// refused with its reason and never reaches publication. A table of fields and a pure function:
// workflow code stays free of dependencies, and the messages are ours.
import type { DecisionInput } from './run-types.js';

interface FieldRule {
  readonly required: boolean;
  readonly maxLength: number;
  /** What the field holds, for the refusal's message. */
  readonly holds: string;
}

/** The fields a decision may carry; any other key is refused. */
export const DECISION_FIELDS = {
  by: { required: true, maxLength: 200, holds: "the approver's name, as listed in the contract's approvers" },
  comment: { required: false, maxLength: 2000, holds: 'why, in words' },
  step: { required: false, maxLength: 200, holds: 'the waiting step decided, as `pipectl status` names it' },
  fingerprint: {
    required: false,
    maxLength: 64,
    holds: 'the fingerprint of the change reviewed, as `pipectl status` and Current Details show it',
  },
  signedAt: {
    required: false,
    maxLength: 40,
    holds: 'when the decision was signed, as `pipectl approve --print` wrote it',
  },
  signature: {
    required: false,
    maxLength: 2000,
    holds: 'the SSH signature of the decision, as `pipectl approve --print` wrote it',
  },
} as const satisfies Record<keyof DecisionInput, FieldRule>;

export type ParsedDecision =
  | { readonly ok: true; readonly input: DecisionInput }
  | { readonly ok: false; readonly reason: string };

/**
 * @example parseDecisionInput({ by: 'alice', comment: { x: 1 } })
 * // { ok: false, reason: 'invalid decision: "comment" must be a string (why, in words), not an object' }
 */
export function parseDecisionInput(payload: unknown): ParsedDecision {
  const refuse = (why: string): ParsedDecision => ({ ok: false, reason: `invalid decision: ${why}` });
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return refuse(`expected a JSON object like {"by": "alice", "comment": "why"}, not ${kindOf(payload)}`);
  }
  const record = payload as Record<string, unknown>;
  const allowed = Object.keys(DECISION_FIELDS);
  const unknown = Object.keys(record).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    return refuse(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')} (allowed: ${allowed.join(', ')})`,
    );
  }
  const input: Record<string, string> = {};
  for (const [name, rule] of Object.entries(DECISION_FIELDS) as [keyof DecisionInput, FieldRule][]) {
    const value = record[name];
    if (value === undefined) {
      if (rule.required) return refuse(`"${name}" is required: ${rule.holds}`);
      continue;
    }
    if (typeof value !== 'string')
      return refuse(`"${name}" must be a string (${rule.holds}), not ${kindOf(value)}`);
    if (name !== 'comment' && value.trim() === '')
      return refuse(`"${name}" must not be empty: ${rule.holds}`);
    if (value.length > rule.maxLength) {
      return refuse(`"${name}" is ${value.length} characters long; at most ${rule.maxLength} are allowed`);
    }
    input[name] = value;
  }
  return { ok: true, input: input as unknown as DecisionInput };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
