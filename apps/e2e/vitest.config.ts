import { mergeConfig } from 'vitest/config';
import { serverTestTimeouts, sharedTestConfig } from '../../vitest.shared.ts';

// A browser, a dev server and a worker: each wait names what it waits for (test-support/wait.ts).
export default mergeConfig(sharedTestConfig, { test: serverTestTimeouts });
