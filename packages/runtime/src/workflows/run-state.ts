// What a pipeline run knows about itself while it runs: its status, sources, steps, waiting
// approvals, decisions, refusals, lineage counts and first failure; the status query's view and the
// web UI's Current Details are read from it. The class is pure (plain unit tests drive it); the
// functions at the end show a change in Temporal (search attributes, Current Details).
// Workflow code: imports only @temporalio/workflow and its own folder.
import {
  ActivityFailure,
  ApplicationFailure,
  setCurrentDetails,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { approvalDetails, decisionLine, refusalDetails } from './approval-details.js';
import { awaitingApprovalKey, statusKey } from './run-definitions.js';
import { isRunFailureType } from './run-failures.js';
import type {
  Decision,
  LineageCounts,
  PendingApproval,
  PipelineRunInput,
  PublishReport,
  RefusedDecision,
  RunPlan,
  RunStatus,
  RunStatusView,
  SourceReport,
  StepBuildReport,
  StepState,
} from './run-types.js';

/** How many refused signals a run keeps in its status (the latest). */
export const MAX_REFUSED = 100;

/** A step of the plan as the run tracks it. */
export interface StepEntry {
  state: StepState;
  report?: StepBuildReport;
  /** The failure of the step's local first attempt, when it goes on as an ordinary activity. */
  localAttemptFailed?: string;
}

/** What identifies the run, fixed at its start. */
export interface RunIdentity {
  readonly runId: string;
  readonly logicalDate: string;
  readonly input: Pick<PipelineRunInput, 'pipeline' | 'change' | 'restore'>;
}

export class RunState {
  status: RunStatus = 'planning';
  /** Steps waiting for a decision, by step name, in the order they started waiting. */
  readonly waiting = new Map<string, PendingApproval>();
  /** Decisions taken for a waiting step, not yet picked up by its awaitDecision. */
  readonly taken = new Map<string, Decision>();
  /** The dataset each step that waited produces, for decision lines after it stopped waiting. */
  readonly waitingDataset = new Map<string, string>();
  /** The gravest verdict of the changes that made the run wait (PipectlVerdict). */
  gravest: 'breaking' | 'review' = 'review';
  readonly decisions: Decision[] = [];
  readonly refused: RefusedDecision[] = [];
  readonly sources: SourceReport[] = [];
  readonly steps = new Map<string, StepEntry>();
  readonly published: PublishReport[] = [];
  /** The planned revision's approvers' keys, when the project requires signed approvals. */
  signing: RunPlan['signatures'];
  /** OpenLineage deliveries, once the plan says the target emits events. */
  lineage: LineageCounts | undefined;
  error: string | null = null;
  errorType: string | null = null;
  /** What Current Details says while no step waits (the last decision, the outcome). */
  settled = '';

  constructor(readonly run: RunIdentity) {}

  /** A restore run's request, passed to each activity (ordinary runs pass nothing new). */
  get restore(): { restore?: NonNullable<PipelineRunInput['restore']> } {
    return this.run.input.restore ? { restore: this.run.input.restore } : {};
  }

  /** What the `status` query returns, and the final view a run's result or failure carries. */
  view(): RunStatusView {
    const { input, logicalDate } = this.run;
    return {
      pipeline: input.pipeline,
      ...(input.change ? { change: input.change } : {}),
      ...this.restore,
      logicalDate,
      status: this.status,
      sources: [...this.sources],
      steps: [...this.steps].map(([name, s]) => ({
        name,
        state: s.state,
        ...(s.report ? { report: s.report } : {}),
        ...(s.localAttemptFailed !== undefined ? { localAttemptFailed: s.localAttemptFailed } : {}),
      })),
      pending: [...this.waiting.values()][0] ?? null,
      awaiting: [...this.waiting.values()],
      decisions: [...this.decisions],
      refused: [...this.refused],
      ...(this.signing ? { signatures: this.signing } : {}),
      error: this.error,
      errorType: this.errorType,
      ...(this.lineage ? { lineage: { ...this.lineage } } : {}),
    };
  }

  /** Current Details: every waiting change and how to decide it (or `settled`), and the refusals. */
  details(): string {
    const { input, runId } = this.run;
    return this.waiting.size > 0
      ? approvalDetails({
          runId,
          pipeline: input.pipeline,
          waiting: [...this.waiting.values()],
          refused: this.refused,
          ...(input.change ? { change: input.change } : {}),
          signed: this.signing !== undefined,
        })
      : [this.settled, refusalDetails(this.refused)].filter((part) => part !== '').join('\n\n');
  }

  /** Current Details' record of every decision taken so far. */
  decisionsDetails(): string {
    return [
      '**Decisions**',
      '',
      ...this.decisions.map((d) =>
        decisionLine(d, this.waitingDataset.get(d.step) ?? d.step, this.signing !== undefined),
      ),
    ].join('\n');
  }

  /** Keeps the first failure: the one that stopped the run. */
  fail(failure: unknown, where: string): void {
    if (this.error !== null) return;
    this.errorType = failureTypeOf(failure);
    // pipectl's own failures name their step or source already; others (timeouts) get the place.
    this.error =
      this.errorType === 'PipelineRunFailed' ? `${where}: ${messageOf(failure)}` : messageOf(failure);
  }

  /** Records a refused signal, keeping the latest: a flood must not grow the status without bound. */
  refuse(refusal: RefusedDecision): void {
    if (this.refused.length >= MAX_REFUSED) this.refused.shift();
    this.refused.push(refusal);
  }

  /** Adds one lineage delivery's outcome to the counts (the latest drop's reason is kept). */
  countLineage(sent: number, dropped: number, reason: string | undefined): void {
    const counts = this.lineage ?? { sent: 0, dropped: 0 };
    this.lineage = {
      sent: counts.sent + sent,
      dropped: counts.dropped + dropped,
      ...(dropped > 0 && reason
        ? { lastError: reason }
        : counts.lastError
          ? { lastError: counts.lastError }
          : {}),
    };
  }
}

/** The search attributes that show a status in the web UI's list. */
export function statusAttributes(status: RunStatus) {
  return [
    { key: statusKey, value: status },
    { key: awaitingApprovalKey, value: status === 'awaiting_approval' },
  ];
}

/** Moves the run to a status and shows it in the search attributes (a command in the history). */
export function setStatus(state: RunState, next: RunStatus): void {
  state.status = next;
  upsertSearchAttributes(statusAttributes(next));
}

/** Shows the run's Current Details. */
export function showDetails(state: RunState): void {
  setCurrentDetails(state.details());
}

/** Sets what Current Details says while no step waits, and shows it. */
export function settle(state: RunState, text: string): void {
  state.settled = text;
  showDetails(state);
}

/** The run's failure: typed like the failure that stopped it, carrying the final status view. */
export function runFailure(
  message: string | null,
  type: string | null,
  view: RunStatusView,
  cause?: unknown,
): ApplicationFailure {
  return ApplicationFailure.create({
    message: message ?? 'the run failed',
    type: type ?? 'PipelineRunFailed',
    nonRetryable: true,
    details: [view],
    ...(cause instanceof Error ? { cause } : {}),
  });
}

function failureTypeOf(failure: unknown): string {
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  if (cause instanceof ApplicationFailure && isRunFailureType(cause.type ?? undefined)) {
    return cause.type as string;
  }
  return 'PipelineRunFailed';
}

/** The message of a failure, or of the error an activity failed with. */
export function messageOf(failure: unknown): string {
  const cause = failure instanceof ActivityFailure ? (failure.cause ?? failure) : failure;
  return cause instanceof Error ? cause.message : String(cause);
}
