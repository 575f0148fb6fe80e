// Proves the Temporal toolchain end to end: the repo-built dev server, the workflow bundler (ESM,
// TypeScript sources with .js imports), a Worker and the client.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as activities from './fixtures/greeting.activities.js';
import type { greeting } from './fixtures/greeting.workflow.js';
import { bundleWorkflows, connectTestEnv } from './support/test-env.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/greeting.workflow.ts', import.meta.url));

describe('the Temporal toolchain', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    env = await connectTestEnv();
    workflowBundle = await bundleWorkflows(workflowsPath);
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a bundled workflow that calls an activity on the local dev server', async () => {
    const taskQueue = `toolchain-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle,
      activities,
    });

    const result = await worker.runUntil(
      env.client.workflow.execute<typeof greeting>('greeting', {
        taskQueue,
        workflowId: `greeting-${randomUUID()}`,
        args: ['pipectl'],
      }),
    );

    expect(result).toBe('Hello, pipectl!');
  });
});
