// Where a step's output is built before publication: a relation next to the published one (same
// schema, so publishing is a rename inside one transaction), named by the step and a hash of the
// run id. A retry of the same run builds the same name again, replacing what a crash left behind.
import { createHash } from 'node:crypto';
import { type RelationName, relationNameOf } from '../schema/relation-name.js';

export const STAGING_PREFIX = '_pipectl_stage_';

/**
 * The staging relation of one step of one run.
 * @example stagingNameOf('mart.orders', 'run-42', 'orders') // { schema: 'mart', table: '_pipectl_stage_orders_3f1c0a9b2e4d' }
 */
export function stagingNameOf(dataset: string, runId: string, step: string): RelationName {
  const target = relationNameOf(dataset);
  const hash = createHash('sha256')
    .update(JSON.stringify([dataset, runId, step]))
    .digest('hex')
    .slice(0, 12);
  const readable = step.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return { schema: target.schema, table: `${STAGING_PREFIX}${readable}_${hash}` };
}
