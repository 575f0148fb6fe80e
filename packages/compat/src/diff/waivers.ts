// Waivers: the next contract's `except` entries. A waived change stays in the result, marked with
// the written reason, so reports show it; it never counts as breaking or as needing review.
import type { CompatibilityWaiver } from '@pipectl/spec';
import type { Change } from './change.js';

/**
 * True when a waiver covers a change: same rule, and no path, the same path, or a parent path
 * (`columns.address` covers `columns.address.type.city`).
 */
export function waiverMatches(waiver: CompatibilityWaiver, change: Change): boolean {
  if (waiver.rule !== change.rule) return false;
  if (waiver.path === undefined) return true;
  return change.path === waiver.path || change.path.startsWith(`${waiver.path}.`);
}

/** Marks each change the first matching waiver covers. */
export function applyWaivers(changes: readonly Change[], waivers: readonly CompatibilityWaiver[]): Change[] {
  return changes.map((change) => {
    const waiver = waivers.find((candidate) => waiverMatches(candidate, change));
    return waiver ? { ...change, waived: { reason: waiver.reason } } : change;
  });
}
