// Shared vitest settings: every package's vitest.config.ts spreads these.
//
// Tests wait on what they wait for (test-support/wait.ts: a workflow state, a row, a page element),
// each wait bounded by a generous limit that names what never happened. The test and hook timeouts
// here are only the outermost bound for a hang, set wide enough that a slow, shared machine makes a
// test slow rather than failing it; speed is measured in bench/, not here.
import { defineConfig } from 'vitest/config';

/**
 * Workspace packages resolve to their TypeScript sources in tests (the `@pipectl/source` export
 * condition, as in tsconfig.base.json), so tests never need a build and never see a stale dist/.
 * Setting conditions replaces Vite's defaults, so they are repeated after ours.
 */
const SOURCE_CONDITION = '@pipectl/source';

export const sharedTestConfig = defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, 'module', 'node', 'development|production'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 5 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});

/** For tests on a real Temporal server, browser or worker process: several waits in one test. */
export const serverTestTimeouts = { testTimeout: 30 * 60_000, hookTimeout: 30 * 60_000 } as const;
