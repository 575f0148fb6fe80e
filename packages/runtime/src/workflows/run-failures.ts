// The failure types a run ends with (the `type` of its ApplicationFailure), as one table: what each
// means and whether a retry could cure it. Activities throw them, the workflow passes the first one
// on as its own failure type, and clients branch on them. Pure data, safe in workflow code.

export const RUN_FAILURES = {
  InvalidProject: { retryable: false, meaning: 'the project does not compile; the details hold the issues' },
  UnknownPipeline: { retryable: false, meaning: 'the project has no pipeline of that name' },
  ProjectNotServed: {
    retryable: true,
    meaning:
      'the worker serves another project directory (retried: another worker on the task queue may serve it; each project has its own task queue by default)',
  },
  ProjectChanged: {
    retryable: false,
    meaning: 'a step or source changed since the run was planned; start a new run',
  },
  SourceInvalid: { retryable: false, meaning: 'a source file or record is malformed or breaks its contract' },
  SourceUnavailable: { retryable: true, meaning: 'a source could not be reached (retried)' },
  QualityGateFailed: { retryable: false, meaning: 'a quality gate at severity error failed' },
  ContractViolation: { retryable: false, meaning: "a step's output does not match its contract" },
  StepSqlFailed: { retryable: false, meaning: "a step's SQL failed in DuckDB" },
  NothingStaged: {
    retryable: false,
    meaning: 'nothing was staged to publish (the staging relation is gone)',
  },
  RestoreUnavailable: {
    retryable: false,
    meaning:
      'the version a restore names is not in the registry, or has no snapshot to read (a DuckDB-file target)',
  },
  ApprovalTimedOut: {
    retryable: false,
    meaning: 'no decision on a breaking change before the approval timeout',
  },
  PipelineRunFailed: {
    retryable: false,
    meaning: 'any other failure (an activity out of retries, a timeout)',
  },
} as const satisfies Record<string, { retryable: boolean; meaning: string }>;

export type RunFailureType = keyof typeof RUN_FAILURES;

/** The types an activity retry policy must not retry. */
export const NON_RETRYABLE_FAILURES: readonly RunFailureType[] = (
  Object.keys(RUN_FAILURES) as RunFailureType[]
).filter((type) => !RUN_FAILURES[type].retryable);

export function isRunFailureType(type: string | undefined): type is RunFailureType {
  return type !== undefined && Object.hasOwn(RUN_FAILURES, type);
}

/**
 * The failure type of a run whose breaking change an approver (or the approval timeout with
 * `onTimeout: reject`) rejected: nothing of the change was published. Not an activity failure, so
 * not in RUN_FAILURES (whose types are the activities' retry policy). Runs started before it
 * existed complete with status `rejected` instead.
 */
export const CHANGE_REJECTED = 'ChangeRejected';
