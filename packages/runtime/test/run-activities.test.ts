// The run activities called directly (no Temporal in between; outside an activity they simply do
// not heartbeat), on copies of the fixture project with a real DuckDB warehouse file: planning,
// the failures each kind of bad input becomes, idempotent publication, and the report of a
// breaking change with the consumers it reaches.

import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunActivities } from '../src/activities/create-run-activities.js';
import { createProjectCache } from '../src/activities/project-cache.js';
import { loadRunProject } from '../src/activities/run-project.js';
import { createWarehousePool, type WarehousePool } from '../src/activities/warehouse-pool.js';
import { applyOverlay, copyProject, editFile } from './support/project-copy.js';
import { publications, publishDirectly, query } from './support/runtime-fixture.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(): { dir: string; pool: WarehousePool; activities: ReturnType<typeof createRunActivities> } {
  const project = copyProject();
  const pool = createWarehousePool({ idleCloseMs: 50 });
  cleanups.push(project.remove, () => pool.close());
  return {
    dir: project.dir,
    pool,
    activities: createRunActivities({ warehouses: pool, heartbeatTimeoutMs: 5_000 }),
  };
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

const run = (dir: string) => ({
  projectDir: dir,
  pipeline: 'shop',
  runId: 'run-1',
  logicalDate: '2026-11-22',
});

describe('planRun', () => {
  it('reduces the pipeline to its steps, dependencies, approvers, retries in ms and approval policy', async () => {
    const { dir, activities } = setUp();

    const plan = await activities.planRun({ projectDir: dir, pipeline: 'shop' });

    expect(plan).toMatchInlineSnapshot(
      {
        sources: [{ fingerprint: expect.any(String) }],
        steps: [
          { fingerprint: expect.any(String) },
          { fingerprint: expect.any(String) },
          { fingerprint: expect.any(String) },
        ],
      },
      `
      {
        "approval": {
          "onTimeout": "fail",
          "timeoutMs": 3600000,
        },
        "heartbeatTimeoutMs": 5000,
        "localSteps": true,
        "pipeline": "shop",
        "sources": [
          {
            "dataset": "raw.orders",
            "fingerprint": Any<String>,
            "name": "orders",
            "retry": {
              "backoffCoefficient": 2,
              "initialIntervalMs": 200,
              "maximumAttempts": 3,
              "maximumIntervalMs": 1000,
            },
          },
        ],
        "steps": [
          {
            "approvers": [
              "alice",
            ],
            "dependsOn": [],
            "fingerprint": Any<String>,
            "name": "stg_orders",
            "produces": "stg.orders",
            "retry": {
              "backoffCoefficient": 2,
              "initialIntervalMs": 200,
              "maximumAttempts": 3,
              "maximumIntervalMs": 1000,
            },
          },
          {
            "approvers": [
              "alice",
            ],
            "dependsOn": [
              "stg_orders",
            ],
            "fingerprint": Any<String>,
            "name": "daily_revenue",
            "produces": "mart.daily_revenue",
            "retry": {
              "backoffCoefficient": 2,
              "initialIntervalMs": 200,
              "maximumAttempts": 3,
              "maximumIntervalMs": 1000,
            },
          },
          {
            "approvers": [
              "alice",
            ],
            "dependsOn": [
              "stg_orders",
            ],
            "fingerprint": Any<String>,
            "name": "customer_totals",
            "produces": "mart.customer_totals",
            "retry": {
              "backoffCoefficient": 2,
              "initialIntervalMs": 200,
              "maximumAttempts": 3,
              "maximumIntervalMs": 1000,
            },
          },
        ],
      }
    `,
    );
  });

  it('fails non-retryably with InvalidProject, the issues rendered with file:line:col, when the project does not compile', async () => {
    const { dir, activities } = setUp();
    editFile(
      dir,
      'contracts/stg-orders.contract.yaml',
      '    nullable: false\n    min: 0',
      '    nulable: false\n    min: 0',
    );

    const error = await failure(activities.planRun({ projectDir: dir, pipeline: 'shop' }));

    expect(error.type).toBe('InvalidProject');
    expect(error.nonRetryable).toBe(true);
    expect(error.message.replace(dir, '<project>')).toMatchInlineSnapshot(`
      "the project in <project> does not compile (1 error):
      error PIPE1004 unknown key "nulable" in columns[2]
        --> contracts/stg-orders.contract.yaml:16:5  columns[2].nulable
        = help: did you mean "nullable"?"
    `);
    expect(error.details?.[0]).toMatchObject([{ code: 'PIPE1004', span: { line: 16, col: 5 } }]);
  });

  it('fails with UnknownPipeline and a suggestion for a pipeline the project does not have', async () => {
    const { dir, activities } = setUp();

    const error = await failure(activities.planRun({ projectDir: dir, pipeline: 'shopp' }));

    expect(error.type).toBe('UnknownPipeline');
    expect(error.message).toContain(
      'has no pipeline "shopp" (did you mean "shop"?); pipelines: bulk, reporting, shop',
    );
  });

  it('refuses a project other than the one the worker serves, retryably (another worker may serve it)', async () => {
    const { dir, pool } = setUp();
    const activities = createRunActivities({ warehouses: pool, projectDir: '/srv/other-project' });

    const error = await failure(activities.planRun({ projectDir: dir, pipeline: 'shop' }));

    expect(error.type).toBe('ProjectNotServed');
    expect(error.nonRetryable).toBe(false);
  });
});

describe('buildStep and publishStep', () => {
  it('publish once per run id: a retried publish reports the earlier publication and writes nothing', async () => {
    const { dir, pool, activities } = setUp();
    await activities.extractSource({ ...run(dir), source: 'orders' });
    const built = await activities.buildStep({ ...run(dir), step: 'stg_orders' });

    const first = await activities.publishStep({ ...run(dir), step: 'stg_orders', decision: null });
    const retried = await activities.publishStep({ ...run(dir), step: 'stg_orders', decision: null });
    const rebuilt = await activities.buildStep({ ...run(dir), step: 'stg_orders' });

    expect(built).toMatchObject({
      step: 'stg_orders',
      dataset: 'stg.orders',
      rowsWritten: 5,
      rowsQuarantined: 0,
    });
    expect(built.compatibility).toEqual({
      verdict: 'first',
      mode: 'forward',
      fromVersion: null,
      toVersion: '1.0.0',
      changes: [
        {
          rule: 'DATASET_ADDED',
          path: '',
          verdict: 'compatible',
          message: 'dataset "stg.orders" added (version 1.0.0)',
        },
      ],
      consumers: [],
    });
    expect(first).toEqual({
      step: 'stg_orders',
      dataset: 'stg.orders',
      published: true,
      version: '1.0.0',
      rowsWritten: 5,
    });
    expect(retried).toEqual({ ...first, published: false });
    expect(rebuilt.compatibility.verdict).toBe('compatible');
    expect(await publications(pool, dir, 'stg.orders')).toHaveLength(1);
    expect(await query(pool, dir, 'select count(*)::int as n from stg.orders')).toEqual([{ n: 5 }]);
  });

  it('publishes in the build when asked and the change needs no decision, once per run id; a breaking change stays staged', async () => {
    const { dir, pool, activities } = setUp();
    await publishDirectly(pool, dir, 'shop', 'seed-v1');
    applyOverlay(dir, 'shop-v2');
    await activities.extractSource({ ...run(dir), source: 'orders' });

    const compatible = await activities.buildStep({
      ...run(dir),
      step: 'stg_orders',
      publishWhenCompatible: true,
    });
    const retried = await activities.buildStep({
      ...run(dir),
      step: 'stg_orders',
      publishWhenCompatible: true,
    });
    const breaking = await activities.buildStep({
      ...run(dir),
      step: 'daily_revenue',
      publishWhenCompatible: true,
    });

    expect(compatible.compatibility.verdict).toBe('compatible');
    expect(compatible.published).toEqual({
      step: 'stg_orders',
      dataset: 'stg.orders',
      published: true,
      version: '1.0.0',
      rowsWritten: 5,
    });
    // A retried activity (its first attempt published, then the worker was lost) writes nothing twice.
    expect(retried.published).toEqual({ ...compatible.published, published: false });
    expect(await publications(pool, dir, 'stg.orders')).toHaveLength(2);
    expect(breaking.compatibility.verdict).toBe('breaking');
    expect(breaking.published).toBeUndefined();
    expect(await publications(pool, dir, 'mart.daily_revenue')).toHaveLength(1);
    const published = await activities.publishStep({ ...run(dir), step: 'daily_revenue', decision: null });
    expect(published).toMatchObject({ published: true, version: '2.0.0' });
  });

  it('reports a breaking change with its rule, versions and the consumers the lineage graph names', async () => {
    const { dir, pool, activities } = setUp();
    await publishDirectly(pool, dir, 'shop', 'seed-v1');
    applyOverlay(dir, 'shop-v2');
    await activities.extractSource({ ...run(dir), source: 'orders' });
    await activities.buildStep({ ...run(dir), step: 'stg_orders' });
    await activities.publishStep({ ...run(dir), step: 'stg_orders', decision: null });

    const report = await activities.buildStep({ ...run(dir), step: 'daily_revenue' });

    expect(report.compatibility).toMatchObject({
      verdict: 'breaking',
      mode: 'forward',
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      consumers: [
        { kind: 'dataset', name: 'report.weekly_revenue', owner: 'finance@example.com' },
        { kind: 'pipeline', name: 'reporting', owner: 'finance@example.com' },
      ],
    });
    expect(report.compatibility.changes.find((change) => change.rule === 'FIELD_REMOVED')).toMatchObject({
      path: 'columns.customers',
      verdict: 'breaking',
    });
  });

  it('refuses a step whose output cannot match its contract before anything is built (InvalidProject, PIPE3012)', async () => {
    // `pipectl validate` types every step with DuckDB, so a mismatch the engine would meet at build
    // time as ContractViolation (the engine's own tests cover that path) is caught when the
    // activity compiles the project: nothing is extracted or built.
    const { dir, activities } = setUp();
    editFile(
      dir,
      'pipelines/shop.pipeline.yaml',
      'select order_id, customer,',
      'select order_id::varchar as order_id, customer,',
    );

    const error = await failure(activities.buildStep({ ...run(dir), step: 'stg_orders' }));

    expect(error.type).toBe('InvalidProject');
    expect(error.nonRetryable).toBe(true);
    expect(error.message).toContain('PIPE3012 column "order_id" of step "stg_orders" is varchar');
  });

  it('fails with QualityGateFailed, the failing checks in its details, when a gate at error fails', async () => {
    const { dir, activities } = setUp();
    editFile(dir, 'data/orders.csv', '3,ann,7.25', '3,ann,-7.25');
    await activities.extractSource({ ...run(dir), source: 'orders' });

    const error = await failure(activities.buildStep({ ...run(dir), step: 'stg_orders' }));

    expect(error.type).toBe('QualityGateFailed');
    expect(error.nonRetryable).toBe(true);
    expect(error.details?.[0]).toMatchObject({
      dataset: 'stg.orders',
      checks: expect.arrayContaining([
        expect.objectContaining({ status: 'fail', blocking: true, failingRows: 1 }),
      ]),
    });
  });

  it('fails with ProjectChanged when the step changed since the run was planned', async () => {
    const { dir, activities } = setUp();
    const plan = await activities.planRun({ projectDir: dir, pipeline: 'shop' });
    await activities.extractSource({ ...run(dir), source: 'orders' });
    editFile(dir, 'pipelines/shop.pipeline.yaml', "where status <> 'cancelled'", "where status = 'paid'");

    const error = await failure(
      activities.buildStep({
        ...run(dir),
        step: 'stg_orders',
        fingerprint: plan.steps[0]?.fingerprint ?? '',
      }),
    );

    expect(error.type).toBe('ProjectChanged');
    expect(error.message).toBe(
      'step "stg_orders" (its SQL, gates or contract stg.orders) changed since this run was planned; start a new run to use the new version',
    );
  });

  it('fails with SourceInvalid naming the file and line of a malformed CSV record', async () => {
    const { dir, activities } = setUp();
    editFile(dir, 'data/orders.csv', '5,dee,30.00', '5,dee,thirty');

    const error = await failure(activities.extractSource({ ...run(dir), source: 'orders' }));

    expect(error.type).toBe('SourceInvalid');
    expect(error.message).toMatch(/^PIPE5\d{3} /);
    expect(error.message).toContain('orders.csv');
  });
});

describe('extractSource', () => {
  it('fails with QualityGateFailed when the source breaks its contract, and commits nothing', async () => {
    const { dir, pool, activities } = setUp();
    await activities.extractSource({ ...run(dir), source: 'orders' });
    const landed = await query(pool, dir, 'select * from raw.orders order by order_id');
    editFile(dir, 'data/orders.csv', '6,bob,4.75,2026-11-22,paid', '6,bob,4.75,2026-11-22,refunded');

    const error = await failure(activities.extractSource({ ...run(dir), runId: 'run-2', source: 'orders' }));

    expect(error.type).toBe('QualityGateFailed');
    expect(error.nonRetryable).toBe(true);
    expect(error.details?.[0]).toMatchObject({
      dataset: 'raw.orders',
      checks: expect.arrayContaining([
        expect.objectContaining({ id: 'accepted_values_status', status: 'fail', failingRows: 1 }),
      ]),
    });
    expect(await query(pool, dir, 'select * from raw.orders order by order_id')).toEqual(landed);

    editFile(dir, 'data/orders.csv', '6,bob,4.75,2026-11-22,refunded', '6,bob,4.75,2026-11-22,cancelled');
    await activities.extractSource({ ...run(dir), runId: 'run-3', source: 'orders' });
    expect(await query(pool, dir, 'select status from raw.orders where order_id = 6')).toEqual([
      { status: 'cancelled' },
    ]);
  });
});

describe('the compiled project cache', () => {
  /** Activities whose cache counts how often it compiles the project. */
  function counted() {
    const { dir, pool } = setUp();
    const compiles = { count: 0 };
    const projects = createProjectCache({
      load: (projectDir, options) => {
        compiles.count += 1;
        return loadRunProject(projectDir, options);
      },
    });
    return { dir, pool, compiles, activities: createRunActivities({ warehouses: pool, projects }) };
  }

  it('compiles the project once for a run: later activities reuse it', async () => {
    const { dir, compiles, activities } = counted();

    const plan = await activities.planRun({ projectDir: dir, pipeline: 'shop' });
    await activities.extractSource({
      ...run(dir),
      source: 'orders',
      fingerprint: plan.sources[0]?.fingerprint ?? '',
    });
    await Promise.all(
      plan.steps
        .slice(0, 1)
        .map((step) => activities.buildStep({ ...run(dir), step: step.name, fingerprint: step.fingerprint })),
    );
    await activities.planRun({ projectDir: dir, pipeline: 'shop' });

    expect(compiles.count).toBe(1);
  });

  it('compiles concurrent activities of a cold worker once', async () => {
    const { dir, compiles, activities } = counted();

    await Promise.all([1, 2, 3, 4].map(() => activities.planRun({ projectDir: dir, pipeline: 'shop' })));

    expect(compiles.count).toBe(1);
  });

  it('picks up an edited contract, even one of the same size: a run planned before fails with ProjectChanged', async () => {
    const { dir, compiles, activities } = counted();
    const plan = await activities.planRun({ projectDir: dir, pipeline: 'shop' });
    await activities.extractSource({ ...run(dir), source: 'orders' });
    editFile(dir, 'contracts/stg-orders.contract.yaml', 'min: 0', 'min: 1');

    const error = await failure(
      activities.buildStep({
        ...run(dir),
        step: 'stg_orders',
        fingerprint: plan.steps[0]?.fingerprint ?? '',
      }),
    );

    expect(error.type).toBe('ProjectChanged');
    expect(compiles.count).toBe(2);
    const replanned = await activities.planRun({ projectDir: dir, pipeline: 'shop' });
    expect(replanned.steps[0]?.fingerprint).not.toBe(plan.steps[0]?.fingerprint);
    expect(compiles.count).toBe(2);
  });

  it('does not recompile for a file saved again unchanged (its times moved, its content did not)', async () => {
    const { dir, compiles, activities } = counted();
    await activities.planRun({ projectDir: dir, pipeline: 'shop' });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'contracts', 'stg-orders.contract.yaml'), later, later);

    await activities.planRun({ projectDir: dir, pipeline: 'shop' });

    expect(compiles.count).toBe(1);
  });

  it('picks up a pipeline file removed from the project, and one added', async () => {
    const { dir, compiles, activities } = counted();
    await activities.planRun({ projectDir: dir, pipeline: 'reporting' });
    const reporting = join(dir, 'pipelines', 'reporting.pipeline.yaml');
    const text = readFileSync(reporting, 'utf8');
    rmSync(reporting);

    expect((await failure(activities.planRun({ projectDir: dir, pipeline: 'reporting' }))).type).toBe(
      'UnknownPipeline',
    );
    writeFileSync(join(dir, 'pipelines', 'weekly.pipeline.yaml'), text);
    expect((await activities.planRun({ projectDir: dir, pipeline: 'reporting' })).pipeline).toBe('reporting');
    expect(compiles.count).toBe(3);
  });

  it('does not keep a project that does not compile: fixing it is picked up', async () => {
    const { dir, compiles, activities } = counted();
    editFile(
      dir,
      'pipelines/shop.pipeline.yaml',
      "from {{ ref('stg_orders') }}\n      group by ordered_on",
      "from {{ ref('stg_order') }}\n      group by ordered_on",
    );
    expect((await failure(activities.planRun({ projectDir: dir, pipeline: 'shop' }))).type).toBe(
      'InvalidProject',
    );
    editFile(dir, 'pipelines/shop.pipeline.yaml', "ref('stg_order')", "ref('stg_orders')");

    await activities.planRun({ projectDir: dir, pipeline: 'shop' });

    expect(compiles.count).toBe(2);
  });
});
