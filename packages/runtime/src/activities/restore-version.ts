// What a restore run republishes: version N of a dataset (its number in `pipectl history`, from 1,
// oldest first), read back from the registry. The step that produces the dataset is the run's one
// step; its SQL reads the version's snapshot (time travel on a lakehouse) and its contract is the
// one published with that version, so the usual build → compatibility check against what consumers
// see now → approval → publication decides whether the old version may come back.
import { createHash } from 'node:crypto';
import type { StepPlan } from '@pipectl/compiler';
import {
  type PublishedVersion,
  publicationHistory,
  relationAtVersion,
  type Warehouse,
} from '@pipectl/engine';
import type { Contract } from '@pipectl/spec';
import { ApplicationFailure } from '@temporalio/common';
import type { RestoreRequest } from '../workflows/run-types.js';
import { stableJson } from '../workflows/stable-json.js';
import { pipelineOf, type RunProject } from './run-project.js';

export interface RestoreSource {
  readonly version: PublishedVersion;
  /** `SELECT * FROM <the dataset at the version's snapshot>`. */
  readonly sql: string;
  /** The contract published with the version. */
  readonly contract: Contract;
}

/** The step of `pipeline` that produces the restored dataset. */
export function restoreStep(project: RunProject, pipeline: string, restore: RestoreRequest): StepPlan {
  const step = pipelineOf(project, pipeline).steps.find((s) => s.produces === restore.dataset);
  if (!step) {
    throw unavailable(
      `PIPE5220 no step of pipeline ${pipeline} produces ${restore.dataset}, so it cannot be restored by a run of it`,
    );
  }
  return step;
}

/** Version `restore.version` of the dataset, and the SQL that reads its snapshot. */
export async function restoreSource(warehouse: Warehouse, restore: RestoreRequest): Promise<RestoreSource> {
  const history = await publicationHistory(warehouse, restore.dataset);
  const version = history[restore.version - 1];
  if (!version) {
    throw unavailable(
      `PIPE5221 ${restore.dataset} has no version ${restore.version} (${history.length} published; \`pipectl history ${restore.dataset}\` lists them)`,
    );
  }
  const relation =
    version.snapshotId === undefined
      ? undefined
      : relationAtVersion(warehouse, restore.dataset, version.snapshotId);
  if (relation === undefined) {
    throw unavailable(
      `PIPE5222 version ${restore.version} of ${restore.dataset} has no snapshot to read: the embedded DuckDB file keeps only the current data; restore needs a lakehouse target`,
    );
  }
  return { version, sql: `SELECT * FROM ${relation}`, contract: version.schema };
}

/** What a restore step's output is decided by: the dataset, the version and its recorded contract. */
export function restoreFingerprint(restore: RestoreRequest, version: PublishedVersion): string {
  return createHash('sha256')
    .update(
      stableJson({
        restore,
        runId: version.runId,
        schemaHash: version.schemaHash,
        snapshotId: version.snapshotId ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

function unavailable(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'RestoreUnavailable');
}
