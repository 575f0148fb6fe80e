// @pipectl/check: a repository's contracts checked against a git base. Reads the base revision
// from git without a checkout, pairs each contract with its base version, judges every change
// with @pipectl/compat, places it in the YAML, and names the consumers it reaches from the
// lineage graph. Returns reports; the CLI renders them.
export { checkContract } from './contract/check-contract.js';
export { impactOf } from './impact/change-impact.js';
export type {
  ChangeImpact,
  CheckedChange,
  CheckSummary,
  ContractCheck,
  RepositoryCheckReport,
} from './report/check-report.js';
export { type CheckRepositoryOptions, checkRepository, WORKTREE } from './repository/check-repository.js';
