// Public entry of @pipectl/runtime: Temporal workflows, activities, worker and client helpers.

// Client helpers (the CLI's side).
export {
  connectClient,
  type ProjectTemporal,
  resolveTemporalSettings,
  type TemporalSettings,
} from './client/connect.js';
export { type DecisionKind, decide, signalDecision, targetDecision } from './client/decide.js';
export { type DeploySchedulesResult, deploySchedules } from './client/deploy-schedules.js';
export { type ListRunsFilter, listRuns, type RunSummary } from './client/list-runs.js';
export { pullRequestFromEnv, readRunChange } from './client/run-change.js';
export { SigningError } from './client/run-errors.js';
export { todayUtc } from './client/run-id.js';
export { type ActivityRetry, getStatus, queryStatus, type RunStatusReport } from './client/run-status.js';
export { chooseSigner, signDecision } from './client/sign-decision.js';
export { startRestore } from './client/start-restore.js';
export { type StartRunResult, startRun } from './client/start-run.js';
export { type TaskQueueWorker, taskQueueWorkers } from './client/task-queue-workers.js';
export { TemporalTlsError, tlsConfigOf } from './client/tls-config.js';
export { watchRun } from './client/watch-run.js';
export {
  inspectDevServerRecord,
  removeDevServerRecord,
  stopRecordedDevServer,
  writeDevServerRecord,
} from './dev-server/dev-server-record.js';
export { ensureSearchAttributes } from './dev-server/ensure-search-attributes.js';
export { findFreePort, isPortFree } from './dev-server/free-port.js';
export { type DevServer, startDevServer } from './dev-server/start-dev-server.js';
export { findTemporalBinary } from './dev-server/temporal-binary.js';
// Worker.
export type { PipectlWorker, WorkerStage } from './worker/create-worker.js';
export { runWorker } from './worker/run-worker.js';
export { setSdkLogLevel } from './worker/sdk-log-level.js';
// Workflow names, data and failure types shared with clients.
export { parseDecisionInput } from './workflows/decision-input.js';
export { SEARCH_ATTRIBUTES } from './workflows/run-definitions.js';
export type {
  Decision,
  DecisionInput,
  PendingApproval,
  PipelineRunResult,
  RunStatus,
  RunStatusView,
  StepState,
} from './workflows/run-types.js';
