// Which pipelines, sources and steps `test` runs: a named pipeline with the pipelines it reads
// from, or the sources and steps writing a selection of datasets and everything those are built
// from (the scratch warehouse starts empty), upstream first. Pure: a compiled plan in, plans out.
import { ancestorsOf, type PipelinePlan, type ProjectPlan, selectionGraph } from '@pipectl/compiler';
import { SelectionOutsidePipelineError, UnknownPipelineError } from './project-errors.js';

/** What to test: a pipeline, a selection of datasets (within the pipeline when both), or, with neither, everything. */
export interface TestSubject {
  readonly pipeline?: string | undefined;
  /** Dataset names, e.g. what `selectDatasets` returns for `--select +mart.daily_revenue`. */
  readonly datasets?: ReadonlySet<string> | undefined;
}

/**
 * The pipelines to run, in order, each reduced to the work the subject needs.
 * @example testedWork(plan, { pipeline: 'shop_marts' }) // [shop_staging, shop_marts]
 */
export function testedWork(plan: ProjectPlan, subject: TestSubject): PipelinePlan[] {
  const byName = new Map(plan.pipelines.map((p) => [p.name, p]));
  const { pipeline, datasets } = subject;
  if (pipeline !== undefined && !byName.has(pipeline))
    throw new UnknownPipelineError(pipeline, [...byName.keys()]);
  if (datasets !== undefined) return selectedWork(plan, datasets, pipeline);
  if (pipeline !== undefined) return withUpstream([pipeline], byName);
  return withUpstream([...byName.keys()], byName);
}

/**
 * The pipelines, reduced to the sources and steps writing the selected datasets (within
 * `pipeline` when one is named) and everything those are built from, upstream first.
 */
function selectedWork(
  plan: ProjectPlan,
  selected: ReadonlySet<string>,
  pipeline: string | undefined,
): PipelinePlan[] {
  const inPipeline = (dataset: string) =>
    pipeline === undefined ||
    plan.datasets.find((d) => d.name === dataset)?.producedBy?.pipeline === pipeline;
  const wanted = [...selected].filter(inPipeline);
  if (wanted.length === 0) throw new SelectionOutsidePipelineError(pipeline ?? '');
  const needed = withStepDependencies(plan, selectionGraph(plan), wanted);
  const reduced = plan.pipelines.map((p) => ({
    ...p,
    sources: p.sources.filter((source) => needed.has(source.dataset)),
    steps: p.steps.filter((step) => needed.has(step.produces)),
  }));
  const byName = new Map(reduced.map((p) => [p.name, p]));
  return withUpstream([...byName.keys()], byName).filter((p) => p.sources.length + p.steps.length > 0);
}

/**
 * The wanted datasets, everything they are built from, and what the steps building them wait for
 * beyond their inputs (the datasets their `references` checks point into), to a fixed point.
 */
function withStepDependencies(
  plan: ProjectPlan,
  graph: ReturnType<typeof selectionGraph>,
  wanted: readonly string[],
): Set<string> {
  const needed = new Set([...wanted, ...ancestorsOf(graph, wanted)]);
  const producers = new Map(
    plan.pipelines.flatMap((p) => p.steps.map((step) => [`${p.name}/${step.name}`, step.produces])),
  );
  // The datasets the needed steps wait for that are not needed yet.
  const missing = () =>
    plan.pipelines.flatMap((p) =>
      p.steps
        .filter((step) => needed.has(step.produces))
        .flatMap((step) => step.dependsOn.map((dependency) => producers.get(`${p.name}/${dependency}`)))
        .filter((dataset): dataset is string => dataset !== undefined && !needed.has(dataset)),
    );
  for (let more = missing(); more.length > 0; more = missing())
    for (const dataset of more)
      for (const name of [dataset, ...ancestorsOf(graph, [dataset])]) needed.add(name);
  return needed;
}

/** The pipelines and the pipelines they read from, transitively, upstream first. */
function withUpstream(names: readonly string[], byName: ReadonlyMap<string, PipelinePlan>): PipelinePlan[] {
  const order: PipelinePlan[] = [];
  const seen = new Set<string>();
  const visit = (current: string) => {
    const pipeline = byName.get(current);
    if (!pipeline || seen.has(current)) return;
    seen.add(current);
    for (const upstream of pipeline.dependsOnPipelines) visit(upstream);
    order.push(pipeline);
  };
  for (const name of names) visit(name);
  return order;
}
