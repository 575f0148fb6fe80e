// The data that crosses the workflow boundary: workflow input and result, activity inputs and
// reports, approval decisions, and the status the `status` query returns. Plain JSON-safe types
// only (payloads stay small: counts, names, samples — never datasets).
import type { DecisionSignature, PlanSigner } from './decision-signature.js';

/** Input of the `pipelineRun` workflow. */
export interface PipelineRunInput {
  /** Absolute path of the project directory, as the worker sees it. */
  readonly projectDir: string;
  readonly pipeline: string;
  /**
   * The logical date of the run, `YYYY-MM-DD`; or `scheduled` (SCHEDULED_LOGICAL_DATE), which a
   * Temporal Schedule passes: the run then takes the calendar date of its nominal scheduled time in
   * `timezone` (see logical-date.ts).
   */
  readonly logicalDate: string;
  /** IANA time zone of a scheduled run's logical date; UTC when absent. */
  readonly timezone?: string;
  /** Why the project is as it is: the planned revision's commit, read by the CLI at start. */
  readonly change?: RunChange;
  /**
   * Set by `pipectl restore`: the run republishes this earlier version of one dataset (a one-step
   * plan) through the same build, compatibility check, approval and publication as any run.
   */
  readonly restore?: RestoreRequest;
}

/** The revision a run was started from, and the pull request it belongs to when CI says so. */
export interface RunChange {
  /** Full commit hash of HEAD in the project's repository. */
  readonly commit: string;
  /** `Name <email>` of the commit's author. */
  readonly author: string;
  /** The commit message's first line. */
  readonly subject: string;
  /** True when the working tree had uncommitted changes: the run is of more than the commit. */
  readonly dirty: boolean;
  readonly pullRequest?: string;
}

/** Which published version a restore run republishes: its number in `pipectl history`, from 1. */
export interface RestoreRequest {
  readonly dataset: string;
  readonly version: number;
}

/** What `planRun` returns: the compiled pipeline reduced to what the workflow needs to schedule. */
export interface RunPlan {
  readonly pipeline: string;
  readonly sources: readonly PlannedSource[];
  readonly steps: readonly PlannedStep[];
  readonly approval: { readonly timeoutMs: number; readonly onTimeout: 'fail' | 'reject' };
  /**
   * How long a source or step activity may go without a heartbeat before Temporal gives it to
   * another attempt: how fast a crashed worker is noticed. A setting of the worker that planned the run.
   */
  readonly heartbeatTimeoutMs: number;
  /**
   * Present when the project requires signed approvals: the approvers' keys from the
   * allowed-signers file of the revision this run was planned from. Absent in older plans.
   */
  readonly signatures?: { readonly required: true; readonly signers: readonly PlanSigner[] };
  /** Present when the worker's target emits OpenLineage events (absent: none are sent). */
  readonly lineage?: { readonly enabled: true };
  /**
   * Present when the warehouse is the embedded DuckDB file, which one worker writes: each step's
   * first attempt runs as a local activity of the worker running the workflow (step-activities.ts).
   * Absent on a lakehouse, where any worker may take any step, and in older plans.
   */
  readonly localSteps?: true;
}

export interface PlannedSource {
  readonly name: string;
  readonly dataset: string;
  readonly retry: ActivityRetry;
  /** Hash of what decides the extraction (source and contract); a later attempt checks it is unchanged. */
  readonly fingerprint: string;
}

export interface PlannedStep {
  readonly name: string;
  readonly produces: string;
  /** Steps of this pipeline that must be published first. */
  readonly dependsOn: readonly string[];
  /** Who may approve a breaking change of the produced dataset (its contract's approvers). */
  readonly approvers: readonly string[];
  readonly retry: ActivityRetry;
  /**
   * Hash of what decides the step's output (SQL, materialization, gates, the contract's columns,
   * version, mode and checks). Build and publish check it, so a run publishes what it planned and
   * an approver saw, even when the project changes while it waits.
   */
  readonly fingerprint: string;
  /** The produced dataset's page in the catalog site, when the project sets `docs.url`. */
  readonly docsPage?: string;
}

export interface ActivityRetry {
  readonly maximumAttempts: number;
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maximumIntervalMs: number;
}

export interface StepActivityInput {
  readonly projectDir: string;
  readonly pipeline: string;
  readonly step: string;
  /** The Temporal workflow id: every write is keyed on it, so retries are idempotent. */
  readonly runId: string;
  readonly logicalDate: string;
  /** The planned step's fingerprint; absent skips the check. */
  readonly fingerprint?: string;
  /** A restore run's step: it reads the version's snapshot and publishes it under that version's contract. */
  readonly restore?: RestoreRequest;
}

/**
 * What buildStep is asked: with `publishWhenCompatible`, a build whose change needs no decision
 * (see needsDecision) is published by the same activity, one activity per step instead of two
 * (runs started before 'build-publishes-compatible' build and publish separately).
 */
export interface StepBuildInput extends StepActivityInput {
  readonly publishWhenCompatible?: boolean;
}

export interface SourceActivityInput {
  readonly projectDir: string;
  readonly pipeline: string;
  readonly source: string;
  readonly runId: string;
  readonly logicalDate: string;
  readonly fingerprint?: string;
}

/** The decision that allowed a breaking change, as the publish activity records it. */
export interface PublishDecision {
  readonly by: string;
  readonly kind: 'approved' | 'rejected';
  readonly comment: string | null;
  /** When and how it was decided, and its verified signature (absent from older runs). */
  readonly at?: string;
  readonly via?: Decision['via'];
  readonly signature?: DecisionSignature;
}

export interface CheckSummary {
  readonly id: string;
  readonly severity: 'error' | 'warn';
  readonly status: 'pass' | 'fail' | 'quarantined' | 'error' | 'skipped';
  /** Failed (or could not run) at severity error: nothing may be published. */
  readonly blocking: boolean;
  readonly passed: boolean;
  readonly failingRows: number;
  readonly expected: string;
  readonly observed: string;
}

export type Verdict = 'breaking' | 'review' | 'compatible';

export interface ChangeSummary {
  readonly rule: string;
  readonly path: string;
  readonly verdict: Verdict;
  readonly message: string;
}

/** The schema comparison of a staged output with what consumers last saw. */
export interface CompatibilitySummary {
  /** `first` when nothing was published yet. */
  readonly verdict: Verdict | 'first';
  readonly mode: string;
  readonly fromVersion: string | null;
  readonly toVersion: string;
  readonly changes: readonly ChangeSummary[];
  /** Downstream datasets, pipelines and owners the breaking or review changes reach. */
  readonly consumers: readonly {
    readonly name: string;
    readonly kind: 'dataset' | 'pipeline';
    readonly owner: string | null;
  }[];
}

export interface StepBuildReport {
  readonly step: string;
  readonly dataset: string;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly checks: readonly CheckSummary[];
  readonly compatibility: CompatibilitySummary;
  readonly durationMs: number;
  /** A restore run's step: the history version (from 1) whose snapshot it staged. */
  readonly restoredFrom?: number;
  /** The publication, when the build was asked to publish a change that needs no decision (StepBuildInput). */
  readonly published?: PublishReport;
}

/** A built change that must wait for an approver's decision before it is published. */
export function needsDecision(report: Pick<StepBuildReport, 'compatibility'>): boolean {
  const verdict = report.compatibility.verdict;
  return verdict === 'breaking' || verdict === 'review';
}

export interface SourceReport {
  readonly source: string;
  readonly dataset: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly durationMs: number;
}

export interface PublishReport {
  readonly step: string;
  readonly dataset: string;
  /** False when this run id had already published it (a retried activity): nothing was written twice. */
  readonly published: boolean;
  /** The contract version recorded in the registry. */
  readonly version: string;
  readonly rowsWritten: number;
  /** A restore run's publication: the history version (from 1) it republished. */
  readonly restoredFrom?: number;
}

/**
 * The payload of `approve` and `reject`, as an update or a signal (the web UI's path), checked by
 * parseDecisionInput (decision-input.ts) before anything is recorded. `step` and `fingerprint` name
 * the change reviewed; a decision may leave them out only while exactly one step waits.
 */
export interface DecisionInput {
  readonly by: string;
  readonly comment?: string;
  readonly step?: string;
  readonly fingerprint?: string;
  /** With signed approvals: when the approver signed (ISO), and the armored SSHSIG. */
  readonly signedAt?: string;
  readonly signature?: string;
}

export interface Decision {
  readonly kind: 'approved' | 'rejected';
  readonly by: string;
  readonly comment: string | null;
  readonly at: string;
  readonly via: 'update' | 'signal' | 'timeout';
  readonly step: string;
  /** The change fingerprint of the step's pending approval: what was decided. */
  readonly fingerprint: string;
  /** The verified signature, when the project requires signed approvals. */
  readonly signature?: DecisionSignature;
}

/** A decision the run refused (sent as a signal, so nobody was answered): recorded, never applied. */
export interface RefusedDecision {
  /** The payload's `by` when it was a string, else empty. */
  readonly by: string;
  readonly kind: 'approved' | 'rejected';
  /** The step it named, if it named one. */
  readonly step: string | null;
  readonly reason: string;
  readonly at: string;
}

export type RunStatus =
  | 'planning'
  | 'extracting'
  | 'running'
  | 'awaiting_approval'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'cancelled';

export type StepState =
  | 'pending'
  | 'building'
  | 'awaiting_approval'
  | 'publishing'
  | 'published'
  | 'rejected'
  | 'skipped'
  | 'failed';

export interface PendingApproval {
  readonly step: string;
  /** Identifies exactly this change (change-fingerprint.ts); decisions may name it. */
  readonly fingerprint: string;
  readonly dataset: string;
  readonly approvers: readonly string[];
  readonly compatibility: CompatibilitySummary;
  /** The dataset's page in the catalog site, when the project sets `docs.url`. */
  readonly docsPage?: string;
  readonly since: string;
  readonly deadline: string;
}

/** What the `status` query returns. */
export interface RunStatusView {
  readonly pipeline: string;
  /** The revision the run was started from (absent when not a git checkout, or older runs). */
  readonly change?: RunChange;
  /** A restore run's request (absent on ordinary runs). */
  readonly restore?: RestoreRequest;
  readonly logicalDate: string;
  readonly status: RunStatus;
  readonly sources: readonly SourceReport[];
  readonly steps: readonly {
    readonly name: string;
    readonly state: StepState;
    readonly report?: StepBuildReport;
    /**
     * Present when the step's first attempt, a local activity in the worker (`localSteps`), failed
     * and the step goes on as an ordinary activity: that attempt's failure.
     */
    readonly localAttemptFailed?: string;
  }[];
  /** The first of `awaiting`, or null (kept for readers of one pending approval). */
  readonly pending: PendingApproval | null;
  /**
   * Every step waiting for a decision, in the order they started waiting. Absent from the final
   * views of runs that ended before steps could wait in parallel.
   */
  readonly awaiting?: readonly PendingApproval[];
  readonly decisions: readonly Decision[];
  /** Decisions sent as signals that the run refused (who, which step, why), recorded and ignored. */
  readonly refused: readonly RefusedDecision[];
  /** Present when the run requires signed approvals: the keys that may sign (public). */
  readonly signatures?: { readonly required: true; readonly signers: readonly PlanSigner[] };
  readonly error: string | null;
  /** The failure type of `error` (QualityGateFailed, ContractViolation, ApprovalTimedOut, ...). */
  readonly errorType: string | null;
  /** OpenLineage deliveries, when the target emits them (sent, and dropped after every retry). */
  readonly lineage?: LineageCounts;
}

/** How often the lineage activity is tried before its events count as dropped. */
export const LINEAGE_MAX_ATTEMPTS = 3;

/**
 * A moment of the run the lineage activity turns into OpenLineage events: the pipeline's, a
 * step's, or a step's quality gate (which carries the checks' results). Small: names and counts.
 */
export interface LineageNotice {
  readonly job: 'pipeline' | 'step' | 'gates';
  /** The step, for `step` and `gates`. */
  readonly step?: string;
  readonly eventType: 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT';
  /** Workflow time of the moment (ISO). */
  readonly at: string;
  /** Why it failed or was aborted. */
  readonly error?: string;
  /** The gate's checks (job `gates`); its START is at `startedAt`. */
  readonly checks?: readonly CheckSummary[];
  readonly startedAt?: string;
}

export interface LineageEmitInput {
  readonly projectDir: string;
  readonly pipeline: string;
  readonly logicalDate: string;
  /** The Temporal workflow id (pipectl's run id) and run id (the pipeline's OpenLineage runId). */
  readonly workflowId: string;
  readonly temporalRunId: string;
  readonly notices: readonly LineageNotice[];
}

export interface LineageEmitReport {
  /** Events built from the notices. */
  readonly events: number;
  /** Deliveries made (an event sent to two transports counts twice). */
  readonly sent: number;
  /** Deliveries given up on after the last attempt. */
  readonly dropped: number;
  /** Why the first dropped delivery failed. */
  readonly reason?: string;
}

/** The run's OpenLineage deliveries so far (status and report). */
export interface LineageCounts {
  readonly sent: number;
  readonly dropped: number;
  /** Why the latest drop happened. */
  readonly lastError?: string;
}

export interface PipelineRunResult {
  readonly status: 'succeeded' | 'rejected';
  readonly published: readonly PublishReport[];
  readonly view: RunStatusView;
}
