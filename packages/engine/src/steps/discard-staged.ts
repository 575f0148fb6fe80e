// Dropping a step's staged output that will not be published: a rejected breaking change, or an
// abandoned run. Publishing consumes the staging relation itself, and failed builds drop theirs.
import { discardStagedChecks } from '../registry/check-results.js';
import { dropRelation } from '../schema/relation-name.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { StepIdentity } from './stage-step.js';
import { stagingNameOf } from './staging-name.js';

/**
 * Drops the staging relation of one step of one run, and its gate's staged results, if they exist.
 * @example await discardStaged(wh, { runId, step: 'shop_marts/daily_revenue', dataset: 'mart.daily_revenue' })
 */
export async function discardStaged(warehouse: Warehouse, step: StepIdentity): Promise<void> {
  await dropRelation(warehouse, stagingNameOf(step.dataset, step.runId, step.step));
  await discardStagedChecks(warehouse, step);
}
