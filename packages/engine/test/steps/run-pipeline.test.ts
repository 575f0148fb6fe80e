// A planned pipeline run in one process: sources land and are checked against their contracts,
// steps run in order, and the steps downstream of a failed one are skipped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contract, Source } from '@pipectl/spec';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type ProgressEvent, runPipeline } from '../../src/index.js';
import type { PipelineToRun } from '../../src/steps/run-pipeline.js';
import { fixtureContract, rowsOf, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';
import { warehouseKinds } from '../support/warehouse-kinds.js';

describe.each(warehouseKinds())('on a $name', (kind) => {
  let db: TempWarehouse;
  beforeEach(async () => {
    db = await tempWarehouse(kind);
    writeFileSync(join(db.dir, 'lines.csv'), 'order_id,line_number,quantity\n1,1,2\n1,2,1\n2,1,0\n');
  });
  afterEach(() => db.close());

  const lines = fixtureContract('order-lines');
  const raw: Contract = {
    ...lines,
    name: 'raw.order_lines',
    columns: lines.columns.map((c) => ({ ...c, min: undefined })),
  };
  const contracts = new Map<string, Contract>([
    [raw.name, raw],
    [lines.name, lines],
    [`${lines.name}_copy`, { ...lines, name: `${lines.name}_copy` }],
  ]);
  const source = {
    name: 'lines',
    kind: 'csv',
    contract: 'raw.order_lines',
    path: 'lines.csv',
    header: true,
  } as Source;

  const pipeline = (where: string): PipelineToRun => ({
    name: 'sales',
    sources: [source],
    steps: [
      {
        name: 'lines',
        produces: 'sales.order_lines',
        materialized: 'table',
        sql: `select * from "raw"."order_lines" where ${where}`,
        gates: [],
      },
      {
        name: 'copy',
        produces: 'sales.order_lines_copy',
        materialized: 'view',
        sql: 'select * from "sales"."order_lines"',
        gates: [],
        dependsOn: ['lines'],
      },
    ],
  });

  test('sources land, steps publish in order', async () => {
    const report = await runPipeline(db.warehouse, {
      pipeline: pipeline('quantity > 0'),
      contracts,
      runId: 'run-1',
      projectDir: db.dir,
    });
    expect(report.passed).toBe(true);
    expect(report.sources.map((s) => [s.name, s.status, s.extract?.rowsWritten])).toEqual([
      ['lines', 'loaded', 3],
    ]);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['lines', 'published'],
      ['copy', 'published'],
    ]);
    expect(await rowsOf(db.warehouse, 'SELECT count(*) AS n FROM sales.order_lines_copy')).toEqual([
      { n: 2 },
    ]);
  });

  test('a failed step skips the steps that depend on it', async () => {
    const report = await runPipeline(db.warehouse, {
      pipeline: pipeline('true'),
      contracts,
      runId: 'run-1',
      projectDir: db.dir,
    });
    expect(report.passed).toBe(false);
    expect(report.steps.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['lines', 'failed', undefined],
      ['copy', 'skipped', 'step "lines" did not publish'],
    ]);
  });

  test('a source that cannot be read fails with its message and skips the steps', async () => {
    const report = await runPipeline(db.warehouse, {
      pipeline: { ...pipeline('true'), sources: [{ ...source, path: 'missing.csv' } as Source] },
      contracts,
      runId: 'run-1',
      projectDir: db.dir,
    });
    expect(report.sources[0]?.status).toBe('failed');
    expect(report.sources[0]?.error?.message).toContain('missing.csv');
    expect(report.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
  });

  test('progress: each source and step is told as it starts and finishes, with the rows read, built and checked', async () => {
    const events: ProgressEvent[] = [];
    await runPipeline(db.warehouse, {
      pipeline: pipeline('true'),
      contracts,
      runId: 'run-1',
      projectDir: db.dir,
      progress: (event) => events.push(event),
    });
    expect(events.map((e) => ({ ...e, ...('checks' in e ? { checks: 'n' } : {}) }))).toEqual([
      { kind: 'source-started', of: 'lines', dataset: 'raw.order_lines' },
      { kind: 'rows', of: 'lines', phase: 'read', rows: 3 },
      { kind: 'rows', of: 'lines', phase: 'checked', rows: 3, checks: 'n' },
      { kind: 'finished', of: 'lines', status: 'loaded', ok: true },
      { kind: 'step-started', of: 'sales/lines', dataset: 'sales.order_lines' },
      { kind: 'rows', of: 'sales/lines', phase: 'built', rows: 3 },
      { kind: 'rows', of: 'sales/lines', phase: 'checked', rows: 3, checks: 'n' },
      {
        kind: 'finished',
        of: 'sales/lines',
        status: 'failed',
        ok: false,
        reason: expect.stringContaining('quality gate failed'),
      },
      {
        kind: 'finished',
        of: 'sales/copy',
        status: 'skipped',
        ok: false,
        reason: 'step "lines" did not publish',
      },
    ]);
  });

  test('a progress sink that throws does not break the run', async () => {
    const report = await runPipeline(db.warehouse, {
      pipeline: pipeline('quantity > 0'),
      contracts,
      runId: 'run-1',
      projectDir: db.dir,
      progress: () => {
        throw new Error('the terminal went away');
      },
    });
    expect(report.passed).toBe(true);
  });
});
