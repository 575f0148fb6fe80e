// @pipectl/spec: the YAML language of pipectl. Schemas and types for Contract, Pipeline and
// Project documents, a loader that keeps source positions, JSON Schema for editors, row schemas.

export {
  type AllowedSigner,
  APPROVAL_NAMESPACE,
  parseAllowedSigners,
  sshFingerprint,
} from './approvals/allowed-signers.js';
export { docsPageUrl } from './docs-site/docs-page-url.js';
export { closestName, didYouMean } from './issues/did-you-mean.js';
export {
  formatIssuePath,
  hasErrors,
  type Issue,
  type IssuePath,
  type IssueSeverity,
  type Span,
  sortIssues,
} from './issues/issue.js';
export { ISSUE_CODES, type IssueCode } from './issues/issue-codes.js';
export { PipectlError } from './issues/pipectl-error.js';
export { documentJsonSchemaText } from './json-schema/document-json-schema.js';
export { checkColumn } from './loader/document-rules.js';
export {
  type ContractDocument,
  type ParseResult,
  type PipelineDocument,
  type ProjectDocument,
  parseDocument,
} from './loader/parse-document.js';
export { SourceMap } from './loader/source-map.js';
export { createRowValidator } from './rows/row-schema.js';
export { confineSourcePath, readableRoots } from './sandbox/source-path.js';
export * from './schema/common.js';
export * from './schema/contract.js';
export * from './schema/pipeline.js';
export * from './schema/project.js';
export * from './schema/quality-check.js';
export * from './schema/target.js';
export {
  type Environment,
  missingVariableIssue,
  type ResolvedTarget,
  resolveTarget,
  unsetTargetVariables,
} from './targets/resolve-target.js';
export { checkColumnType } from './types/check-column-type.js';
export * from './types/data-type.js';
export { DURATION_PATTERN, parseDuration } from './types/duration.js';
export { sameStorage, storageType } from './types/storage-type.js';
