// The errors the client helpers throw, each with a stable code and the data a CLI needs to say
// what happened and what to do. (PIPE6001–6003 are the toolchain's: binary, dev server, connection.)
import { PipectlError } from '@pipectl/spec/lite';

/** PIPE6004: no run with this id in the namespace. */
export class RunNotFoundError extends PipectlError {
  constructor(readonly runId: string) {
    super('PIPE6004', `no run "${runId}" in this namespace; list runs with \`pipectl runs\``);
  }
}

/** PIPE6005: an approve/reject the run refused (not an approver, already decided, not waiting, finished). */
export class DecisionRefusedError extends PipectlError {
  constructor(
    readonly runId: string,
    readonly kind: 'approve' | 'reject',
    readonly by: string,
    /** The workflow's own words, e.g. `"mallory" is not an approver of mart.orders (approvers: alice)`. */
    readonly reason: string,
  ) {
    super('PIPE6005', `${kind} refused by run ${runId}: ${reason}`);
  }
}

/** PIPE6006: no worker answered a decision or query in time (the run is fine, nobody processes it). */
export class WorkerUnavailableError extends PipectlError {
  constructor(
    readonly runId: string,
    readonly taskQueue: string | undefined,
    readonly waitedMs: number,
  ) {
    super(
      'PIPE6006',
      `no worker answered for run ${runId} within ${Math.round(waitedMs / 1000)} s` +
        `${taskQueue ? ` (task queue "${taskQueue}")` : ''}: start one with \`pipectl worker\`, ` +
        'or send the decision as a signal, which the run takes when a worker is back',
      { retryable: true },
    );
  }
}

/** PIPE6008: a worker of one project asked to poll a task queue another project's worker serves. */
export class TaskQueueSharedError extends PipectlError {
  constructor(
    readonly taskQueue: string,
    readonly project: string,
    /** The projects whose workers polled the task queue within the last two minutes. */
    readonly servedProjects: readonly string[],
  ) {
    super(
      'PIPE6008',
      `task queue "${taskQueue}" is served by a worker of project "${servedProjects.join('", "')}"; ` +
        `a worker of project "${project}" on it would take that project's runs and fail them (ProjectNotServed). ` +
        'Give each project its own task queue: leave `temporal.taskQueue` out of pipectl.yaml (each project ' +
        'then polls `pipectl-<name>`), or set a different one per project',
    );
  }
}

/** PIPE6010: the worker's target cannot be used (an unknown target name, an environment variable not set). */
export class TargetUnusableError extends PipectlError {
  constructor(
    readonly projectDir: string,
    /** The target's issues, rendered (PIPE1031, PIPE2030). */
    readonly issues: string,
  ) {
    super(
      'PIPE6010',
      `the worker cannot serve the project in ${projectDir}: its target cannot be used:\n${issues}\n` +
        'Start the worker with a target whose variables are set in its environment (`pipectl worker --target <name>`)',
    );
  }
}

/** PIPE6020–6023: a decision that could not be signed (no key, bad key, agent, no run status). */
export class SigningError extends PipectlError {
  declare readonly code: 'PIPE6020' | 'PIPE6021' | 'PIPE6022' | 'PIPE6023';
  constructor(code: 'PIPE6020' | 'PIPE6021' | 'PIPE6022' | 'PIPE6023', message: string) {
    super(code, message, { hint: SIGNING_HINTS[code] });
  }
}

const SIGNING_HINTS = {
  PIPE6020: 'pass --key <private key file>, or add your key to ssh-agent with `ssh-add`',
  PIPE6021: 'use an unencrypted OpenSSH ed25519 key with --key, or load an encrypted one into ssh-agent',
  PIPE6022: 'check `ssh-add -l` lists your ed25519 key, or pass --key',
  PIPE6023: 'start a worker (`pipectl worker` or `pipectl dev`) so the run answers, then decide again',
} as const;
