// `project.test(...)` through the library: the repository's default project (shop_staging feeds
// shop_marts) run on scratch warehouses, what a selection reduces the work to, the scratch of a
// DuckLake target's kind, and the errors a caller gets for a subject that names no work.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProgressEvent } from '@pipectl/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, ProjectIssuesError } from '../src/index.js';
import { SelectionOutsidePipelineError, UnknownPipelineError } from '../src/project-errors.js';
import { testedWork } from '../src/tested-work.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(REPO, 'examples/task-analytics');

/** The work's shape: each pipeline with its sources and steps, by name. */
const shape = (
  pipelines: readonly {
    readonly name: string;
    readonly sources: readonly { readonly name: string }[];
    readonly steps: readonly { readonly name: string }[];
  }[],
) => pipelines.map((p) => [p.name, p.sources.map((s) => s.name), p.steps.map((s) => s.name)]);

let workdir: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-project-test-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('project.test', () => {
  it('runs a pipeline after the pipelines it reads from, on a scratch file it then deletes', async () => {
    const project = await openProject(REPO);
    const events: ProgressEvent[] = [];
    let announced: string | undefined;
    const report = await project.test(
      { pipeline: 'shop_marts' },
      { progress: (event) => events.push(event), onScratch: (path) => (announced = path) },
    );
    expect(report.passed).toBe(true);
    expect(report.name).toBe('shop_marts');
    expect(report.pipelines.map((p) => p.pipeline)).toEqual(['shop_staging', 'shop_marts']);
    expect(report.scratch).toBe(announced);
    expect(report.scratch).toMatch(/\.pipectl\/test\/shop_marts-[\w-]+\.duckdb$/);
    expect(existsSync(report.scratch)).toBe(false);
    expect(events.some((event) => event.kind === 'source-started')).toBe(true);
  });

  it('runs only what a selection of datasets needs', async () => {
    const project = await openProject(REPO);
    const { plan } = await project.compile();
    // stg_orders reads raw.orders; its relationships check points into staging.customers.
    expect(shape(testedWork(plan, { datasets: new Set(['staging.orders']) }))).toEqual([
      ['shop_staging', ['orders', 'customers'], ['stg_customers', 'stg_orders']],
    ]);
    const report = await project.test({ datasets: new Set(['staging.orders']) });
    expect(report).toMatchObject({ name: 'selection', passed: true, kept: false });
    expect(report.pipelines.flatMap((p) => p.steps.map((s) => s.name))).toEqual([
      'stg_customers',
      'stg_orders',
    ]);
  });

  it('tests everything, upstream first, when given neither a pipeline nor datasets', async () => {
    const { plan } = await (await openProject(REPO)).compile();
    expect(testedWork(plan, {}).map((p) => p.name)).toEqual(['shop_staging', 'shop_marts']);
  });

  it('tests a DuckLake target on a scratch DuckLake with a local catalog, kept when asked', async () => {
    const dir = join(workdir, 'task-analytics');
    cpSync(EXAMPLE, dir, { recursive: true, filter: (path) => !path.includes('.pipectl') });
    appendFileSync(
      join(dir, 'pipectl.yaml'),
      [
        'targets:',
        '  prod:',
        '    warehouse: { kind: ducklake, catalog: "postgres:host=lake.internal dbname=lake", dataPath: /mnt/lake }',
        '',
      ].join('\n'),
    );
    const project = await openProject(dir, { target: 'prod' });
    const report = await project.test({ pipeline: 'task_analytics' }, { keep: true });
    expect(report.passed).toBe(true);
    expect(report.kept).toBe(true);
    expect(report.scratch).toMatch(/\.pipectl\/test\/task_analytics-[\w-]+\.ducklake$/);
    expect(existsSync(report.scratch)).toBe(true);
    expect(readdirSync(join(dir, '.pipectl', 'test')).some((name) => name.endsWith('.lake'))).toBe(true);
    // Nothing was written where the target keeps its data: no project warehouse file either.
    expect(existsSync(join(dir, '.pipectl', 'warehouse.duckdb'))).toBe(false);
  });

  it('names an unknown pipeline with the closest one, and a selection the pipeline does not write', async () => {
    const project = await openProject(REPO);
    const unknown = await project.test({ pipeline: 'shop_mart' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnknownPipelineError);
    expect(unknown).toMatchObject({
      code: 'PIPE2040',
      message: 'unknown pipeline "shop_mart" (did you mean "shop_marts"?)',
    });
    const outside = await project
      .test({ pipeline: 'shop_marts', datasets: new Set(['raw.orders']) })
      .catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(SelectionOutsidePipelineError);
    expect(outside).toMatchObject({ code: 'PIPE2041', pipeline: 'shop_marts' });
  });

  it('refuses to test a project with errors, carrying them located', async () => {
    const broken = fileURLToPath(
      new URL('../../../apps/pipectl/test/fixtures/broken-project', import.meta.url),
    );
    const error = await (await openProject(broken)).test({ pipeline: 'orders' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectIssuesError);
    expect((error as ProjectIssuesError).issues.length).toBeGreaterThan(0);
  });
});
