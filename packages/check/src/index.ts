// @pipectl/check: a repository's contracts checked against a git base. Reads the base revision
// from git without a checkout, pairs each contract with its base version, judges every change
// with @pipectl/compat, places it in the YAML, and names the consumers it reaches from the
// lineage graph. Returns reports; the CLI renders them.
export { type ContractVersions, checkContract } from './contract/check-contract.js';
export { type ChangeLocation, locateChange, yamlPathOf } from './contract/locate-change.js';
export {
  DEFAULT_MAX_FILE_BYTES,
  formatBytes,
  type GuardedFiles,
  guardFiles,
  type SkippedFile,
  type SkipReason,
} from './files/guarded-files.js';
export { type SizedProjectFiles, worktreeFiles } from './files/sized-files.js';
export { type BatchObject, catFileBatch, parseBatchOutput } from './git/cat-file-batch.js';
export {
  changedFiles,
  type FileChange,
  type FileChangeStatus,
  parseNameStatus,
} from './git/changed-files.js';
export { contractHistories, type HistoryRequest } from './git/contract-history.js';
export { type FileRevision, fileHistory } from './git/file-history.js';
export { createGitFiles, type GitFilesOptions } from './git/git-files.js';
export { createGit, type Git, GitCommandError, type GitRunOptions } from './git/git-runner.js';
export { changeImpact, type ImpactContext, impactOf } from './impact/change-impact.js';
export {
  type ChangeImpact,
  type CheckedChange,
  type CheckSummary,
  type ContractCheck,
  type ContractStatus,
  type RepositoryCheckReport,
  summarize,
} from './report/check-report.js';
export { CheckError, type CheckErrorCode } from './repository/check-error.js';
export { type CheckRepositoryOptions, checkRepository, WORKTREE } from './repository/check-repository.js';
export { memoSqlParser } from './sql/memo-sql-parser.js';
