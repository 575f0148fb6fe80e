// Which steps of a run start and which are skipped: the one rule that the engine's walker
// (`runPipeline`, behind `pipectl test`) and the Temporal workflow (`pipelineRun`) both follow.
// Pure and workflow-safe: no dependencies, no Node builtins, no I/O, so the workflow sandbox
// bundles it as it is.

/** A step that the step waiting to start depends on, as it ended. */
export interface UpstreamStep {
  readonly name: string;
  /** It published its output (or had published it already), so the steps that read it may start. */
  readonly published: boolean;
}

export interface StepStartInput {
  /** Why the run starts no more steps at all (a source failed, another step failed), when it does. */
  readonly halted?: string | undefined;
  /** The steps it depends on, in declared order, each as it ended. */
  readonly upstream: readonly UpstreamStep[];
  /** Why the step itself cannot be built (no contract, SQL that did not compile), when it cannot. */
  readonly unfit?: string | undefined;
}

/** Whether a step starts, or why it is skipped. */
export type StepStart = { readonly start: true } | { readonly start: false; readonly reason: string };

/**
 * Decides whether a step starts. It is skipped when the run halted, when a step it depends on did
 * not publish (it failed, was rejected, or was itself skipped: a skip reaches everything
 * downstream), or when it cannot be built; the first of these reasons is the one given.
 * @example stepStart({ upstream: [{ name: 'clean', published: false }] })
 *   // { start: false, reason: 'step "clean" did not publish' }
 */
export function stepStart(input: StepStartInput): StepStart {
  if (input.halted !== undefined) return { start: false, reason: input.halted };
  const blocked = input.upstream.find((step) => !step.published);
  if (blocked !== undefined) return { start: false, reason: `step "${blocked.name}" did not publish` };
  if (input.unfit !== undefined) return { start: false, reason: input.unfit };
  return { start: true };
}
