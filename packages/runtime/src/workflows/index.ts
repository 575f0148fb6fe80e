// The workflow bundle's entry: every workflow the pipectl worker runs.
export { pipelineRun } from './pipeline-run.workflow.js';
