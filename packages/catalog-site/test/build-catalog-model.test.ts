// The catalog model of the repository's own shop project: what the site shows, checked against the
// compiler's plan and `pipectl check`'s impact answer, plus a registry history and runs given as data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { impactOf } from '@pipectl/check';
import { type CompileResult, compile, loadProject } from '@pipectl/compiler';
import type { Contract } from '@pipectl/spec';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildCatalogModel, type CatalogModel, type Publication, writeCatalogSite } from '../src/index.js';

const ROOT = join(import.meta.dirname, '../../..');
let compiled: CompileResult;
let contracts: Map<string, Contract>;
let model: CatalogModel;

beforeAll(async () => {
  compiled = await compile(ROOT);
  const loaded = await loadProject(ROOT);
  contracts = new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
  model = buildCatalogModel({ plan: compiled.plan, graph: compiled.graph, contracts, now: new Date(0) });
});

test('every dataset and pipeline of the plan is in the model, in the same order', () => {
  expect(model.datasets.map((d) => d.name)).toEqual(compiled.plan.datasets.map((d) => d.name));
  expect(model.pipelines.map((p) => p.name)).toEqual(['shop_marts', 'shop_staging']);
  expect(model.project).toMatchObject({
    name: 'shop',
    generatedAt: '1970-01-01T00:00:00.000Z',
    warehouse: { state: 'skipped' },
    runs: { state: 'skipped' },
  });
});

test("a contract's page data keeps its columns' keys, references and PII", () => {
  const customers = model.datasets.find((d) => d.name === 'raw.customers');
  expect(customers?.columns.find((c) => c.name === 'email')).toMatchObject({ pii: 'email' });
  const fact = model.datasets.find((d) => d.name === 'mart.fct_order_items');
  expect(fact).toMatchObject({
    owner: 'analytics@example.com',
    compatibility: 'backward',
    approvers: ['alice', 'bob'],
  });
  expect(fact?.columns.find((c) => c.name === 'customer_id')?.references).toBe(
    'mart.dim_customers.customer_id',
  );
  expect(fact?.columns.filter((c) => c.primaryKey).map((c) => c.name)).toEqual(['order_id', 'line_number']);
  expect(fact?.producedBy).toBe('shop_marts/fct_order_items');
});

test("every column's impact is `pipectl check`'s answer for it", () => {
  for (const dataset of model.datasets) {
    for (const target of [dataset.name, ...dataset.columns.map((c) => `${dataset.name}.${c.name}`)]) {
      const expected = impactOf(compiled.graph, target);
      expect(model.impact[target]).toEqual({
        datasets: expected?.datasets ?? [],
        columns: expected?.columns ?? [],
        pipelines: expected?.pipelines ?? [],
        owners: expected?.owners ?? [],
      });
    }
  }
  expect(model.impact['raw.order_items.unit_price']?.datasets.map((d) => d.name)).toEqual([
    'staging.order_items',
    'mart.fct_order_items',
    'mart.daily_revenue',
  ]);
});

test('column edges are the lineage graph’s derives edges, each through its step', () => {
  expect(model.columnEdges).toContainEqual({
    from: 'raw.order_items.unit_price',
    to: 'staging.order_items.unit_price',
    via: 'shop_staging/stg_order_items',
  });
  expect(model.datasetEdges.filter((e) => e.to === 'mart.daily_revenue').map((e) => e.from)).toContain(
    'mart.fct_order_items',
  );
});

test('search has an entry for every dataset, column, pipeline, owner and tag', () => {
  const columns = model.datasets.reduce((n, d) => n + d.columns.length, 0);
  const kinds = (kind: string) => model.search.filter((e) => e.kind === kind).length;
  expect(kinds('dataset')).toBe(model.datasets.length);
  expect(kinds('column')).toBe(columns);
  expect(kinds('pipeline')).toBe(2);
  expect(model.search).toContainEqual(
    expect.objectContaining({ kind: 'owner', name: 'analytics@example.com' }),
  );
  expect(model.search).toContainEqual(
    expect.objectContaining({
      kind: 'column',
      name: 'raw.customers.email',
      page: 'contract/raw.customers/email',
    }),
  );
  expect(kinds('tag')).toBeGreaterThan(0);
});

describe('with the registry and Temporal read', () => {
  const v1 = (): Contract => contracts.get('mart.daily_revenue') as Contract;
  const publication = (
    schema: Contract,
    version: string,
    runId: string,
    extra: Partial<Publication> = {},
  ) => ({
    runId,
    contractVersion: version,
    schema,
    schemaHash: `hash-${version}`,
    rowsWritten: 10,
    publishedAt: `2026-11-2${version[0]}T06:00:00.000Z`,
    ...extra,
  });

  test('each published version carries its compatibility verdict against the one before, its approver and run link', () => {
    const dropped: Contract = { ...v1(), version: '2.0.0', columns: v1().columns.slice(0, -1) };
    const built = buildCatalogModel({
      plan: compiled.plan,
      graph: compiled.graph,
      contracts,
      publications: new Map([
        [
          'mart.daily_revenue',
          [
            publication(v1(), '1.0.0', 'run-1'),
            publication(dropped, '2.0.0', 'run-2', { approval: { by: 'alice', decision: 'approved' } }),
          ],
        ],
      ]),
      runUrl: (runId) => `http://localhost:8233/namespaces/default/workflows/${runId}`,
    });
    const versions = built.datasets.find((d) => d.name === 'mart.daily_revenue')?.versions ?? [];
    expect(versions.map((v) => [v.contractVersion, v.verdict, v.approval?.by])).toEqual([
      ['1.0.0', 'first', undefined],
      ['2.0.0', 'breaking', 'alice'],
    ]);
    expect(versions[1]?.changes.map((c) => c.rule)).toContain('FIELD_REMOVED');
    expect(versions[1]?.runUrl).toBe('http://localhost:8233/namespaces/default/workflows/run-2');
    expect(built.project.warehouse).toEqual({ state: 'read' });
  });

  test("each check's latest result and its trend of the last resultsPerCheck results, oldest first", () => {
    const result = (checkId: string, runId: string, day: number, status: string, outcome = 'published') => ({
      checkId,
      kind: checkId.startsWith('not_null') ? 'not_null' : 'row_count',
      origin: checkId.startsWith('not_null') ? 'constraint' : 'contract',
      ...(checkId.startsWith('not_null') ? { column: 'day' } : {}),
      severity: 'error',
      status,
      passed: status === 'pass',
      outcome,
      expected: 'no failing rows',
      observed: status === 'pass' ? '0 failing rows' : '2 failing rows',
      checkedAt: `2026-11-${day}T06:00:00.000Z`,
      runId,
      contractVersion: '1.0.0',
    });
    const built = buildCatalogModel({
      plan: compiled.plan,
      graph: compiled.graph,
      contracts,
      checkResults: new Map([
        [
          'mart.daily_revenue',
          [
            result('not_null_day', 'run-1', 21, 'pass'),
            result('not_null_day', 'run-3', 23, 'fail', 'blocked'),
            result('not_null_day', 'run-2', 22, 'pass'),
            result('has_rows', 'run-1', 21, 'pass'),
          ],
        ],
      ]),
      resultsPerCheck: 2,
      runUrl: (runId) => `http://localhost:8233/namespaces/default/workflows/${runId}`,
    });
    const results = built.datasets.find((d) => d.name === 'mart.daily_revenue')?.checkResults ?? [];
    expect(results.map((c) => [c.id, c.kind, c.column ?? null, c.latest.status, c.latest.outcome])).toEqual([
      ['has_rows', 'row_count', null, 'pass', 'published'],
      ['not_null_day', 'not_null', 'day', 'fail', 'blocked'],
    ]);
    expect(results[1]?.trend.map((r) => [r.runId, r.status])).toEqual([
      ['run-2', 'pass'],
      ['run-3', 'fail'],
    ]);
    expect(results[1]?.latest.runUrl).toBe('http://localhost:8233/namespaces/default/workflows/run-3');
    expect(built.datasets.find((d) => d.name === 'mart.fct_order_items')?.checkResults).toEqual([]);
  });

  test("a pipeline's runs are its own, newest first, at most runsPerPipeline", () => {
    const run = (runId: string, pipeline: string, day: number) => ({
      runId,
      pipeline,
      status: 'succeeded',
      execution: 'COMPLETED',
      logicalDate: `2026-11-${day}`,
      startTime: new Date(Date.UTC(2026, 10, day)),
    });
    const built = buildCatalogModel({
      plan: compiled.plan,
      graph: compiled.graph,
      contracts,
      runs: [run('c', 'shop_marts', 23), run('b', 'shop_staging', 22), run('a', 'shop_marts', 21)],
      runsPerPipeline: 1,
    });
    expect(built.pipelines.find((p) => p.name === 'shop_marts')?.runs).toEqual([
      { runId: 'c', status: 'succeeded', logicalDate: '2026-11-23', startTime: '2026-11-23T00:00:00.000Z' },
    ]);
    expect(built.project.runs).toEqual({ state: 'read' });
  });
});

test('the written site holds its page, script, model and the graph library, with no address off this machine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-site-'));
  try {
    const site = await writeCatalogSite(model, dir);
    expect([...site.files].sort()).toEqual([
      'assets/catalog.css',
      'assets/catalog.js',
      'assets/cytoscape.min.js',
      'assets/model.js',
      'index.html',
    ]);
    const index = readFileSync(site.index, 'utf8');
    expect(index).toContain('<title>shop · pipectl catalog</title>');
    expect(index).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = readFileSync(join(dir, 'assets/model.js'), 'utf8');
    expect(script.startsWith('window.PIPECTL_CATALOG = ')).toBe(true);
    expect(script).not.toContain('</');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`only` (docs build --select) keeps the selected datasets, their edges and pipelines; impact stays whole', () => {
  const only = new Set(['mart.daily_revenue', 'mart.fct_order_items']);
  const part = buildCatalogModel({
    plan: compiled.plan,
    graph: compiled.graph,
    contracts,
    now: new Date(0),
    only,
  });
  expect(part.datasets.map((d) => d.name)).toEqual(['mart.daily_revenue', 'mart.fct_order_items']);
  expect(part.pipelines.map((p) => p.name)).toEqual(['shop_marts']);
  expect(part.datasetEdges).toEqual([
    { from: 'mart.fct_order_items', to: 'mart.daily_revenue', via: 'shop_marts/daily_revenue' },
  ]);
  expect(part.search.some((entry) => JSON.stringify(entry).includes('raw.orders'))).toBe(false);
  expect(part.impact['mart.fct_order_items']).toEqual(model.impact['mart.fct_order_items']);
});
