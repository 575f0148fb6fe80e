// Public entry of @pipectl/runtime: Temporal workflows, activities, worker and client helpers.

// Activities over the engine, and the warehouses they share.
export {
  createRunActivities,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  type RunActivitiesDeps,
} from './activities/create-run-activities.js';
export {
  createProjectCache,
  type ProjectCache,
  type ProjectCacheOptions,
  type ProjectLoader,
} from './activities/project-cache.js';
export type { RunActivities } from './activities/run-activities.js';
export type { RunProject } from './activities/run-project.js';
export {
  createWarehouseAccess,
  describeWarehouse,
  type WarehouseAccess,
  type WarehouseAccessOptions,
} from './activities/warehouse-access.js';
export {
  createWarehousePool,
  type WarehousePool,
  type WarehousePoolOptions,
} from './activities/warehouse-pool.js';
// Client helpers (the CLI's side).
export {
  connectClient,
  DEFAULT_TEMPORAL,
  type ProjectTemporal,
  resolveTemporalSettings,
  type TemporalSettings,
  TemporalUnreachableError,
} from './client/connect.js';
export {
  type DecideOptions,
  type DecisionKind,
  type DecisionTarget,
  decide,
  signalDecision,
  targetDecision,
} from './client/decide.js';
export {
  type DeploySchedulesOptions,
  type DeploySchedulesResult,
  deploySchedules,
  scheduleIdFor,
} from './client/deploy-schedules.js';
export { type ListRunsFilter, listQuery, listRuns, type RunSummary } from './client/list-runs.js';
export { pullRequestFromEnv, readRunChange } from './client/run-change.js';
export {
  DecisionRefusedError,
  RunNotFoundError,
  SigningError,
  TargetUnusableError,
  TaskQueueSharedError,
  WorkerUnavailableError,
} from './client/run-errors.js';
export { runIdFor, scheduledRunIdFor, taskQueueFor, todayUtc } from './client/run-id.js';
export {
  type ActivityRetry,
  type GetStatusOptions,
  getStatus,
  queryStatus,
  type RunStatusReport,
} from './client/run-status.js';
export { chooseSigner, signDecision } from './client/sign-decision.js';
export { agentSigners, keyFileSigner, type SshSigner } from './client/ssh-signer.js';
export { restoreRunIdFor, type StartRestoreOptions, startRestore } from './client/start-restore.js';
export {
  type RunHandle,
  type StartRunOptions,
  type StartRunResult,
  startRun,
  staticDetailsOf,
} from './client/start-run.js';
export {
  projectOfIdentity,
  SERVING_WITHIN_MS,
  type TaskQueueWorker,
  taskQueueWorkers,
  workerIdentity,
} from './client/task-queue-workers.js';
export { TemporalTlsError, tlsConfigOf } from './client/tls-config.js';
export { type WatchRunOptions, watchRun } from './client/watch-run.js';
export {
  type DevServerRecord,
  inspectDevServerRecord,
  type RecordedDevServer,
  readDevServerRecord,
  removeDevServerRecord,
  stopRecordedDevServer,
  writeDevServerRecord,
} from './dev-server/dev-server-record.js';
export { ensureSearchAttributes } from './dev-server/ensure-search-attributes.js';
export { findFreePort, isPortFree } from './dev-server/free-port.js';
export {
  type DevServer,
  type SearchAttributeKind,
  type StartDevServerOptions,
  startDevServer,
} from './dev-server/start-dev-server.js';
export {
  type FindTemporalBinaryOptions,
  findTemporalBinary,
  INSTALL_TEMPORAL_COMMAND,
  TEMPORAL_BIN_ENV,
  TEMPORAL_GO_MODULE,
  TemporalBinaryNotFoundError,
} from './dev-server/temporal-binary.js';
// Worker.
export {
  createPipectlWorker,
  type PipectlWorker,
  type PipectlWorkerOptions,
  type WorkerStage,
} from './worker/create-worker.js';
export { type RunWorkerOptions, runWorker } from './worker/run-worker.js';
export { setSdkLogLevel } from './worker/sdk-log-level.js';
export { type WarehouseClaimant, WarehouseServedError } from './worker/warehouse-claim.js';
export {
  prebundleWorkflows,
  type WorkflowBundleFile,
  type WorkflowBundleOptions,
  workflowSourcesHash,
  workflowsEntry,
} from './worker/workflow-bundle.js';
// Workflow names, data and failure types shared with clients.
export { approvalDetails } from './workflows/approval-details.js';
export { changeFingerprint } from './workflows/change-fingerprint.js';
export { DECISION_FIELDS, type ParsedDecision, parseDecisionInput } from './workflows/decision-input.js';
export {
  APPROVAL_NAMESPACE,
  type DecisionSignature,
  decisionMessage,
  judgeSignature,
  type PlanSigner,
  type SignatureVerdict,
  type SignedDecisionFields,
  sshsigSignedData,
  verifyDecisionSignature,
} from './workflows/decision-signature.js';
export { calendarDate, resolveLogicalDate, SCHEDULED_LOGICAL_DATE } from './workflows/logical-date.js';
export {
  approveSignal,
  approveUpdate,
  awaitingApprovalKey,
  HANDLER_DESCRIPTIONS,
  PIPELINE_RUN_WORKFLOW,
  pipelineKey,
  projectKey,
  rejectSignal,
  rejectUpdate,
  SEARCH_ATTRIBUTES,
  statusKey,
  statusQuery,
} from './workflows/run-definitions.js';
export {
  CHANGE_REJECTED,
  isRunFailureType,
  NON_RETRYABLE_FAILURES,
  RUN_FAILURES,
  type RunFailureType,
} from './workflows/run-failures.js';
export type * from './workflows/run-types.js';
export { type ChosenApproval, chooseApproval, listWaiting } from './workflows/waiting-approval.js';
