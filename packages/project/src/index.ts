// @pipectl/project: the library façade. Open a project on a target, then ask it what the CLI asks.
export {
  type DatasetHistory,
  type NumberedVersion,
  type OpenedProject,
  type OpenProjectOptions,
  openProject,
} from './open-project.js';
export { ProjectIssuesError, UnknownDatasetError } from './project-errors.js';
