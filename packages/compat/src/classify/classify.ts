// Classification: a verdict for each change under a mode, read from the rule table. Waived
// changes keep their verdict (so reports can show what was waived) but never count.
import type { CompatibilityMode } from '@pipectl/spec';
import type { Change } from '../diff/change.js';
import { RULES, type Verdict } from '../rules/rule-catalog.js';
import { baseModeOf } from '../rules/verdicts.js';

export interface ClassifiedChange extends Change {
  readonly verdict: Verdict;
  /** The earlier version this change was found against (set by `checkCompatibility`). */
  readonly against?: string;
}

/**
 * Adds the verdict of each change's rule under `mode` (`*_transitive` modes judge like their base).
 * @example classify(diff(v1, v2), 'forward')[0].verdict // 'breaking' for FIELD_REMOVED
 */
export function classify(changes: readonly Change[], mode: CompatibilityMode): ClassifiedChange[] {
  const base = baseModeOf(mode);
  return changes.map((change) => ({ ...change, verdict: RULES[change.rule].verdicts[base] }));
}

/** A change that blocks: breaking and not waived. */
export function isBlocking(change: ClassifiedChange): boolean {
  return change.verdict === 'breaking' && change.waived === undefined;
}

/** A change that needs a person's approval: review and not waived. */
export function needsApproval(change: ClassifiedChange): boolean {
  return change.verdict === 'review' && change.waived === undefined;
}
