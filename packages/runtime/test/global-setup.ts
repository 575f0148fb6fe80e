// Vitest globalSetup for @pipectl/runtime: starts ONE Temporal dev server (the repo-built binary, on
// a free loopback port) for the whole run, provides its address to test files, and stops it after.
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../src/dev-server/start-dev-server.js';
import { findTemporalBinary } from '../src/dev-server/temporal-binary.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the dev server started for this test run. */
    temporalAddress: string;
    /** Namespace served by that dev server. */
    temporalNamespace: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Throws TemporalBinaryNotFoundError (which says to run `bash scripts/install-temporal.sh`).
  const binary = findTemporalBinary();
  const server = await startDevServer({ binary });
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  return async () => {
    await server.stop();
  };
}
