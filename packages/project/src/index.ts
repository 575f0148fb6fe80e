// @pipectl/project: the library façade. Open a project on a target, then ask it what the CLI asks;
// connect to its Temporal to start, follow and decide its runs; check it against a git base.
// Option and outcome types are read off the functions (`Parameters<typeof connectProject>[1]`,
// `Awaited<ReturnType<ProjectRuns['decide']>>`); errors are told apart by `code`.
export {
  type DatasetHistory,
  type NumberedVersion,
  type OpenedProject,
  type OpenProjectOptions,
  openProject,
} from './open-project.js';
export { checkProject } from './project-check.js';
// A subject that names no work is PIPE2040 (unknown pipeline) or PIPE2041 (a selection the pipeline
// does not write): callers tell them by `code`. `test`'s subject and options and `lineage`'s answer are
// typed on OpenedProject (`Parameters<OpenedProject['test']>`).
export { ProjectIssuesError, UnknownDatasetError } from './project-errors.js';
// A decision that cannot be placed is DecisionNotPlacedError (PIPE6005, with the steps that wait);
// a target named without a pipectl.yaml is PIPE2042.
export { connectProject, DecisionNotPlacedError, type ProjectRuns } from './project-runs.js';
export type { TestReport } from './run-tests.js';
export {
  type ProjectTemporalSettings,
  projectTemporalSettings,
  type TemporalSettingsOptions,
} from './temporal-settings.js';
