// The catalog site of `pipectl docs build`, in Debian's Chromium, for the repository's own shop
// project: built with the library, opened from file:// (no server, no network), with the registry
// and check results of a real DuckDB warehouse the engine ran the project into twice. Its pages
// render, a contract shows each check's latest result and its trend, the lineage explorer names the
// same downstream of a column as `pipectl check`'s impactOf, and search finds a column. Writes the
// screenshots docs/catalog.md shows when PIPECTL_UPDATE_SCREENSHOTS=1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  buildCatalogModel,
  type CatalogInput,
  type CheckRecord,
  type Publication,
  writeCatalogSite,
} from '@pipectl/catalog-site';
import { impactOf } from '@pipectl/check';
import { type CompileResult, compile, loadProject } from '@pipectl/compiler';
import {
  checkResultHistory,
  openWarehouse,
  projectReadablePaths,
  publicationHistory,
  runPipeline,
} from '@pipectl/engine';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WAIT_LIMIT_MS } from '../../../test-support/wait.js';
import { findChromium, launchChromium } from './support/chromium.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const IMAGES = join(ROOT, 'docs/images');
const VIEWPORT = { width: 1400, height: 900 };
/** A column whose change reaches several datasets across both pipelines. */
const COLUMN = 'raw.order_items.unit_price';

let browser: Browser | undefined;
let site: string | undefined;
let compiled: CompileResult | undefined;

/**
 * Runs of the project a day apart, the trend every check shows: two that publish, then one whose
 * contract for mart.fct_order_items allows at most 3 items a line, which the data breaks, so its
 * gate blocks the publication.
 */
const RUNS = [
  { runId: 'pipectl-shop-run-1', now: new Date('2026-12-02T06:00:00Z'), passes: true },
  { runId: 'pipectl-shop-run-2', now: new Date('2026-12-03T06:00:00Z'), passes: true },
  { runId: 'pipectl-shop-run-3', now: new Date('2026-12-04T06:00:00Z'), passes: false },
];
let warehouseDir: string | undefined;
type Contract = CatalogInput['contracts'] extends ReadonlyMap<string, infer C> ? C : never;

const atMostThreeItems = (contract: Contract): Contract => ({
  ...contract,
  columns: contract.columns.map((c) => (c.name === 'quantity' ? { ...c, max: 3 } : c)),
});

/** Runs every pipeline of the project into a new DuckDB warehouse, then reads what `docs build` reads. */
async function runTheProject(
  result: CompileResult,
  contracts: ReadonlyMap<string, Contract>,
): Promise<{ publications: Map<string, Publication[]>; checkResults: Map<string, CheckRecord[]> }> {
  warehouseDir = mkdtempSync(join(tmpdir(), 'pipectl-catalog-warehouse-'));
  const warehouse = await openWarehouse(join(warehouseDir, 'warehouse.duckdb'), {
    readable: projectReadablePaths(ROOT, result.project, result.plan.pipelines),
  });
  try {
    for (const { passes, ...run } of RUNS)
      for (const name of ['shop_staging', 'shop_marts']) {
        const pipeline = result.plan.pipelines.find((p) => p.name === name);
        if (!pipeline) throw new Error(`no pipeline ${name} in the shop project`);
        const fact = contracts.get('mart.fct_order_items') as Contract;
        const runContracts = passes
          ? contracts
          : new Map([...contracts, ['mart.fct_order_items', atMostThreeItems(fact)] as const]);
        const report = await runPipeline(warehouse, {
          pipeline,
          contracts: runContracts,
          projectDir: ROOT,
          ...run,
        });
        const fct = report.steps.find((s) => s.dataset === 'mart.fct_order_items');
        if (fct && fct.status !== (passes ? 'published' : 'failed'))
          throw new Error(`${run.runId} of ${name}: ${JSON.stringify(fct)}`);
        if (passes && !report.passed)
          throw new Error(`${run.runId} of ${name} did not pass: ${JSON.stringify(report)}`);
      }
    const publications = new Map<string, Publication[]>();
    const checkResults = new Map<string, CheckRecord[]>();
    for (const name of contracts.keys()) {
      publications.set(name, await publicationHistory(warehouse, name));
      checkResults.set(name, await checkResultHistory(warehouse, name));
    }
    return { publications, checkResults };
  } finally {
    warehouse.close();
  }
}

beforeAll(async () => {
  const executablePath = findChromium();
  compiled = await compile(ROOT);
  const loaded = await loadProject(ROOT);
  const contracts = new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
  const model = buildCatalogModel({
    plan: compiled.plan,
    graph: compiled.graph,
    contracts,
    ...(await runTheProject(compiled, contracts)),
    warehouse: { state: 'read' },
    now: new Date('2026-12-03T09:00:00Z'),
  });
  site = mkdtempSync(join(tmpdir(), 'pipectl-catalog-'));
  await writeCatalogSite(model, site);
  browser = await launchChromium(executablePath);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (site) rmSync(site, { recursive: true, force: true });
  if (warehouseDir) rmSync(warehouseDir, { recursive: true, force: true });
});

async function open(route: string): Promise<Page> {
  if (!browser || !site) throw new Error('the test environment did not start');
  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${pathToFileURL(join(site, 'index.html')).href}#/${route}`);
  page.on('close', () => expect(errors).toEqual([]));
  return page;
}

const screenshot = async (page: Page, name: string): Promise<void> => {
  if (process.env.PIPECTL_UPDATE_SCREENSHOTS)
    await page.screenshot({ path: join(IMAGES, name), animations: 'disabled' });
};
const texts = (page: Page, selector: string): Promise<string[]> =>
  page.locator(selector).evaluateAll((nodes) => nodes.map((node) => (node.textContent ?? '').trim()));

test('the home page lists every contract and pipeline of the project', async () => {
  const page = await open('');
  await page.locator('#contracts').waitFor({ timeout: WAIT_LIMIT_MS });
  const names = await texts(page, '#contracts tbody tr td:first-child');
  expect(names).toEqual(compiled?.plan.datasets.map((d) => d.name));
  expect(await texts(page, '#pipelines tbody tr td:first-child')).toEqual(['shop_marts', 'shop_staging']);
  await page.close();
});

test("a contract's page shows its owner, columns, keys and PII", async () => {
  const page = await open('contract/raw.customers');
  await page.locator('#columns').waitFor({ timeout: WAIT_LIMIT_MS });
  const email = page.locator('#column-email');
  await expect.poll(() => email.locator('td').nth(4).textContent()).toBe('email');
  const dataset = compiled?.plan.datasets.find((d) => d.name === 'raw.customers');
  await expect.poll(() => page.locator('.facts dd').first().textContent()).toBe(dataset?.owner);
  await page.close();
  const fact = await open('contract/mart.fct_order_items');
  await fact.locator('#columns').waitFor({ timeout: WAIT_LIMIT_MS });
  await screenshot(fact, 'catalog-contract.png');
  await fact.close();
});

test("a contract's page shows each check's latest result and its trend over the runs", async () => {
  const page = await open('contract/mart.fct_order_items');
  const results = page.locator('#check-results');
  await results.waitFor({ timeout: WAIT_LIMIT_MS });
  const cells = (check: string) => texts(page, `#result-${check} > td`);
  const ticks = (check: string) =>
    page
      .locator(`#result-${check} .trend .tick`)
      .evaluateAll((nodes) => nodes.map((t) => [t.getAttribute('class'), t.getAttribute('title')]));

  // The check that blocked the third run: failed, not published, with its rows counted.
  const range = await cells('range_quantity');
  expect(range[1]).toBe('quantity');
  expect(range[3]).toBe('failblocked the publication');
  expect(range[4]).toMatch(/^6 failing of 188 rows/);
  expect(range[5]).toBe('2026-12-04 06:00Z');
  expect(range[6]).toContain('pipectl-shop-run-3');
  // Its strip, oldest first: two passes that published, then the failure that blocked.
  expect(await ticks('range_quantity')).toEqual([
    ['tick pass', expect.stringMatching(/^2026-12-02T06:00:00.000Z pipectl-shop-run-1: pass — /)],
    ['tick pass', expect.stringMatching(/^2026-12-03T06:00:00.000Z pipectl-shop-run-2: pass — /)],
    [
      'tick fail blocked',
      expect.stringMatching(/^2026-12-04T06:00:00.000Z pipectl-shop-run-3: fail \(blocked\) — /),
    ],
  ]);
  expect(range[7]).toContain('2/3');
  // What fails now comes first.
  expect((await texts(page, '#check-results tbody tr td:first-child code'))[0]).toBe('range_quantity');
  // A check that passed every time, the third time in a gate that blocked.
  expect((await ticks('not_null_order_id')).map(([cls]) => cls)).toEqual([
    'tick pass',
    'tick pass',
    'tick pass blocked',
  ]);
  // Every check the gate ran has a row, constraint-implied ones included.
  expect(await results.locator('tbody tr').count()).toBeGreaterThan(3);
  // The heading at the top, below the sticky header.
  await page.locator('h3', { hasText: 'Latest results' }).evaluate((heading) => {
    heading.scrollIntoView({ block: 'start' });
    heading.ownerDocument.defaultView?.scrollBy(0, -60);
  });
  await screenshot(page, 'catalog-check-results.png');
  await page.close();
});

test("the explorer's downstream of a column is what `pipectl check` names for it", async () => {
  const page = await open(`explorer/${COLUMN}?hops=3&dir=downstream`);
  await page.locator('#graph[data-ready="true"]').waitFor({ timeout: WAIT_LIMIT_MS });
  const expected = compiled ? impactOf(compiled.graph, COLUMN) : undefined;
  expect(expected?.columns.length).toBeGreaterThan(3);
  expect(await texts(page, '#impact-columns li')).toEqual(expected?.columns);
  expect(await texts(page, '#impact-datasets li a')).toEqual(expected?.datasets.map((d) => d.name));
  expect(await texts(page, '#impact-owners li')).toEqual(expected?.owners);
  // cytoscape drew the neighbourhood: the column and what it feeds within three hops.
  const drawn = Number(await page.locator('#graph').getAttribute('data-nodes'));
  expect(drawn).toBeGreaterThan(1);
  expect(await page.locator('#graph canvas').count()).toBeGreaterThan(0);
  await screenshot(page, 'catalog-explorer.png');
  await page.close();
});

test('search finds a column by its name, and opens its contract', async () => {
  const page = await open('');
  await page.locator('#contracts').waitFor({ timeout: WAIT_LIMIT_MS });
  await page.locator('#search').fill('unit_price');
  const hit = page.locator('#search-hits a.hit', { hasText: COLUMN });
  await hit.waitFor({ timeout: WAIT_LIMIT_MS });
  await screenshot(page, 'catalog-search.png');
  await hit.click();
  await page.locator('#column-unit_price.selected').waitFor({ timeout: WAIT_LIMIT_MS });
  expect(await page.locator('h1').textContent()).toContain('raw.order_items');
  await page.close();
});

test("a pipeline's page shows its steps and sources", async () => {
  const page = await open('pipeline/shop_staging');
  await page.locator('#steps').waitFor({ timeout: WAIT_LIMIT_MS });
  const plan = compiled?.plan.pipelines.find((p) => p.name === 'shop_staging');
  expect(await texts(page, '#sources tbody tr td:first-child')).toEqual(plan?.sources.map((s) => s.name));
  expect((await texts(page, '#steps tbody tr td:first-child')).length).toBe(plan?.steps.length);
  await screenshot(page, 'catalog-pipeline.png');
  await page.close();
});
