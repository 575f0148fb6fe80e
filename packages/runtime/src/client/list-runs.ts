// Finding runs through the server's visibility store, by the search attributes every run keeps
// current: PipectlProject, PipectlStatus, PipectlPipeline, AwaitingApproval. Visibility is eventually consistent:
// a run shows up (or changes) a moment after it started (or changed).
import type { Client } from '@temporalio/client';
import {
  awaitingApprovalKey,
  datasetKey,
  PIPELINE_RUN_WORKFLOW,
  pipelineKey,
  projectKey,
  statusKey,
  verdictKey,
} from '../workflows/run-definitions.js';
import type { RunStatus } from '../workflows/run-types.js';

export interface ListRunsFilter {
  /** Only this project's runs (its `name`); every project's when absent. */
  readonly project?: string;
  readonly status?: RunStatus;
  readonly pipeline?: string;
  readonly awaitingApproval?: boolean;
  /** Most runs returned, newest first (default 100). */
  readonly limit?: number;
}

export interface RunSummary {
  readonly runId: string;
  /** Null for runs started before runs carried their project. */
  readonly project: string | null;
  readonly pipeline: string | null;
  readonly status: string | null;
  readonly awaitingApproval: boolean;
  /** Datasets whose change made the run wait (PipectlDataset), and the gravest verdict; empty/null when none. */
  readonly datasets: readonly string[];
  readonly verdict: string | null;
  /** Temporal's state: RUNNING, COMPLETED, FAILED, ... */
  readonly execution: string;
  /** From the memo `startRun` writes; null for runs started otherwise (schedules). */
  readonly logicalDate: string | null;
  readonly startTime: Date;
  readonly closeTime?: Date;
}

/**
 * @example const waiting = await listRuns(client, { awaitingApproval: true });
 */
export async function listRuns(client: Client, filter: ListRunsFilter = {}): Promise<RunSummary[]> {
  const limit = filter.limit ?? 100;
  const runs: RunSummary[] = [];
  for await (const info of client.workflow.list({
    query: listQuery(filter),
    pageSize: Math.min(limit, 100),
  })) {
    const attributes = info.typedSearchAttributes;
    const logicalDate = info.memo?.logicalDate;
    runs.push({
      runId: info.workflowId,
      project: attributes.get(projectKey) ?? null,
      pipeline: attributes.get(pipelineKey) ?? null,
      status: attributes.get(statusKey) ?? null,
      awaitingApproval: attributes.get(awaitingApprovalKey) ?? false,
      datasets: attributes.get(datasetKey) ?? [],
      verdict: attributes.get(verdictKey) ?? null,
      execution: info.status.name,
      logicalDate: typeof logicalDate === 'string' ? logicalDate : null,
      startTime: info.startTime,
      ...(info.closeTime ? { closeTime: info.closeTime } : {}),
    });
    if (runs.length >= limit) break;
  }
  return runs;
}

/**
 * The visibility query of a filter.
 * @example listQuery({ project: 'shop', pipeline: 'shop_marts', awaitingApproval: true })
 * // "WorkflowType = 'pipelineRun' AND PipectlProject = 'shop' AND PipectlPipeline = 'shop_marts' AND AwaitingApproval = true"
 */
export function listQuery(filter: ListRunsFilter): string {
  const clauses = [`WorkflowType = ${quote(PIPELINE_RUN_WORKFLOW)}`];
  if (filter.project !== undefined) clauses.push(`${projectKey.name} = ${quote(filter.project)}`);
  if (filter.pipeline !== undefined) clauses.push(`${pipelineKey.name} = ${quote(filter.pipeline)}`);
  if (filter.status !== undefined) clauses.push(`${statusKey.name} = ${quote(filter.status)}`);
  if (filter.awaitingApproval !== undefined) {
    clauses.push(`${awaitingApprovalKey.name} = ${filter.awaitingApproval ? 'true' : 'false'}`);
  }
  return clauses.join(' AND ');
}

function quote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
