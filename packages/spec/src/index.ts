// @pipectl/spec: the YAML language of pipectl. Schemas and types for Contract, Pipeline and
// Project documents, a loader that keeps source positions, JSON Schema for editors, row schemas.

export {
  type AllowedSigner,
  type AllowedSignersResult,
  APPROVAL_NAMESPACE,
  parseAllowedSigners,
  sshFingerprint,
} from './approvals/allowed-signers.js';
export { type DocsPageKind, docsPageUrl } from './docs-site/docs-page-url.js';
export { closestName, didYouMean, editDistance } from './issues/did-you-mean.js';
export {
  formatIssuePath,
  hasErrors,
  type Issue,
  type IssuePath,
  type IssueSeverity,
  type Span,
  sortIssues,
} from './issues/issue.js';
export { ISSUE_CODES, type IssueCode, type IssueCodeInfo } from './issues/issue-codes.js';
export {
  type ErrorPlace,
  isPipectlError,
  PipectlError,
  type PipectlErrorOptions,
} from './issues/pipectl-error.js';
export {
  documentJsonSchema,
  documentJsonSchemaText,
  SCHEMA_FILES,
  SCHEMA_KINDS,
  type SchemaKind,
} from './json-schema/document-json-schema.js';
export { checkColumn, checkQualityList } from './loader/document-rules.js';
export {
  type ContractDocument,
  DOCUMENT_KINDS,
  type DocumentKind,
  type ParseResult,
  type PipectlDocument,
  type PipelineDocument,
  type ProjectDocument,
  parseDocument,
} from './loader/parse-document.js';
export { describeValue } from './loader/schema-issues.js';
export { SourceMap } from './loader/source-map.js';
export {
  contractRowSchema,
  createRowValidator,
  type RowProblem,
  type RowValidator,
} from './rows/row-schema.js';
export {
  confineSourcePath,
  type PathVerdict,
  readableRoots,
  staticBase,
} from './sandbox/source-path.js';
export { checkCron, checkTimeZone, type ScheduleProblem } from './schedule/check-schedule.js';
export * from './schema/common.js';
export * from './schema/contract.js';
export * from './schema/pipeline.js';
export * from './schema/project.js';
export * from './schema/quality-check.js';
export * from './schema/target.js';
export {
  type Environment,
  literalSecretOf,
  missingVariableIssue,
  type ResolvedTarget,
  type ResolvedTemporal,
  resolveTarget,
  type TargetResolution,
  type TargetVariable,
  targetNames,
  unsetTargetVariables,
} from './targets/resolve-target.js';
export {
  checkColumnType,
  isNumericType,
  isTemporalType,
  type TypeMisfit,
} from './types/check-column-type.js';
export * from './types/data-type.js';
export { DURATION_PATTERN, parseDuration } from './types/duration.js';
export { sameStorage, storageType } from './types/storage-type.js';
