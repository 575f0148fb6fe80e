// The compatibility check of one dataset: diff the next contract against the latest earlier
// version (or, for *_transitive modes, against every earlier version), classify under the mode,
// and check the version bump. Returns a report; rendering and exit codes belong to the CLI.
import type { CompatibilityMode, Contract } from '@pipectl/spec';
import { type DiffOptions, diffContracts } from '../diff/diff-contracts.js';
import { isTransitive, stricterVerdict } from '../rules/verdicts.js';
import { checkVersionBump, requiredBump, type VersionCheck } from '../version/check-version-bump.js';
import { type ClassifiedChange, classify, isBlocking, needsApproval } from './classify.js';

export interface CompatibilityReport {
  readonly dataset: string;
  readonly mode: CompatibilityMode;
  /** The earliest version compared with (the latest one unless the mode is transitive); absent for a new dataset. */
  readonly fromVersion?: string;
  /** Absent when the dataset is removed. */
  readonly toVersion?: string;
  /** Every version compared with, oldest first. */
  readonly comparedWith: readonly string[];
  /** One per rule and path; across several versions, the strictest verdict is kept. */
  readonly changes: readonly ClassifiedChange[];
  /** Some change is breaking and not waived. */
  readonly breaking: boolean;
  /** Some change needs review (an approval) and is not waived. */
  readonly needsReview: boolean;
  /** The version bump from the latest earlier version. */
  readonly versionCheck: VersionCheck;
}

/**
 * Checks `next` against the history of published versions (oldest first) under `mode`, which
 * defaults to the mode the latest published version promised: a change cannot escape the promise
 * it is changing (COMPATIBILITY_MODE_CHANGED reports the change of mode itself).
 * @example checkCompatibility([v1, v2], v3).breaking // true when v3 removes a column of v2 under forward
 */
export function checkCompatibility(
  history: readonly Contract[],
  next: Contract | undefined,
  mode?: CompatibilityMode,
  options: DiffOptions = {},
): CompatibilityReport {
  const latest = history[history.length - 1];
  const effectiveMode = mode ?? latest?.compatibility ?? next?.compatibility ?? 'forward';
  const earlier = isTransitive(effectiveMode) ? history : latest ? [latest] : [];
  const comparisons: readonly (Contract | undefined)[] = earlier.length > 0 ? earlier : [undefined];

  // Newest first, so a tie keeps the change found against the closest version.
  const merged = new Map<string, ClassifiedChange>();
  let latestChanges: ClassifiedChange[] = [];
  for (const previous of [...comparisons].reverse()) {
    const classified = classify(diffContracts(previous, next, options), effectiveMode).map((change) =>
      previous ? { ...change, against: previous.version } : change,
    );
    if (previous === latest) latestChanges = classified;
    for (const change of classified) {
      const key = `${change.rule}\u0000${change.path}`;
      const kept = merged.get(key);
      if (!kept || stricterVerdict(kept.verdict, change.verdict) !== kept.verdict) merged.set(key, change);
    }
  }
  const changes = [...merged.values()];
  const first = comparisons[0];
  return {
    dataset: next?.name ?? latest?.name ?? '',
    mode: effectiveMode,
    ...(first ? { fromVersion: first.version } : {}),
    ...(next ? { toVersion: next.version } : {}),
    comparedWith: earlier.map((contract) => contract.version),
    changes,
    breaking: changes.some(isBlocking),
    needsReview: changes.some(needsApproval),
    versionCheck: versionCheckOf(latest, next, latestChanges),
  };
}

function versionCheckOf(
  latest: Contract | undefined,
  next: Contract | undefined,
  changes: readonly ClassifiedChange[],
): VersionCheck {
  if (latest && next) return checkVersionBump(latest.version, next.version, changes);
  const required = requiredBump(changes);
  const version = next?.version ?? latest?.version ?? '';
  const message = next
    ? `first version ${next.version} of a new dataset`
    : `dataset removed at version ${version}`;
  return { ok: true, required, actual: 'none', suggested: version, message };
}
