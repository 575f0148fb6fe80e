// A project's runs on Temporal, for the CLI's run, runs, status, approve and reject and for programs:
// `connectProject(dir, { target })` resolves where the project's Temporal is (temporal-settings.ts),
// connects, and then starts, follows, lists and decides the project's own runs. Nothing here prints:
// outcomes are data, problems are PipectlErrors (a refused decision names the steps that wait).
import { resolve } from 'node:path';
import type { ProjectPlan } from '@pipectl/compiler';
import type {
  Decision,
  DecisionInput,
  DecisionKind,
  DeploySchedulesResult,
  ListRunsFilter,
  PendingApproval,
  RunStatusReport,
  RunSummary,
  StartRunResult,
  TaskQueueWorker,
} from '@pipectl/runtime';
import { PipectlError } from '@pipectl/spec';
import {
  type ProjectTemporalSettings,
  projectTemporalSettings,
  type TemporalSettingsOptions,
} from './temporal-settings.js';

export interface ConnectOptions extends TemporalSettingsOptions {
  /** Who the client says it is in Temporal's history (`pipectl:<approver>` for decisions); default `pipectl`. */
  readonly identity?: string;
}

export interface StartOptions {
  /** `YYYY-MM-DD`, part of the run id; today (UTC) by default. */
  readonly logicalDate?: string | undefined;
  /** Start a new attempt when this pipeline and date already ran. */
  readonly rerun?: boolean;
  /**
   * The pull request this revision belongs to, shown beside the change (the commit is read from
   * git); by default PIPECTL_PR_URL, or GitHub Actions' pull request.
   */
  readonly pullRequest?: string | undefined;
}

export interface DecisionRequest {
  /** An approver of the waiting change's contract. */
  readonly by: string;
  readonly comment?: string | undefined;
  /** The waiting step to decide; needed when several wait. */
  readonly step?: string | undefined;
  /** The change fingerprint the approver reviewed: the run refuses the decision when it differs. */
  readonly fingerprint?: string | undefined;
  /** Sign with this OpenSSH ed25519 key file; else ssh-agent at `agentSocket`, when signing. */
  readonly keyFile?: string | undefined;
  readonly agentSocket?: string | undefined;
  /** Sign even when the run does not require signed approvals. */
  readonly sign?: boolean;
  /** `update` (default): the run answers at once; `signal`: taken when a worker runs; `none`: only prepare it. */
  readonly send?: 'update' | 'signal' | 'none';
}

export interface DecisionOutcome {
  /** What was (or, with `send: 'none'`, would be) sent: step and fingerprint filled in, signed when it had to be. */
  readonly input: DecisionInput;
  /** The key it was signed with. */
  readonly signedWith?: { readonly fingerprint: string; readonly source: string };
  /** The run's answer to an update. */
  readonly decision?: Decision;
}

/** PIPE6005, before anything is sent: the decision cannot be placed; `waiting` lists what waits. */
export class DecisionNotPlacedError extends PipectlError {
  constructor(
    readonly runId: string,
    readonly kind: DecisionKind,
    reason: string,
    readonly waiting: readonly PendingApproval[],
    hint = waiting.length === 0
      ? `check the run with \`pipectl status ${runId}\``
      : 'name the step and the fingerprint of the change you reviewed',
  ) {
    super('PIPE6005', `${kind} refused for run ${runId}: ${reason}`, { hint });
  }
}

export interface ProjectRuns {
  readonly settings: ProjectTemporalSettings;
  /** Starts the pipeline's run of a date, attaches to it when it runs, or says it already ran. */
  start(pipeline: string, options?: StartOptions): Promise<StartRunResult>;
  /**
   * Starts a run of `pipeline` that republishes version `version` (as `history` numbers them) of
   * `dataset`, which one of its steps produces, through the same checks and approvals as any run.
   */
  restore(pipeline: string, dataset: string, version: number): Promise<{ readonly runId: string }>;
  /** Calls `onStatus` whenever the run changes; resolves with its final status once it has closed. */
  watch(runId: string, onStatus: (status: RunStatusReport) => void): Promise<RunStatusReport>;
  status(runId: string): Promise<RunStatusReport>;
  /** The project's runs, newest first (`allProjects`: every project's in the namespace). */
  list(filter?: Omit<ListRunsFilter, 'project'> & { readonly allProjects?: boolean }): Promise<RunSummary[]>;
  /** The steps a running run waits on, asked of the run itself; null when no worker answered in time. */
  waitingOf(runId: string, timeoutMs?: number): Promise<readonly PendingApproval[] | null>;
  /** Workers polling the project's task queue; undefined when the server does not say. */
  workers(): Promise<readonly TaskQueueWorker[] | undefined>;
  /**
   * Turns the pipelines' `schedule:`s of `plan` (the project compiled) into Temporal Schedules,
   * updating the project's existing ones; `prune` deletes those whose pipeline has none any more.
   */
  deploy(plan: ProjectPlan, options?: { readonly prune?: boolean }): Promise<DeploySchedulesResult>;
  /** Approves or rejects the change a run waits on, exactly as named; signs it when the run requires it. */
  decide(runId: string, kind: DecisionKind, request: DecisionRequest): Promise<DecisionOutcome>;
  close(): Promise<void>;
}

/**
 * @example const runs = await connectProject('examples/shop', { target: 'prod' });
 * const { runId } = await runs.start('shop_marts', { logicalDate: '2026-11-22' });
 * const final = await runs.watch(runId, () => {}); await runs.close();
 */
export async function connectProject(dir: string, options: ConnectOptions = {}): Promise<ProjectRuns> {
  const root = resolve(dir);
  const settings = await projectTemporalSettings(root, options);
  const runtime = await import('@pipectl/runtime');
  const client = await runtime.connectClient(settings, options.identity);

  const decide: ProjectRuns['decide'] = async (runId, kind, request) => {
    // The run checks the same schema; checked here first, a bad value is refused before anything is sent.
    const parsed = runtime.parseDecisionInput({
      by: request.by,
      ...(request.comment !== undefined ? { comment: request.comment } : {}),
      ...(request.step !== undefined ? { step: request.step } : {}),
      ...(request.fingerprint !== undefined ? { fingerprint: request.fingerprint } : {}),
    });
    if (!parsed.ok)
      throw new DecisionNotPlacedError(
        runId,
        kind,
        parsed.reason,
        [],
        `see \`pipectl ${kind} --help\` for the decision's fields (approver, comment, step, fingerprint)`,
      );
    const target = await runtime.targetDecision(client, runId, parsed.input);
    if (!target.ok) throw new DecisionNotPlacedError(runId, kind, target.reason, target.waiting);
    let { input } = target;
    let signedWith: DecisionOutcome['signedWith'];
    if (request.keyFile !== undefined || request.sign || target.signatures) {
      if (!target.pending) {
        throw new runtime.SigningError(
          'PIPE6023',
          `cannot sign the decision for run ${runId}: no worker answered with the waiting change it must cover`,
        );
      }
      const signer = await runtime.chooseSigner({
        keyFile: request.keyFile,
        agentSocket: request.agentSocket,
        by: request.by,
        signers: target.signatures?.signers ?? [],
      });
      input = await runtime.signDecision({
        runId,
        kind,
        input,
        pending: target.pending,
        signer,
        now: new Date(),
      });
      signedWith = { fingerprint: signer.fingerprint, source: signer.source };
    }
    const signed = signedWith ? { signedWith } : {};
    const send = request.send ?? 'update';
    if (send === 'none') return { input, ...signed };
    if (send === 'signal') {
      await runtime.signalDecision(client, runId, kind, input);
      return { input, ...signed };
    }
    return { input, ...signed, decision: await runtime.decide(client, runId, kind, input) };
  };

  return {
    settings,
    start: async (pipeline, start = {}) => {
      // Why the project is as it is: the commit (and pull request) travels with the run.
      const change = await runtime.readRunChange(root, {
        pullRequest: start.pullRequest ?? runtime.pullRequestFromEnv(options.env ?? process.env),
      });
      return runtime.startRun(client, {
        project: settings.project,
        projectDir: root,
        pipeline,
        logicalDate: start.logicalDate ?? runtime.todayUtc(),
        taskQueue: settings.taskQueue,
        ...(start.rerun ? { rerun: true } : {}),
        ...(change ? { change } : {}),
      });
    },
    restore: async (pipeline, dataset, version) => {
      const { runId } = await runtime.startRestore(client, {
        project: settings.project,
        projectDir: root,
        pipeline,
        dataset,
        version,
        taskQueue: settings.taskQueue,
      });
      return { runId };
    },
    watch: (runId, onStatus) => runtime.watchRun(client, runId, onStatus),
    status: (runId) => runtime.getStatus(client, runId),
    list: ({ allProjects, ...filter } = {}) =>
      runtime.listRuns(client, { ...filter, ...(allProjects ? {} : { project: settings.project }) }),
    waitingOf: async (runId, timeoutMs = 2_000) => {
      const view = await runtime.queryStatus(client, runId, timeoutMs);
      return view ? (view.awaiting ?? (view.pending ? [view.pending] : [])) : null;
    },
    workers: () => runtime.taskQueueWorkers(client, settings.taskQueue).catch(() => undefined),
    deploy: (plan, deploy = {}) =>
      runtime.deploySchedules(client, plan, {
        projectDir: root,
        taskQueue: settings.taskQueue,
        ...(deploy.prune ? { prune: true } : {}),
      }),
    decide,
    close: () => client.connection.close(),
  };
}
