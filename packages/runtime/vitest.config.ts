// Runtime tests share one Temporal dev server, started in test/global-setup.ts.
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globalSetup: ['./test/global-setup.ts'],
    },
  }),
);
