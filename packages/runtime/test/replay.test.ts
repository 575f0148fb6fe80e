// Determinism guard: every history recorded from a real run (test/fixtures/histories, written by
// test/support/record-histories.ts) must replay against the current workflow bundle. A change to
// pipeline-run.workflow.ts that would break runs already in flight fails here; guard it with
// patched() instead of re-recording.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { connectTestEnv } from './support/test-env.js';

const HISTORIES = fileURLToPath(new URL('./fixtures/histories/', import.meta.url));
const files = readdirSync(HISTORIES)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('recorded pipeline runs', () => {
  it('cover the happy path, gate failures, approvals by update and signal, both timeouts, two waiting steps (queued before, in parallel now), builds that publish (since build-publishes-compatible), and local steps on the embedded file, with a retried local attempt', () => {
    expect(files).toEqual([
      'approval-timeout-fail.json',
      'approval-timeout-reject.json',
      'approved-by-update.json',
      'approved-local-steps.json',
      'approved-one-activity-per-compatible-step.json',
      'published-local-steps.json',
      'published-one-activity-per-step.json',
      'published.json',
      'quality-gate-failed.json',
      'rejected-by-signal.json',
      'retried-after-local-attempt.json',
      'two-approvals-in-parallel.json',
      'two-approvals-queued.json',
    ]);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    // Installs the quiet runtime logger; the replay itself needs no server.
    await (await connectTestEnv()).teardown();
    const history: unknown = JSON.parse(readFileSync(`${HISTORIES}${file}`, 'utf8'));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file },
      history,
    );
  });
});
