// The shapes a check returns: per contract, its changes (each with a verdict, its place in the
// YAML and, when it matters, the consumers it reaches), its version check; per run, a summary.
// Plain JSON-safe data: the CLI renders it as text, JSON, GitHub annotations or JUnit.
import type { CheckGate, ClassifiedChange, ReviewPolicy, VersionCheck } from '@pipectl/compat';
import type { CompatibilityMode, Issue } from '@pipectl/spec';
import type { ChangeLocation } from '../contract/locate-change.js';

/** Who a change reaches downstream, from a lineage graph. */
export interface ChangeImpact {
  /** What was asked for: a dataset (`schema.table`) or a column (`schema.table.column`). */
  readonly target: string;
  /** Whose lineage answered: the head's, or the base's for what the head no longer has. */
  readonly graph: 'head' | 'base';
  readonly datasets: readonly { readonly name: string; readonly owner: string; readonly distance: number }[];
  readonly columns: readonly string[];
  readonly pipelines: readonly { readonly name: string; readonly owner: string | null }[];
  /** Everyone to tell: owners of the datasets and pipelines reached. */
  readonly owners: readonly string[];
}

export interface CheckedChange extends ClassifiedChange {
  /**
   * What the check makes of it, from the verdict and the project's review policy: `fail` fails the
   * check (an error), `warn` passes with a warning (an approver decides at publication), `notice`
   * passes.
   */
  readonly gate: CheckGate;
  /** Where the change is written (absent only when no version of the contract has a place for it). */
  readonly location?: ChangeLocation;
  /** Consumers reached, for breaking and review changes. */
  readonly impact?: ChangeImpact;
  /** Why the verdict differs from the rule table's, when it does. */
  readonly note?: string;
}

/** `moved`: only the file's path changed. */
export type ContractStatus = 'added' | 'removed' | 'changed' | 'moved';

export interface ContractCheck {
  readonly dataset: string;
  readonly status: ContractStatus;
  /** Project-relative file at the head; the base's for a removed contract. */
  readonly file: string;
  /** The file at the base, when it had another path. */
  readonly previousFile?: string;
  /** The dataset name at the base, when it changed. */
  readonly previousDataset?: string;
  readonly owner: string;
  /** The mode the changes are judged under: the base version's promise. */
  readonly mode: CompatibilityMode;
  readonly fromVersion?: string;
  readonly toVersion?: string;
  /** Every version compared with, oldest first (several in *_transitive modes). */
  readonly comparedWith: readonly string[];
  readonly changes: readonly CheckedChange[];
  readonly versionCheck: VersionCheck;
  /** Where `version:` is written at the head. */
  readonly versionLocation?: ChangeLocation;
  /** Some change is breaking and not waived. */
  readonly breaking: boolean;
  /** Some change needs review and is not waived. */
  readonly needsReview: boolean;
  /** A change whose gate is `fail` (breaking, or review under a `fail` policy), or the version check failed. */
  readonly failed: boolean;
  /** The contract's page in the catalog site, when the project sets `docs.url`. */
  readonly docsPage?: string;
}

export interface CheckSummary {
  /** Contracts with a change (or a new path). */
  readonly contracts: number;
  /** Contracts compared and found unchanged. */
  readonly unchanged: number;
  readonly changes: number;
  /** Changes judged breaking, waived or not. */
  readonly breaking: number;
  readonly review: number;
  readonly compatible: number;
  /** Changes waived with `except` (approved): shown, never failing. */
  readonly waived: number;
  /** Breaking changes not waived: each fails the check. */
  readonly unapprovedBreaking: number;
  /** Review changes not waived that the review policy fails. */
  readonly failingReview: number;
  /** Contracts whose version bump is wrong (missing, downgraded, invalid). */
  readonly versionErrors: number;
  /** Errors that make the head invalid (the check cannot vouch for it). */
  readonly headErrors: number;
  readonly warnings: number;
  /** Some unapproved breaking change, failing review change or version error. */
  readonly failed: boolean;
}

export interface RepositoryCheckReport {
  /** Absolute path of the repository's top level. */
  readonly repository: string;
  /** Repository-relative project directory (`.` for the top level); report files are relative to it. */
  readonly project: string;
  readonly base: { readonly ref: string; readonly commit: string };
  /** `WORKTREE` for the working tree as it is on disk. */
  readonly head: { readonly ref: string; readonly commit?: string };
  /** With `changedOnly`, the project-relative files git reported as changed, which were the only ones compared. */
  readonly selection: {
    readonly changedOnly: boolean;
    readonly changedFiles?: readonly string[];
    /** With `--select`/`--exclude`: the datasets chosen at the head (contracts are reported for them, or when a change reaches one). */
    readonly datasets?: readonly string[];
  };
  /** Contracts with a change, sorted by file. */
  readonly contracts: readonly ContractCheck[];
  /** The project's review policy the changes were judged with. */
  readonly reviewPolicy: ReviewPolicy;
  /** Problems at the head (errors make it invalid), and warnings about the base or skipped files. */
  readonly issues: readonly Issue[];
  readonly summary: CheckSummary;
}

/** Counts over contract checks and issues. */
export function summarize(
  contracts: readonly ContractCheck[],
  issues: readonly Issue[] = [],
  unchanged = 0,
): CheckSummary {
  const changes = contracts.flatMap((contract) => contract.changes);
  const count = (test: (change: CheckedChange) => boolean) => changes.filter(test).length;
  const unapprovedBreaking = count((change) => change.verdict === 'breaking' && !change.waived);
  const failingReview = count((change) => change.verdict === 'review' && change.gate === 'fail');
  const versionErrors = contracts.filter((contract) => !contract.versionCheck.ok).length;
  const headErrors = issues.filter((issue) => issue.severity === 'error').length;
  return {
    contracts: contracts.length,
    unchanged,
    changes: changes.length,
    breaking: count((change) => change.verdict === 'breaking'),
    review: count((change) => change.verdict === 'review'),
    compatible: count((change) => change.verdict === 'compatible'),
    waived: count((change) => change.waived !== undefined),
    unapprovedBreaking,
    failingReview,
    versionErrors,
    headErrors,
    warnings: issues.length - headErrors,
    failed: unapprovedBreaking > 0 || failingReview > 0 || versionErrors > 0,
  };
}
