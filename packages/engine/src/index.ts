// @pipectl/engine: everything a pipeline step does to data, in DuckDB, without Temporal.

export { ExtractError } from './extract/extract-errors.js';
export { extractSource } from './extract/extract-source.js';
export { commitStagedSource, stageSource } from './extract/staged-source.js';
export { publishStep } from './publish/publish-step.js';
export { kindOf } from './quality/check-kinds.js';
export type { CheckSpec } from './quality/check-spec.js';
export { deriveChecks } from './quality/derive-checks.js';
export type { CheckResult, QualityReport } from './quality/quality-report.js';
export { runQualityGate } from './quality/run-quality-gate.js';
export { checkResultHistory } from './registry/check-results.js';
export {
  type PublishedVersion,
  publicationHistory,
  recordPublication,
  relationAtVersion,
} from './registry/published-versions.js';
export type { ProgressEvent, ProgressSink } from './report/progress.js';
export type { CompatibilitySummary } from './schema/compare-schema.js';
export { relationNameOf } from './schema/relation-name.js';
export { type BuildReport, buildStep } from './steps/build-step.js';
export { discardStaged } from './steps/discard-staged.js';
export { type LandedSource, landSource } from './steps/land-source.js';
export { type PipelineReport, runPipeline, type SourceRun, type StepRun } from './steps/run-pipeline.js';
export { openDuckdbFileReadOnly, openTargetReadOnly } from './verify/open-read-only.js';
export { copyPostgresTable } from './verify/postgres-table.js';
export { verifyDataset } from './verify/verify-dataset.js';
export type { VerifyReport } from './verify/verify-report.js';
export type { SharedLakehouse } from './warehouse/lakehouse.js';
export { openSharedTargetLakehouse, openTargetWarehouse } from './warehouse/open-target-warehouse.js';
export {
  DEFAULT_LOCK_TIMEOUT_MS,
  describeHolder,
  openWarehouseWithRetry,
  WarehouseLockedError,
  type WarehouseLockWait,
} from './warehouse/open-with-retry.js';
export { projectReadablePaths } from './warehouse/readable-paths.js';
export {
  type OpenWarehouseOptions,
  openWarehouse,
  type Warehouse,
} from './warehouse/warehouse.js';
export { redactSecrets, WarehouseError } from './warehouse/warehouse-errors.js';
