// Signed approvals on the dev server: the project requires them (pipectl.yaml `approvals`), the
// approvers' keys are in its allowed-signers file, and the run holds the keys of the revision it
// was planned from. Unsigned or wrongly signed decisions are refused with their reason (answered to
// an update; recorded, with Current Details, for a signal); a signed one is taken, and the published
// version keeps the signature, which OpenSSH verifies again.
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarehousePool } from '../src/activities/warehouse-pool.js';
import { decide, signalDecision } from '../src/client/decide.js';
import { listRuns } from '../src/client/list-runs.js';
import type { DecisionRefusedError } from '../src/client/run-errors.js';
import { getStatus } from '../src/client/run-status.js';
import { chooseSigner, signDecision } from '../src/client/sign-decision.js';
import { startRun } from '../src/client/start-run.js';
import { APPROVAL_NAMESPACE } from '../src/workflows/decision-signature.js';
import {
  applyOverlay,
  copyProject,
  eventually,
  publications,
  publishDirectly,
  startWorker,
  uniqueDate,
  uniqueTaskQueue,
  within,
} from './support/runtime-fixture.js';
import { keyFolder, makeKey, SSH_KEYGEN } from './support/ssh-keys.js';
import { connectTestEnv } from './support/test-env.js';

describe.skipIf(!SSH_KEYGEN)('a project that requires signed approvals', () => {
  let env: TestWorkflowEnvironment;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('refuses unsigned and forged decisions with their reason, takes a signed one, and keeps its signature with the version', async () => {
    const keys = keyFolder();
    cleanups.push(keys.remove);
    const alice = makeKey(keys.dir, 'alice');
    const mallory = makeKey(keys.dir, 'mallory');
    const project = copyProject();
    cleanups.push(project.remove);
    const pool = createWarehousePool({ idleCloseMs: 200 });
    await publishDirectly(pool, project.dir, 'shop', 'seed-v1');
    applyOverlay(project.dir, 'shop-v2');
    appendFileSync(
      join(project.dir, 'pipectl.yaml'),
      'approvals:\n  signatures: required\n  allowedSigners: allowed_signers\n',
    );
    writeFileSync(
      join(project.dir, 'allowed_signers'),
      `alice ${alice.publicLine}\nbob ${alice.publicLine}\n`,
    );
    const taskQueue = uniqueTaskQueue('signed');
    const worker = await startWorker(env, { projectDir: project.dir, taskQueue, warehouses: pool });
    cleanups.push(() => worker.stop());
    const run = await startRun(env.client, {
      project: 'runtime-shop',
      projectDir: project.dir,
      pipeline: 'shop',
      logicalDate: uniqueDate(),
      taskQueue,
      change: {
        commit: '0123456789abcdef0123456789abcdef01234567',
        author: 'Alice Doe <alice@example.com>',
        subject: 'drop customers from daily_revenue',
        dirty: false,
        pullRequest: 'https://github.com/acme/shop/pull/42',
      },
    });
    const waiting = await eventually(async () => {
      const status = await getStatus(env.client, run.runId);
      return status.view?.pending ? status : undefined;
    }, 'the run to wait for an approval');
    const pending = waiting.view?.pending;
    if (!pending) throw new Error('no pending approval');
    // A change cannot add its own approver: the run keeps the keys it was planned with.
    writeFileSync(join(project.dir, 'allowed_signers'), `alice ${mallory.publicLine}\n`);

    const unsigned = await decide(env.client, run.runId, 'approve', { by: 'alice', comment: 'lgtm' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await signalDecision(env.client, run.runId, 'approve', { by: 'alice', comment: 'lgtm' });
    const signers = waiting.view?.signatures?.signers ?? [];
    const forged = await signDecision({
      runId: run.runId,
      kind: 'approve',
      input: { by: 'alice', comment: 'lgtm' },
      pending,
      signer: await chooseSigner({ keyFile: mallory.path, by: 'alice', signers }),
      now: new Date(),
    });
    await signalDecision(env.client, run.runId, 'approve', forged);
    const refusedView = await eventually(async () => {
      const view = (await getStatus(env.client, run.runId)).view;
      return view && view.refused.length >= 2 ? view : undefined;
    }, 'the run to refuse the unsigned and the forged signal');
    const metadata = (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails: string };
    // The list shows which dataset the run changed and how gravely, and filters by it.
    const listed = await eventually(async () => {
      const runs = await listRuns(env.client, { awaitingApproval: true, pipeline: 'shop' });
      const found = runs.find((r) => r.runId === run.runId);
      return found && found.datasets.length > 0 ? found : undefined;
    }, 'the waiting run to be listed with its dataset and verdict');

    const signed = await signDecision({
      runId: run.runId,
      kind: 'approve',
      input: { by: 'alice', comment: 'finance migrated' },
      pending,
      signer: await chooseSigner({ keyFile: alice.path, by: 'alice', signers }),
      now: new Date(),
    });
    await signalDecision(env.client, run.runId, 'approve', signed);
    const result = await within(run.handle.result(), 'the run to finish');
    const finalDetails = (
      (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails: string }
    ).currentDetails;

    expect(waiting.view?.signatures?.signers.map((s) => s.fingerprint)).toEqual([
      alice.fingerprint,
      alice.fingerprint,
    ]);
    expect((unsigned as DecisionRefusedError).reason).toBe(
      `this project requires signed approvals: "alice" sent an unsigned decision; sign it with \`pipectl approve ${run.runId} --as alice\` (or paste the JSON of \`--print\`)`,
    );
    expect(refusedView.refused.map((r) => r.reason)).toEqual([
      expect.stringContaining('this project requires signed approvals'),
      'signature refused: signed with a key that is not in the allowed-signers file of the planned revision',
    ]);
    expect(listed).toMatchObject({
      datasets: ['mart.daily_revenue'],
      verdict: 'breaking',
      project: 'runtime-shop',
    });
    expect(metadata.currentDetails).toContain('**Refused decisions (not applied)**');
    // Why the contract changed, beside the change; and that signatures are required.
    expect(metadata.currentDetails).toContain(
      '**Why:** commit `0123456789ab` by Alice Doe &lt;alice@example.com&gt;: "drop customers from daily_revenue" — pull request https://github.com/acme/shop/pull/42',
    );
    expect(metadata.currentDetails).toContain('**Signed approvals required.**');
    expect(waiting.view?.change?.pullRequest).toBe('https://github.com/acme/shop/pull/42');
    expect(metadata.currentDetails).toContain('not in the allowed-signers file');
    expect(result.status).toBe('succeeded');
    expect(finalDetails).toContain(
      '- **approved** `mart.daily_revenue` (step `daily_revenue`) by **alice** via signal at ',
    );
    expect(finalDetails).toContain(
      `, signed with key \`${alice.fingerprint}\` at ${signed.signedAt} — "finance migrated"`,
    );
    const decision = result.view.decisions.at(-1);
    expect(decision).toMatchObject({
      kind: 'approved',
      by: 'alice',
      via: 'signal',
      signature: { fingerprint: alice.fingerprint, signedAt: signed.signedAt, signature: signed.signature },
    });
    const [, version] = await publications(pool, project.dir, 'mart.daily_revenue');
    expect(version?.approval).toMatchObject({
      by: 'alice',
      decision: 'approved',
      comment: 'finance migrated',
      signature: { fingerprint: alice.fingerprint, via: 'signal', signature: signed.signature },
    });
    // The registry's record is checkable by anyone holding the allowed-signers file, with OpenSSH.
    const allowed = join(keys.dir, 'allowed_signers');
    const sig = join(keys.dir, 'recorded.sig');
    writeFileSync(allowed, `alice ${alice.publicLine}\n`);
    writeFileSync(sig, `${version?.approval?.signature?.signature}\n`);
    execFileSync(
      SSH_KEYGEN as string,
      ['-Y', 'verify', '-f', allowed, '-I', 'alice', '-n', APPROVAL_NAMESPACE, '-s', sig],
      { input: version?.approval?.signature?.message ?? '', stdio: ['pipe', 'ignore', 'pipe'] },
    );
  });
});
