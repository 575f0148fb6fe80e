// OpenLineage run ids are UUIDs. A pipeline run's is its Temporal run id (already a UUID); a step's
// is a name-based UUID (RFC 9562 version 5) of the Temporal run id and the job name, so every retry
// of an activity, and every worker, names the same step run with the same id.
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The namespace UUID of pipectl's step run ids (a fixed random v4). */
const PIPECTL_RUNS = '4d0f5c2e-8a61-4b7e-9f3a-6c1e2b9d7a50';

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A version-5 UUID of `name` in `namespace` (itself a UUID).
 * @example nameUuid('4d0f…', 'x') // always the same UUID for the same arguments
 */
export function nameUuid(name: string, namespace: string = PIPECTL_RUNS): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The OpenLineage run id of a Temporal run: itself when it is a UUID, else a name-based one. */
export function pipelineRunUuid(temporalRunId: string): string {
  return isUuid(temporalRunId) ? temporalRunId.toLowerCase() : nameUuid(`temporal-run:${temporalRunId}`);
}

/** The OpenLineage run id of one job (step, gate) within a Temporal run. */
export function jobRunUuid(temporalRunId: string, job: string): string {
  return nameUuid(`${temporalRunId}/${job}`);
}
