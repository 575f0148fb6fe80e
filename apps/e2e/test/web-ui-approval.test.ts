// The approval path through the real Temporal web UI, in Debian's Chromium. A first run of the
// fixture project publishes v1; after the breaking v2 (mart.daily_revenue drops a column) a second
// run waits for an approver. The test finds it in the list filtered by `AwaitingApproval = true`,
// reads the pending change in the run's Current Details, approves it with the UI's own Signal form,
// and checks that the run succeeds and the registry records who approved. On the way it writes the
// screenshots the docs show (docs/images/web-ui-*.png, rewritten with PIPECTL_UPDATE_SCREENSHOTS=1).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWarehouse, publicationHistory } from '@pipectl/engine';
import { getStatus, listRuns, startRun } from '@pipectl/runtime';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, WAIT_LIMIT_MS, within } from '../../../test-support/wait.js';
import { findChromium, launchChromium } from './support/chromium.js';
import { type DevStack, startDevStack } from './support/dev-stack.js';
import { copyProject, type ProjectCopy } from './support/project-copy.js';

const IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
/** What an approver types into the Signal form, exactly as docs/running.md shows it. */
const APPROVAL_INPUT = '{"by": "alice", "comment": "approved in the web UI"}';
const VIEWPORT = { width: 1280, height: 860 };

let project: ProjectCopy | undefined;
let stack: DevStack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  // First, so a missing browser fails at once with the command that installs it.
  const executablePath = findChromium();
  project = copyProject();
  stack = await startDevStack({ projectDir: project.dir, taskQueue: 'e2e-web-ui' });
  browser = await launchChromium(executablePath);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  project?.remove();
});

test('an approver approves a waiting run with the web UI Signal form (a non-approver is refused visibly), and the registry records it', async () => {
  if (!project || !stack || !browser) throw new Error('the test environment did not start');
  const { client, taskQueue, uiUrl } = stack;
  const projectDir = project.dir;
  const start = (logicalDate: string) =>
    startRun(client, { project: 'runtime-shop', projectDir, pipeline: 'shop', logicalDate, taskQueue });

  // v1 publishes; v2 drops a column of mart.daily_revenue and waits for an approver.
  const first = await start('2026-11-21');
  expect((await within(first.handle.result(), 'the run to finish')).status).toBe('succeeded');
  project.apply('shop-v2');
  const run = await start('2026-11-22');
  const pending = await eventually(
    async () => (await getStatus(client, run.runId)).view?.pending ?? undefined,
    'the run to wait for an approval',
  );
  // Visibility is eventually consistent: the list shows the run once the server's index has it.
  await eventually(
    async () => (await listRuns(client, { awaitingApproval: true })).find((r) => r.runId === run.runId),
    'the run to be listed as awaiting approval',
  );

  const page = await browser.newPage({ viewport: VIEWPORT });
  // The docs' screenshots change on every run (times, ids): rewrite them only when asked.
  const screenshot = async (name: string): Promise<void> => {
    if (process.env.PIPECTL_UPDATE_SCREENSHOTS)
      await page.screenshot({ path: join(IMAGES, name), animations: 'disabled' });
  };
  // Each page wait names the element it waits for; the limit only bounds a hang on a busy machine.
  page.setDefaultTimeout(WAIT_LIMIT_MS);
  mkdirSync(IMAGES, { recursive: true });

  // The list, filtered by pipectl's search attribute: the waiting run, not the finished one.
  await page.goto(
    `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent('AwaitingApproval = true')}`,
  );
  const listed = page.getByRole('link', { name: run.runId, exact: true });
  await listed.waitFor();
  expect(await page.getByRole('link', { name: first.runId, exact: true }).count()).toBe(0);

  // pipectl's search attributes as list columns: the UI keeps a table's columns per browser, so
  // each reviewer adds them once (docs/running.md shows how); then the row names what waits.
  await showColumns(page, ['PipectlPipeline', 'PipectlDataset', 'PipectlVerdict']);
  const row = page.getByRole('row').filter({ has: listed });
  await row.getByText('mart.daily_revenue').waitFor();
  await row.getByText('breaking', { exact: true }).waitFor();
  await screenshot('web-ui-waiting-list.png');

  // The run's Current Details say what changed and how to decide. The UI renders each Markdown
  // field in an iframe titled "output"; Current Details is the last on the User Metadata tab.
  await listed.click();
  const details = await openCurrentDetails(page);
  await details
    .getByRole('heading', { name: 'Awaiting approval: breaking change to mart.daily_revenue' })
    .waitFor();
  await details.getByRole('cell', { name: 'FIELD_REMOVED' }).waitFor();
  await details.getByText('How to decide').waitFor();
  // The change fingerprint an approver copies into a decision that names what they reviewed.
  await details.getByText(pending.fingerprint).first().waitFor();
  await screenshot('web-ui-waiting-run.png');

  // The run's Summary is fixed when it starts; the approval wait's timer names what waits, in History.
  await page.getByRole('tab', { name: /^History/ }).click();
  await page
    .getByText(/awaiting approval: breaking change to mart\.daily_revenue: FIELD_REMOVED/)
    .first()
    .waitFor();
  await screenshot('web-ui-waiting-timer.png');

  // A signal from someone who is not an approver: the run refuses it, and says so in Current Details.
  await sendSignal(page, 'approve', '{"by": "mallory", "comment": "lgtm"}');
  await page.reload();
  const refusedDetails = await openCurrentDetails(page);
  await refusedDetails.getByText(/Refused decisions/).waitFor();
  await refusedDetails.getByText(/mallory.{1,3} is not an approver of mart\.daily_revenue/).waitFor();
  await screenshot('web-ui-refused-signal.png');

  // The UI's own Signal form: `approve`, with the approver's JSON typed into its CodeMirror editor.
  await sendSignal(page, 'approve', APPROVAL_INPUT, 'web-ui-approve-signal.png');

  const finished = await eventually(async () => {
    const status = await getStatus(client, run.runId);
    return status.execution === 'RUNNING' ? undefined : status;
  }, 'the approved run to finish');
  expect(finished).toMatchObject({ execution: 'COMPLETED', status: 'succeeded' });
  expect(finished.view?.decisions).toMatchObject([
    {
      kind: 'approved',
      by: 'alice',
      comment: 'approved in the web UI',
      via: 'signal',
      step: 'daily_revenue',
    },
  ]);
  expect(finished.view?.refused.map((r) => r.by)).toEqual(['mallory']);

  // The registry: read once the worker has closed the warehouse file.
  await stack.stopWorker();
  const warehouse = await openWarehouse(join(projectDir, '.pipectl', 'warehouse.duckdb'));
  try {
    const history = await publicationHistory(warehouse, 'mart.daily_revenue');
    expect(
      history.map((v) => ({ runId: v.runId, version: v.contractVersion, approval: v.approval ?? null })),
    ).toEqual([
      { runId: first.runId, version: '1.0.0', approval: null },
      {
        runId: run.runId,
        version: '2.0.0',
        approval: { by: 'alice', decision: 'approved', comment: 'approved in the web UI' },
      },
    ]);
  } finally {
    warehouse.close();
  }
});

/** The run page's Current Details frame (User Metadata tab; the last Markdown iframe on it). */
async function openCurrentDetails(page: Page): Promise<FrameLocator> {
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  return page.getByTitle('output').last().contentFrame();
}

/** Adds search attributes as columns of the workflow list, through its Configure Workflows Table drawer. */
async function showColumns(page: Page, names: readonly string[]): Promise<void> {
  await page.getByTestId('workflows-summary-table-configuration-button').click();
  const drawer = page.locator('#workflows-table-configuration-drawer');
  for (const name of names) {
    const available = drawer.getByTestId(`orderable-list-item-${name}`);
    await available.getByRole('button').last().click();
    // Added, the column joins the end of the "in view" list; moved up past Run ID, Type, Start
    // and End, it sits beside the workflow id, where a reviewer reads it without scrolling.
    const up = drawer.getByRole('button', { name: `Move ${name} column up` });
    for (let step = 0; step < 4; step++) await up.click();
  }
  await drawer.getByRole('button', { name: 'Close Workflows Table configuration' }).click();
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
  expect(await editor.textContent()).toBe(input);
  if (shot && process.env.PIPECTL_UPDATE_SCREENSHOTS)
    await page.screenshot({ path: join(IMAGES, shot), animations: 'disabled' });
  const submit = form.getByRole('button', { name: 'Submit' });
  await submit.click();
  // The editor reformats the JSON when it loses focus; a click that only blurred it is repeated.
  await form.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => submit.click());
  await form.waitFor({ state: 'hidden' });
}
