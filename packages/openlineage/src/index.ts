// @pipectl/openlineage: OpenLineage events of pipectl's lineage and runs, built from the compiled
// plan. Pure (no I/O): the runtime sends them (transports live there), the CLI prints them.

export {
  gateRunEvents,
  pipelineRunEvent,
  type RunEventBase,
  staticJobEvents,
  stepRunEvent,
  type TemporalRun,
} from './events/run-events.js';
export { lineageContext } from './facets/lineage-context.js';
export type * from './model/openlineage-event.js';
