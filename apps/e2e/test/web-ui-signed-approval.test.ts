// Rejections and signed approvals through the real Temporal web UI, in Debian's Chromium. A run
// waiting on the breaking v2 is rejected with the UI's Signal form: it ends Failed with
// ChangeRejected (not a green Completed), the list shows it by its dataset, and nothing is published.
// Then the project requires signed approvals: an unsigned UI approval is refused visibly in Current
// Details, and the signed JSON `pipectl approve --print` prints, pasted into the same form, is taken.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWarehouse, publicationHistory } from '@pipectl/engine';
import { chooseSigner, getStatus, listRuns, signDecision, startRun } from '@pipectl/runtime';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, WAIT_LIMIT_MS, within } from '../../../test-support/wait.js';
import { findChromium, launchChromium } from './support/chromium.js';
import { type DevStack, startDevStack } from './support/dev-stack.js';
import { copyProject, type ProjectCopy } from './support/project-copy.js';

const IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
const VIEWPORT = { width: 1280, height: 860 };
/** ssh-keygen by absolute path; without it the signed half is skipped, with a message. */
const SSH_KEYGEN = (process.env.PATH ?? '')
  .split(':')
  .map((dir) => join(dir, 'ssh-keygen'))
  .find((path) => path.startsWith('/') && existsSync(path));

let project: ProjectCopy | undefined;
let stack: DevStack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  const executablePath = findChromium();
  project = copyProject();
  stack = await startDevStack({ projectDir: project.dir, taskQueue: 'e2e-web-ui-signed' });
  browser = await launchChromium(executablePath);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  project?.remove();
});

test('a rejection in the web UI ends the run visibly rejected; with signatures required an unsigned approval is refused and a pasted signed one is taken', async () => {
  if (!project || !stack || !browser) throw new Error('the test environment did not start');
  const { client, taskQueue, uiUrl } = stack;
  const projectDir = project.dir;
  const start = (logicalDate: string) =>
    startRun(client, { project: 'runtime-shop', projectDir, pipeline: 'shop', logicalDate, taskQueue });
  const waitingOn = (runId: string) =>
    eventually(
      async () => (await getStatus(client, runId)).view?.pending ?? undefined,
      `run ${runId} to wait for an approval`,
    );

  const first = await start('2026-11-21');
  expect((await within(first.handle.result(), 'the first run to finish')).status).toBe('succeeded');
  project.apply('shop-v2');
  const rejectedRun = await start('2026-11-22');
  await waitingOn(rejectedRun.runId);

  const page = await browser.newPage({ viewport: VIEWPORT });
  page.setDefaultTimeout(WAIT_LIMIT_MS);
  mkdirSync(IMAGES, { recursive: true });
  const screenshot = async (name: string): Promise<void> => {
    if (process.env.PIPECTL_UPDATE_SCREENSHOTS)
      await page.screenshot({ path: join(IMAGES, name), animations: 'disabled' });
  };

  // Reject with the UI's Signal form.
  await page.goto(`${uiUrl}/namespaces/default/workflows/${rejectedRun.runId}`);
  await sendSignal(page, 'reject', '{"by": "alice", "comment": "finance still reads customers"}');
  const rejected = await eventually(async () => {
    const status = await getStatus(client, rejectedRun.runId);
    return status.execution === 'RUNNING' ? undefined : status;
  }, 'the rejected run to end');
  expect(rejected).toMatchObject({
    execution: 'FAILED',
    status: 'rejected',
    failure: { type: 'ChangeRejected' },
  });

  // The list, filtered by the dataset the run changed: the rejected run reads Failed, not Completed.
  await eventually(
    async () =>
      (await listRuns(client, {})).find((r) => r.runId === rejectedRun.runId && r.status === 'rejected'),
    'the rejected run to be listed as rejected',
  );
  await page.goto(
    `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent("PipectlDataset = 'mart.daily_revenue'")}`,
  );
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: rejectedRun.runId, exact: true }) });
  await row.getByText('Failed').waitFor();
  await screenshot('web-ui-rejected-run.png');
  await page.getByRole('link', { name: rejectedRun.runId, exact: true }).click();
  const rejectedDetails = await openCurrentDetails(page);
  await rejectedDetails
    .getByRole('heading', { name: /Rejected: the change to mart\.daily_revenue was not published/ })
    .waitFor();
  await rejectedDetails.getByText(/finance still reads customers/).waitFor();

  if (!SSH_KEYGEN) {
    console.warn('ssh-keygen is not on PATH: the signed-approval half of the web UI test is skipped');
    return;
  }
  // Signed approvals from now on: alice's key is the only one allowed.
  const key = join(projectDir, '.pipectl', 'alice_ed25519');
  execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', key]);
  writeFileSync(join(projectDir, 'allowed_signers'), `alice ${readFileSync(`${key}.pub`, 'utf8')}`);
  appendFileSync(join(projectDir, 'pipectl.yaml'), '\napprovals:\n  signatures: required\n');
  const signedRun = await start('2026-11-23');
  const pending = await waitingOn(signedRun.runId);

  await page.goto(`${uiUrl}/namespaces/default/workflows/${signedRun.runId}`);
  await sendSignal(page, 'approve', '{"by": "alice", "comment": "unsigned"}');
  await page.reload();
  const refused = await openCurrentDetails(page);
  await refused.getByText(/Signed approvals required/).waitFor();
  await refused.getByText(/alice.{1,3}: this project requires signed approvals/).waitFor();
  await screenshot('web-ui-unsigned-refused.png');

  // What `pipectl approve <run> --as alice --key <key> --print` prints, pasted into the form.
  const status = await getStatus(client, signedRun.runId);
  const signed = await signDecision({
    runId: signedRun.runId,
    kind: 'approve',
    input: { by: 'alice', comment: 'signed in the web UI' },
    pending,
    signer: await chooseSigner({
      keyFile: key,
      by: 'alice',
      signers: status.view?.signatures?.signers ?? [],
    }),
    now: new Date(),
  });
  await sendSignal(page, 'approve', JSON.stringify(signed), 'web-ui-signed-signal.png');
  const approved = await eventually(async () => {
    const s = await getStatus(client, signedRun.runId);
    return s.execution === 'RUNNING' ? undefined : s;
  }, 'the signed approval to be taken and the run to finish');
  expect(approved).toMatchObject({ execution: 'COMPLETED', status: 'succeeded' });
  expect(approved.view?.decisions.at(-1)).toMatchObject({
    kind: 'approved',
    by: 'alice',
    via: 'signal',
    signature: { signedAt: signed.signedAt },
  });
  await page.reload();
  const decided = await openCurrentDetails(page);
  await decided.getByText(/signed with key SHA256:/).waitFor();
  await screenshot('web-ui-signed-decision.png');

  await stack.stopWorker();
  const warehouse = await openWarehouse(join(projectDir, '.pipectl', 'warehouse.duckdb'));
  try {
    const history = await publicationHistory(warehouse, 'mart.daily_revenue');
    // The rejected run published nothing; the signed approval is kept with v2.
    expect(history.map((v) => [v.runId, v.contractVersion, v.approval?.signature?.signedAt ?? null])).toEqual(
      [
        [first.runId, '1.0.0', null],
        [signedRun.runId, '2.0.0', signed.signedAt],
      ],
    );
  } finally {
    warehouse.close();
  }
});

/** The run page's Current Details frame (User Metadata tab; the last Markdown iframe on it). */
async function openCurrentDetails(page: Page): Promise<FrameLocator> {
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  return page.getByTitle('output').last().contentFrame();
}

/** Sends `input` as the `signal` through the UI's More Actions → Send a Signal form. */
async function sendSignal(
  page: Page,
  signal: 'approve' | 'reject',
  input: string,
  shot?: string,
): Promise<void> {
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
  const form = page.getByRole('dialog', { name: 'Send a Signal' });
  await form.getByRole('button', { name: 'Select a signal' }).click();
  await page.getByRole('option', { name: new RegExp(`^${signal}`) }).click();
  await form.getByRole('button', { name: signal, exact: true }).waitFor();
  const editor = form.getByRole('textbox', { disabled: false });
  await editor.click();
  // One input event, as a paste: typed keys would make the editor close brackets and quotes itself.
  await page.keyboard.insertText(input);
  if (shot && process.env.PIPECTL_UPDATE_SCREENSHOTS)
    await page.screenshot({ path: join(IMAGES, shot), animations: 'disabled' });
  const submit = form.getByRole('button', { name: 'Submit' });
  await submit.click();
  // The editor reformats the JSON when it loses focus; a click that only blurred it is repeated.
  await form.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => submit.click());
  await form.waitFor({ state: 'hidden' });
}
