// A project as the activities see it: compiled, with its contracts by name and what its warehouse
// may read (which warehouse is its target's: warehouse-access.ts). The worker keeps it between
// activities while its files stay the same (project-cache.ts); the fingerprints in a run's plan
// catch changes within a run.
import {
  type CompileResult,
  compileProject,
  type LoadOptions,
  loadProject,
  type PipelinePlan,
} from '@pipectl/compiler';
import { projectReadablePaths } from '@pipectl/engine';
import { type Contract, didYouMean, hasErrors } from '@pipectl/spec';
import { ApplicationFailure } from '@temporalio/common';
import { renderIssuesText } from './render-issues.js';

export interface RunProject {
  readonly dir: string;
  readonly compiled: CompileResult;
  readonly contracts: ReadonlyMap<string, Contract>;
  /** What its warehouse may read besides its own folder: the folders of its file sources. */
  readonly readable: readonly string[];
}

/** Loads and compiles `dir`; throws a non-retryable InvalidProject failure when it has errors. */
export async function loadRunProject(dir: string, options: LoadOptions = {}): Promise<RunProject> {
  const loaded = await loadProject(dir, options);
  const compiled = await compileProject(loaded);
  if (hasErrors(compiled.issues)) {
    const errors = compiled.issues.filter((issue) => issue.severity === 'error');
    throw ApplicationFailure.create({
      type: 'InvalidProject',
      nonRetryable: true,
      message: `the project in ${dir} does not compile (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${renderIssuesText(errors)}`,
      details: [errors.slice(0, 50)],
    });
  }
  return {
    dir,
    compiled,
    contracts: new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value])),
    readable: projectReadablePaths(dir, compiled.project, compiled.plan.pipelines),
  };
}

/** The named pipeline's plan; throws a non-retryable UnknownPipeline failure naming the choices. */
export function pipelineOf(project: RunProject, name: string): PipelinePlan {
  const pipelines = project.compiled.plan.pipelines;
  const found = pipelines.find((pipeline) => pipeline.name === name);
  if (found) return found;
  const names = pipelines.map((pipeline) => pipeline.name);
  const hint = didYouMean(name, names);
  throw ApplicationFailure.nonRetryable(
    `the project in ${project.dir} has no pipeline "${name}"${hint ? ` (${hint})` : ''}; pipelines: ${names.join(', ') || 'none'}`,
    'UnknownPipeline',
  );
}

/** The contract of `dataset`; a missing one cannot happen in a project that compiled. */
export function contractOf(project: RunProject, dataset: string): Contract {
  const contract = project.contracts.get(dataset);
  if (!contract) {
    throw ApplicationFailure.nonRetryable(`no contract for dataset ${dataset}`, 'InvalidProject');
  }
  return contract;
}
