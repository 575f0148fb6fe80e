// The activities a pipeline run calls, as an interface: the workflow imports only this type, and
// `createRunActivities` implements it over the engine.
import type {
  LineageEmitInput,
  LineageEmitReport,
  PublishDecision,
  PublishReport,
  RestoreRequest,
  RunPlan,
  SourceActivityInput,
  SourceReport,
  StepActivityInput,
  StepBuildInput,
  StepBuildReport,
} from '../workflows/run-types.js';

export interface RunActivities {
  /**
   * Compiles the project and returns the pipeline's schedule of work (planning stays out of the
   * workflow); with `restore`, a one-step plan: the step producing that dataset, republishing the version.
   */
  planRun(input: { projectDir: string; pipeline: string; restore?: RestoreRequest }): Promise<RunPlan>;
  /** Loads one source into its dataset and checks it against its contract. */
  extractSource(input: SourceActivityInput): Promise<SourceReport>;
  /**
   * Builds a step's output in staging, runs its gates, compares its schema with the last published
   * one; with `publishWhenCompatible`, also publishes it when the change needs no decision.
   */
  buildStep(input: StepBuildInput): Promise<StepBuildReport>;
  /** Swaps the staged output in atomically and records the version (idempotent per run id). */
  publishStep(input: StepActivityInput & { decision: PublishDecision | null }): Promise<PublishReport>;
  /** Drops a step's staged output (after a rejection, or when the run fails or is cancelled). */
  discardStep(input: StepActivityInput): Promise<void>;
  /**
   * Sends the OpenLineage events of these moments of a run to the target's transports; best
   * effort: on its last attempt it reports what it could not deliver instead of failing.
   */
  emitLineage(input: LineageEmitInput): Promise<LineageEmitReport>;
}
