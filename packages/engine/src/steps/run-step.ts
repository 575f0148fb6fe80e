// A whole step without Temporal: build, then publish when the build is ready and the schema change
// is compatible (or approved). The Temporal workflow does the same in separate activities, with the
// approval wait in between; `pipectl test` uses this against a scratch warehouse.

import { type PublishReport, publishStep } from '../publish/publish-step.js';
import type { Approval } from '../registry/published-versions.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type BuildReport, type BuildStepInput, buildStep } from './build-step.js';

export interface RunStepInput extends BuildStepInput {
  /** Merge key of an incremental step; the contract's primary key when absent. */
  readonly uniqueKey?: readonly string[];
  /** The decision that allows a breaking change. */
  readonly approval?: Approval;
  /** What to do with a breaking change and no approval: `block` (default) keeps it staged, unpublished. */
  readonly onBreaking?: 'block' | 'publish';
}

export type StepStatus = 'published' | 'already-published' | 'failed' | 'awaiting-approval' | 'blocked';

export interface StepReport {
  readonly status: StepStatus;
  readonly build: BuildReport;
  readonly publish?: PublishReport;
}

/**
 * Builds and publishes one step.
 * @example const { status } = await runStep(wh, { runId, step, dataset, sql, materialized: 'table', contract });
 */
export async function runStep(warehouse: Warehouse, input: RunStepInput): Promise<StepReport> {
  const build = await buildStep(warehouse, input);
  if (build.status === 'already-published') return { status: 'already-published', build };
  if (build.status === 'failed') return { status: 'failed', build };
  const breaking = build.compatibility?.breaking ?? false;
  if (breaking && (input.onBreaking ?? 'block') === 'block' && input.approval?.decision !== 'approved') {
    return { status: 'awaiting-approval', build };
  }
  const publish = await publishStep(warehouse, {
    runId: input.runId,
    step: input.step,
    dataset: input.dataset,
    materialized: input.materialized,
    contract: input.contract,
    ...(input.uniqueKey ? { uniqueKey: input.uniqueKey } : {}),
    ...(input.approval ? { approval: input.approval } : {}),
  });
  return { status: publish.status, build, publish };
}
