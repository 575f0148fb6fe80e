// The compiled pipeline reduced to what the workflow schedules: step names and dependencies,
// who may approve each produced dataset, retry policies and the approval timeout in milliseconds,
// and the fingerprints later activities check. Pure.
import type { DatasetPlan, PipelinePlan } from '@pipectl/compiler';
import {
  type AllowedSigner,
  type Contract,
  docsPageUrl,
  parseDuration,
  type RetryPolicy,
} from '@pipectl/spec';
import type { ActivityRetry, RunPlan } from '../workflows/run-types.js';
import { sourceFingerprint, stepFingerprint } from './fingerprint.js';

export interface ReducePlanInput {
  readonly pipeline: PipelinePlan;
  readonly datasets: readonly DatasetPlan[];
  readonly contracts: ReadonlyMap<string, Contract>;
  readonly heartbeatTimeoutMs: number;
  /** The project's `docs.url`: where the catalog site is published. */
  readonly docsUrl?: string;
  /** The allowed signers when the project requires signed approvals (CompileResult.signers). */
  readonly signers?: readonly AllowedSigner[] | undefined;
}

/**
 * @example reducePlan({ pipeline, datasets: plan.datasets, contracts, heartbeatTimeoutMs: 30_000 }).steps[1]
 * // { name: 'daily_revenue', produces: 'mart.daily_revenue', dependsOn: ['stg_orders'], approvers: ['alice'], ... }
 */
export function reducePlan(input: ReducePlanInput): RunPlan {
  const { pipeline, contracts } = input;
  const approvers = new Map(input.datasets.map((dataset) => [dataset.name, dataset.approvers]));
  return {
    pipeline: pipeline.name,
    sources: pipeline.sources.map((source) => ({
      name: source.name,
      dataset: source.dataset,
      retry: activityRetry(pipeline.retry),
      fingerprint: sourceFingerprint(source, contracts.get(source.contract)),
    })),
    steps: pipeline.steps.map((step) => ({
      name: step.name,
      produces: step.produces,
      dependsOn: [...step.dependsOn],
      approvers: [...(approvers.get(step.produces) ?? [])],
      retry: activityRetry(step.retry),
      fingerprint: stepFingerprint(step, contracts.get(step.produces)),
      ...(input.docsUrl ? { docsPage: docsPageUrl(input.docsUrl, 'contract', step.produces) } : {}),
    })),
    approval: {
      timeoutMs: durationMs(pipeline.approval.timeout),
      onTimeout: pipeline.approval.onTimeout,
    },
    heartbeatTimeoutMs: input.heartbeatTimeoutMs,
    ...(input.signers
      ? {
          signatures: {
            required: true as const,
            signers: input.signers.map(({ principals, publicKey, fingerprint }) => ({
              principals: [...principals],
              publicKey,
              fingerprint,
            })),
          },
        }
      : {}),
  };
}

function activityRetry(policy: RetryPolicy): ActivityRetry {
  return {
    maximumAttempts: policy.maximumAttempts,
    initialIntervalMs: durationMs(policy.initialInterval),
    backoffCoefficient: policy.backoffCoefficient,
    maximumIntervalMs: durationMs(policy.maximumInterval),
  };
}

/** The spec validated every duration, so a failure to parse here is a bug, not bad input. */
function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`not a duration: "${text}"`);
  return ms;
}
