// Runtime tests share one Temporal dev server and one workflow bundle, made in test/global-setup.ts.
// Test files mostly wait on the server (timers, polls), so they run in parallel even on small machines.
import { defineConfig, mergeConfig } from 'vitest/config';
import { serverTestTimeouts, sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      ...serverTestTimeouts,
      globalSetup: ['./test/global-setup.ts'],
      maxWorkers: 3,
    },
  }),
);
