// The fingerprint of a breaking change as an approver sees it: the step and dataset, the plan of
// the step (its SQL and contract, through the plan's own fingerprint) and the compatibility report
// shown in `pipectl status` and Current Details (versions, mode, every change, the consumers).
// A decision may name it, and is refused when it names another: an approval approves exactly the
// change its approver saw. Pure and deterministic, computed inside the workflow.

import type { CompatibilitySummary } from './run-types.js';
import { sha256Hex } from './sha256.js';
import { stableJson } from './stable-json.js';

/**
 * @example changeFingerprint({ step: 'daily_revenue', dataset: 'mart.daily_revenue', plan: step.fingerprint, compatibility })
 * // '3f9c0a5e1b2d4c6f'
 */
export function changeFingerprint(args: {
  readonly step: string;
  readonly dataset: string;
  /** The planned step's fingerprint (PlannedStep.fingerprint). */
  readonly plan: string;
  readonly compatibility: CompatibilitySummary;
}): string {
  return sha256Hex(stableJson(args)).slice(0, 16);
}
