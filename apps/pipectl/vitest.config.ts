import { mergeConfig } from 'vitest/config';
import { serverTestTimeouts, sharedTestConfig } from '../../vitest.shared.ts';

// Some commands are tested end to end on a real dev server and worker.
export default mergeConfig(sharedTestConfig, { test: serverTestTimeouts });
