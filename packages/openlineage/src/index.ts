// @pipectl/openlineage: OpenLineage events of pipectl's lineage and runs, built from the compiled
// plan. Pure (no I/O): the runtime sends them (transports live there), the CLI prints them.

export {
  gateRunEvents,
  pipelineRunEvent,
  type RunEventBase,
  staticJobEvents,
  stepJobName,
  stepRunEvent,
  type TemporalRun,
} from './events/run-events.js';
export { isUuid, jobRunUuid, nameUuid, pipelineRunUuid } from './events/run-uuid.js';
export {
  columnLineageFacet,
  type DatasetDocs,
  datasetFacets,
  type LineageContext,
} from './facets/dataset-facets.js';
export { defaultDatasetNamespace, lineageContext } from './facets/lineage-context.js';
export type * from './model/openlineage-event.js';
export { PRODUCER, SCHEMA_URLS } from './model/openlineage-event.js';
