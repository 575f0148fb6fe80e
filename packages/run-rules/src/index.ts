// Pure rules a pipeline run follows, shared by the engine (one process) and the runtime's workflow
// (Temporal). Nothing here may import a package or a Node builtin: workflow code bundles it.
export { stepStart } from './step-start.js';
