// Test helpers: connect to the dev server started by global-setup.ts, and bundle workflows once.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';

let runtimeInstalled = false;

/**
 * Keeps the SDK's Rust core and worker logs at ERROR so test output stays readable (at WARN, every
 * workflow a test makes fail logs its stack).
 */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed or instantiated in this process: keep whatever is there.
  }
}

/** A TestWorkflowEnvironment connected to this run's shared dev server (call teardown() after). */
export async function connectTestEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({
    address: inject('temporalAddress'),
    namespace: inject('temporalNamespace'),
  });
}

/** Bundles the workflows at `workflowsPath` (absolute) once, for Worker's `workflowBundle`. */
export async function bundleWorkflows(workflowsPath: string): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  return { code };
}
