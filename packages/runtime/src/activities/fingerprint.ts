// Fingerprints of what decides a step's output or a source's extraction. planRun records them in
// the plan; build, publish and extract check them, so a run does what it planned (and publishes
// what an approver saw) even when the project changes while it runs or waits. Descriptions,
// owners, approvers and tags are left out: they do not change the data.
import { createHash } from 'node:crypto';
import type { SourcePlan, StepPlan } from '@pipectl/compiler';
import type { Contract } from '@pipectl/spec';
import { stableJson } from '../workflows/stable-json.js';

/** The step's SQL, materialization, gates and merge key, and its contract's promises. */
export function stepFingerprint(step: StepPlan, contract: Contract | undefined): string {
  return hash({
    produces: step.produces,
    materialized: step.materialized,
    sql: step.sql ?? null,
    gates: step.gates,
    uniqueKey: step.uniqueKey ?? null,
    contract: contract ? contractPromises(contract) : null,
  });
}

/** The source's settings and its contract's promises. */
export function sourceFingerprint(source: SourcePlan, contract: Contract | undefined): string {
  return hash({ source, contract: contract ? contractPromises(contract) : null });
}

function contractPromises(contract: Contract): unknown {
  const { description, owner, approvers, tags, ...promises } = contract;
  return { ...promises, columns: contract.columns.map(({ description: _, tags: __, ...column }) => column) };
}

function hash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}
