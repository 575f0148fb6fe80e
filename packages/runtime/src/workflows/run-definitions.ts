// The names a pipeline run answers to: the workflow type, its updates, signals and query, and its
// search attributes. Shared by the workflow and by clients, so a typo cannot split them.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Decision, DecisionInput, RunStatusView } from './run-types.js';

export const PIPELINE_RUN_WORKFLOW = 'pipelineRun';

const DECISION_HELP =
  'Payload: {"by": "<your name as listed in the contract approvers>", "comment": "<why>", ' +
  '"step": "<the waiting step>", "fingerprint": "<its change fingerprint>"}, as Current Details shows it; ' +
  'step and fingerprint may be left out while only one step waits.';

/** Descriptions the web UI shows next to each handler in its Signal and Update forms. */
export const HANDLER_DESCRIPTIONS = {
  approve: `Approve the schema change this run is waiting on. ${DECISION_HELP}`,
  reject: `Reject the schema change: nothing is published. ${DECISION_HELP}`,
  status: 'Steps, gates, the pending schema change and the decisions of this run.',
} as const;

/** Approve the pending breaking change (CLI path: answered synchronously, refused when not allowed). */
export const approveUpdate = defineUpdate<Decision, [DecisionInput]>('approve');
export const rejectUpdate = defineUpdate<Decision, [DecisionInput]>('reject');
/** The same decisions as signals: the Temporal web UI's path, accepted even while no worker runs. */
export const approveSignal = defineSignal<[DecisionInput]>('approve');
export const rejectSignal = defineSignal<[DecisionInput]>('reject');
export const statusQuery = defineQuery<RunStatusView>('status');

/**
 * The workflow task timeout of every run (Temporal's default is 10 s). A step on the embedded file
 * runs as a local activity inside a workflow task, which the worker extends at 80% of this timeout;
 * a status query waits for that, so a long step's run answers within ~4 s instead of ~8. A worker
 * that dies holding the task is also noticed sooner.
 */
export const RUN_WORKFLOW_TASK_TIMEOUT = '5 seconds';

/**
 * The activity id of a step's activity that goes on after its local attempt failed
 * (step-activities.ts): `<prefix><activity>/<step>`. Status counts that attempt in: the ordinary
 * activity's attempt 1 is the step's attempt 2.
 */
export const AFTER_LOCAL_ATTEMPT = 'after-local-attempt/';

/**
 * Search attributes, registered on the dev server by `pipectl dev` and the test harness.
 * PipectlProject (the project's `name`) and PipectlPipeline are set by the client at start.
 */
export const SEARCH_ATTRIBUTES = {
  PipectlStatus: 'Keyword',
  PipectlProject: 'Keyword',
  PipectlPipeline: 'Keyword',
  AwaitingApproval: 'Bool',
  /** The datasets whose breaking or review change made the run wait (set by the workflow). */
  PipectlDataset: 'KeywordList',
  /** The gravest verdict among them: `breaking` or `review`. */
  PipectlVerdict: 'Keyword',
} as const;

export const statusKey = defineSearchAttributeKey('PipectlStatus', SearchAttributeType.KEYWORD);
export const projectKey = defineSearchAttributeKey('PipectlProject', SearchAttributeType.KEYWORD);
export const pipelineKey = defineSearchAttributeKey('PipectlPipeline', SearchAttributeType.KEYWORD);
export const awaitingApprovalKey = defineSearchAttributeKey('AwaitingApproval', SearchAttributeType.BOOL);
export const datasetKey = defineSearchAttributeKey('PipectlDataset', SearchAttributeType.KEYWORD_LIST);
export const verdictKey = defineSearchAttributeKey('PipectlVerdict', SearchAttributeType.KEYWORD);
