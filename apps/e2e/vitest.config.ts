import { mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Browser tests are slow by nature: generous timeouts (the browser test itself takes ~10 s).
export default mergeConfig(sharedTestConfig, { test: { testTimeout: 180_000, hookTimeout: 180_000 } });
