// @pipectl/project: the library façade. Open a project on a target, then ask it what the CLI asks.
export {
  type DatasetHistory,
  type NumberedVersion,
  type OpenedProject,
  type OpenProjectOptions,
  openProject,
} from './open-project.js';
// A subject that names no work is PIPE2040 (unknown pipeline) or PIPE2041 (a selection the pipeline
// does not write): callers tell them by `code`. `test`'s subject and options and `lineage`'s answer are
// typed on OpenedProject (`Parameters<OpenedProject['test']>`).
export { ProjectIssuesError, UnknownDatasetError } from './project-errors.js';
export type { TestReport } from './run-tests.js';
