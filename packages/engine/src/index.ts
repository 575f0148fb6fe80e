// @pipectl/engine: everything a pipeline step does to data, in DuckDB, without Temporal.

export {
  type CsvProblem,
  ExtractError,
  type ExtractPlace,
  MalformedCsvError,
  MalformedJsonError,
  PostgresSourceError,
  type RejectedRecord,
  RejectedRecordsError,
  SourceConfigError,
  SourceFileError,
  SourceValueError,
} from './extract/extract-errors.js';
export type {
  ExtractCursor,
  ExtractMode,
  ExtractReport,
  ExtractTimings,
  QuarantineSample,
  SourceDrift,
} from './extract/extract-report.js';
export { type ExtractSourceOptions, extractSource } from './extract/extract-source.js';
export { EXTRACT_STATE_TABLE, type ExtractState, readExtractState } from './extract/extract-state.js';
export {
  type CommittedSource,
  commitStagedSource,
  discardStagedSource,
  extractReportOf,
  type StagedSource,
  type StageSourceOptions,
  stageSource,
} from './extract/staged-source.js';
export {
  type PublishBlock,
  type PublishReport,
  type PublishStatus,
  type PublishStepInput,
  publishStep,
} from './publish/publish-step.js';
export type {
  CheckKind,
  JudgeContext,
  Measurement,
  RelationVerdict,
  RequiredColumn,
  SqlContext,
} from './quality/check-kind.js';
export { CHECK_KINDS, kindOf, type RuleKind } from './quality/check-kinds.js';
export type { CheckOrigin, CheckSpec, RuleOf } from './quality/check-spec.js';
export { deriveChecks } from './quality/derive-checks.js';
export { type MeasuredCheck, planScan, ROW_COUNT_SLOT, type ScanPlan } from './quality/plan-scan.js';
export type { CheckResult, CheckStatus, QualityReport, QualitySummary } from './quality/quality-report.js';
export { type QuarantineEntry, type QuarantineOutcome, quarantineRows } from './quality/quarantine-rows.js';
export { checkReadOnlySelect, type ReadOnlyVerdict } from './quality/read-only-sql.js';
export { type QualityGateInput, runQualityGate } from './quality/run-quality-gate.js';
export { createSqlContext } from './quality/sql-context.js';
export { allowedFailing, describeThreshold, type Threshold, thresholdOf } from './quality/threshold.js';
export { checkResultHistory } from './registry/check-results.js';
export {
  type Approval,
  type ApprovalSignature,
  ensureRegistry,
  findPublication,
  latestPublication,
  type PublishedVersion,
  publicationHistory,
  REGISTRY_TABLE,
  recordPublication,
  relationAtVersion,
} from './registry/published-versions.js';
export { schemaHash } from './registry/schema-hash.js';
export { capString, type JsonRow, type JsonValue, toJsonSafe } from './report/json-safe.js';
export type { ProgressEvent, ProgressSink } from './report/progress.js';
export {
  checkOutputSchema,
  type SchemaCheck,
  type SchemaProblem,
  type SchemaProblemCode,
} from './schema/check-output-schema.js';
export {
  type CompatibilitySummary,
  compare,
  compareWithHistory,
  summarizeCompatibility,
} from './schema/compare-schema.js';
export { observeSchema, toContractColumns } from './schema/observe-schema.js';
export { observedContract, schemaContract } from './schema/observed-contract.js';
export {
  dropRelation,
  quoteRelation,
  type RelationKind,
  type RelationName,
  relationKind,
  relationNameOf,
} from './schema/relation-name.js';
export { sameStorage, storageType } from './schema/storage-type.js';
export { type BuildReport, type BuildStatus, type BuildStepInput, buildStep } from './steps/build-step.js';
export { discardStaged } from './steps/discard-staged.js';
export { type LandedSource, type LandSourceInput, landSource } from './steps/land-source.js';
export {
  type PipelineReport,
  type PipelineToRun,
  type RunPipelineInput,
  runPipeline,
  type SourceRun,
  type StepRun,
} from './steps/run-pipeline.js';
export { type RunStepInput, runStep, type StepReport, type StepStatus } from './steps/run-step.js';
export { type StageResult, type StageStepInput, type StepIdentity, stageStep } from './steps/stage-step.js';
export { STAGING_PREFIX, stagingNameOf } from './steps/staging-name.js';
export {
  type OpenReadOnlyOptions,
  openDuckdbFileReadOnly,
  openTargetReadOnly,
  VERIFIED_ALIAS,
} from './verify/open-read-only.js';
export {
  type CopiedPostgresTable,
  copyPostgresTable,
  type PostgresTableInput,
} from './verify/postgres-table.js';
export { type VerifyDatasetInput, verifyDataset } from './verify/verify-dataset.js';
export type { SchemaCheckResult, VerifyCheck, VerifyReport } from './verify/verify-report.js';
export { describeRelation, type ObservedColumn, relationExists } from './warehouse/describe-relation.js';
export {
  DUCKDB_EXTENSIONS_ENV,
  findExtensionDirectory,
  INSTALL_EXTENSIONS_COMMAND,
} from './warehouse/extension-directory.js';
export { quoteIdent, quoteLiteral, relationOf, splitDataset } from './warehouse/identifiers.js';
export {
  LAKE_ALIAS,
  type OpenLakehouseOptions,
  openLakehouse,
  type SharedLakehouse,
} from './warehouse/lakehouse.js';
export {
  type OpenTargetOptions,
  openSharedTargetLakehouse,
  openTargetWarehouse,
} from './warehouse/open-target-warehouse.js';
export {
  DEFAULT_LOCK_TIMEOUT_MS,
  describeHolder,
  type OpenWithRetryOptions,
  openWarehouseWithRetry,
  parseLockHolder,
  WarehouseLockedError,
  type WarehouseLockHolder,
  type WarehouseLockWait,
} from './warehouse/open-with-retry.js';
export { projectReadablePaths, readablePaths } from './warehouse/readable-paths.js';
export { ensureSystemTables, QUARANTINE_TABLE, SYSTEM_SCHEMA } from './warehouse/system-tables.js';
export {
  type OpenWarehouseOptions,
  openSharedWarehouse,
  openWarehouse,
  type Row,
  type SharedWarehouse,
  type SqlParams,
  type Warehouse,
} from './warehouse/warehouse.js';
export {
  isConflict,
  redactSecrets,
  retryOnConflict,
  WarehouseConflictError,
  WarehouseError,
} from './warehouse/warehouse-errors.js';
export type { WarehouseKind, WarehouseStorage } from './warehouse/warehouse-storage.js';
