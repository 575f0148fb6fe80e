// One contract, two versions: the compat verdicts and version check of @pipectl/compat, placed in
// the YAML. Pure: documents in, a ContractCheck out. `pipectl diff` uses it on two files, and
// checkRepository on every contract that changed between two revisions (adding the impact).
import { checkCompatibility, checkGateOf, DEFAULT_REVIEW_POLICY, type ReviewPolicy } from '@pipectl/compat';
import type { CompatibilityMode, Contract, ContractDocument } from '@pipectl/spec';
import type { CheckedChange, ContractCheck, ContractStatus } from '../report/check-report.js';
import { locateChange } from './locate-change.js';

export interface ContractVersions {
  /** The contract at the base; absent for a new contract. */
  readonly base?: ContractDocument;
  /** The contract at the head; absent for a removed contract. */
  readonly head?: ContractDocument;
  /**
   * Earlier published versions, oldest first, ending with the base's, for *_transitive modes.
   * Defaults to the base alone.
   */
  readonly history?: readonly Contract[];
  /** Judge under this mode instead of the base version's. */
  readonly mode?: CompatibilityMode;
  /** What review verdicts do (default: they fail). */
  readonly policy?: ReviewPolicy;
  /** Today (`YYYY-MM-DD`, UTC), for removals against a `deprecation` date (default: the current date). */
  readonly today?: string;
}

/**
 * Compares two versions of a contract.
 * @example checkContract({ base, head }).changes[0] // { rule: 'FIELD_REMOVED', verdict: 'breaking', location: { line: 12, ... } }
 */
export function checkContract({ base, head, history, mode, policy, today }: ContractVersions): ContractCheck {
  const earlier = history ?? (base ? [base.value] : []);
  const report = checkCompatibility(earlier, head?.value, mode, today === undefined ? {} : { today });
  const reviewPolicy = policy ?? DEFAULT_REVIEW_POLICY;
  const changes: CheckedChange[] = report.changes.map((change) => {
    const location = locateChange(change, head, base);
    const gate = checkGateOf(change, reviewPolicy);
    return location ? { ...change, gate, location } : { ...change, gate };
  });
  const moved = base && head && base.file !== head.file;
  const status: ContractStatus = !base
    ? 'added'
    : !head
      ? 'removed'
      : changes.length > 0
        ? 'changed'
        : 'moved';
  const document = (head ?? base) as ContractDocument;
  const versionSpan = head?.sourceMap.spanOf(['version']);
  const failed = changes.some((change) => change.gate === 'fail') || !report.versionCheck.ok;
  return {
    dataset: report.dataset,
    status,
    file: document.file,
    ...(moved ? { previousFile: base.file } : {}),
    ...(base && head && base.value.name !== head.value.name ? { previousDataset: base.value.name } : {}),
    owner: document.value.owner,
    mode: report.mode,
    ...(report.fromVersion !== undefined ? { fromVersion: report.fromVersion } : {}),
    ...(report.toVersion !== undefined ? { toVersion: report.toVersion } : {}),
    comparedWith: report.comparedWith,
    changes,
    versionCheck: report.versionCheck,
    ...(head && versionSpan
      ? {
          versionLocation: {
            file: head.file,
            line: versionSpan.line,
            col: versionSpan.col,
            side: 'head' as const,
          },
        }
      : {}),
    breaking: report.breaking,
    needsReview: report.needsReview,
    failed,
  };
}
