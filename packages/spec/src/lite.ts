// @pipectl/spec/lite: the part of spec that loads no schema or YAML library (zod, ajv, yaml): issues
// as data, the issue-code catalog, and the names of compatibility modes and document kinds. For
// callers whose start-up matters: the CLI builds its commands and help from these, and loads the
// full `@pipectl/spec` only inside a command that reads documents.
export { didYouMean } from './issues/did-you-mean.js';
export { formatIssuePath, type Issue, sortIssues } from './issues/issue.js';
export { ISSUE_CODES } from './issues/issue-codes.js';
export { isPipectlError, PipectlError } from './issues/pipectl-error.js';
export { SCHEMA_KINDS, type SchemaKind } from './json-schema/schema-kinds.js';
export { COMPATIBILITY_MODES, type CompatibilityMode } from './schema/compatibility-modes.js';
