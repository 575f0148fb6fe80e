// Vitest globalSetup for @pipectl/runtime: starts ONE Temporal dev server (the repo-built binary, on
// a free loopback port, with pipectl's search attributes) for the whole run, bundles the pipectl
// workflows once (cached in .pipectl/cache), provides both to test files, and stops the server after.
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../src/dev-server/start-dev-server.js';
import { findTemporalBinary } from '../src/dev-server/temporal-binary.js';
import { prebundleWorkflows } from '../src/worker/workflow-bundle.js';
import { SEARCH_ATTRIBUTES } from '../src/workflows/run-definitions.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the dev server started for this test run. */
    temporalAddress: string;
    /** Namespace served by that dev server. */
    temporalNamespace: string;
    /** The pipectl workflows, bundled once for the run. */
    workflowBundlePath: string;
  }
}

export const BUNDLE_CACHE_DIR = fileURLToPath(new URL('../.pipectl/cache', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Throws TemporalBinaryNotFoundError (which says to run `bash scripts/install-temporal.sh`).
  const binary = findTemporalBinary();
  const [server, bundle] = await Promise.all([
    startDevServer({ binary, searchAttributes: SEARCH_ATTRIBUTES }),
    prebundleWorkflows({ cacheDir: BUNDLE_CACHE_DIR }),
  ]);
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('workflowBundlePath', bundle.codePath);
  return async () => {
    await server.stop();
  };
}
