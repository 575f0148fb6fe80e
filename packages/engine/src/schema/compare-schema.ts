// Is what a build would publish compatible with what consumers last saw? The registry keeps the
// contract of every publication; @pipectl/compat diffs and classifies, under the contract's mode.
import { type CompatibilityReport, checkCompatibility, isTransitive } from '@pipectl/compat';
import type { CompatibilityMode, Contract } from '@pipectl/spec';

/**
 * Compares the observed contract with the last published one (none: a new dataset) under `mode`
 * (default: the mode the last publication promised).
 * @example compare(observedContract(contract, columns), last?.schema, 'forward').breaking
 */
export function compare(
  observed: Contract,
  lastPublished: Contract | undefined,
  mode?: CompatibilityMode,
): CompatibilityReport {
  return checkCompatibility(lastPublished ? [lastPublished] : [], observed, mode);
}

/** Like `compare`, against every earlier publication (oldest first) when the mode is transitive. */
export function compareWithHistory(
  observed: Contract,
  history: readonly Contract[],
  mode?: CompatibilityMode,
): CompatibilityReport {
  const effective = mode ?? history[history.length - 1]?.compatibility ?? observed.compatibility;
  const against = isTransitive(effective) ? history : history.slice(-1);
  return checkCompatibility(against, observed, effective);
}

/** A compatibility report cut down for payloads: the verdict and each change in one line. */
export interface CompatibilitySummary {
  readonly mode: CompatibilityMode;
  readonly fromVersion?: string;
  readonly toVersion?: string;
  readonly breaking: boolean;
  readonly needsReview: boolean;
  readonly changes: readonly {
    readonly rule: string;
    readonly path: string;
    readonly verdict: string;
    readonly message: string;
    readonly waived?: boolean;
  }[];
}

export function summarizeCompatibility(report: CompatibilityReport, maxChanges = 50): CompatibilitySummary {
  return {
    mode: report.mode,
    ...(report.fromVersion !== undefined ? { fromVersion: report.fromVersion } : {}),
    ...(report.toVersion !== undefined ? { toVersion: report.toVersion } : {}),
    breaking: report.breaking,
    needsReview: report.needsReview,
    changes: report.changes.slice(0, maxChanges).map((change) => ({
      rule: change.rule,
      path: change.path,
      verdict: change.verdict,
      message: change.message.length > 300 ? `${change.message.slice(0, 300)}…` : change.message,
      ...(change.waived ? { waived: true } : {}),
    })),
  };
}
