// `pipectl restore <dataset> --version N`: the usage errors it stops at before starting anything
// (a DuckDB-file target, a dataset no step produces, a version the history does not have), and a
// restore end to end on a local DuckLake: a real Temporal dev server and a pipectl worker republish
// version 1 through a run, and the history gains version 3 under version 1's contract.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, loadProject } from '@pipectl/compiler';
import { openTargetWarehouse, projectReadablePaths, runPipeline } from '@pipectl/engine';
import {
  type DevServer,
  findTemporalBinary,
  type PipectlWorker,
  runWorker,
  SEARCH_ATTRIBUTES,
  startDevServer,
} from '@pipectl/runtime';
import { resolveTarget } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';

let workdir: string;
let project: string;

async function run(args: string[]) {
  const term = bufferTerminal();
  const code = await main([...args, '-p', project], term, workdir);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

/** Publishes the project's pipelines on the lake directly with the engine, as run `runId`. */
async function publish(runId: string): Promise<void> {
  const result = await compile(project);
  const loaded = await loadProject(project);
  const resolved = resolveTarget(result.project, { name: 'lake', env: process.env });
  if (!resolved.ok) throw new Error(resolved.issues.map((i) => i.message).join('; '));
  const warehouse = await openTargetWarehouse(resolved.target, project, {
    readable: projectReadablePaths(project, result.project, result.plan.pipelines),
  });
  try {
    const contracts = new Map(loaded.contracts.map((doc) => [doc.value.name, doc.value]));
    for (const pipeline of result.plan.pipelines) {
      const report = await runPipeline(warehouse, { pipeline, contracts, runId, projectDir: project });
      if (!report.passed) throw new Error(`run ${runId} did not pass: ${JSON.stringify(report)}`);
    }
  } finally {
    warehouse.close();
  }
}

/** The total of signups the lake's dataset holds now. */
async function signups(): Promise<number> {
  const result = await compile(project);
  const resolved = resolveTarget(result.project, { name: 'lake', env: process.env });
  if (!resolved.ok) throw new Error('lake target');
  const warehouse = await openTargetWarehouse(resolved.target, project, { readable: [] });
  try {
    const rows = await warehouse.all<{ n: bigint }>(
      'SELECT sum(signups) AS n FROM "analytics"."daily_signups"',
    );
    return Number(rows[0]?.n);
  } finally {
    warehouse.close();
  }
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-restore-'));
  project = join(workdir, 'demo');
  const term = bufferTerminal();
  expect(await main(['init', project], term, workdir)).toBe(0);
  appendFileSync(
    join(project, 'pipectl.yaml'),
    [
      'targets:',
      '  dev:',
      '    warehouse: { kind: duckdb, path: .pipectl/warehouse.duckdb }',
      '  lake:',
      '    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }',
      'target: lake',
      '',
    ].join('\n'),
  );
  await publish('run-1');
  appendFileSync(join(project, 'data/signups.csv'), '9001,late@example.com,team,2026-01-05T10:00:00Z\n');
  await publish('run-2');
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('pipectl restore: usage errors (exit 2, nothing started)', () => {
  test('the DuckDB file keeps no earlier versions: use a lakehouse target', async () => {
    const { code, stderr } = await run([
      'restore',
      'analytics.daily_signups',
      '--version',
      '1',
      '--target',
      'dev',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('PIPE6045 cannot restore analytics.daily_signups');
    expect(stderr).toContain('kind: ducklake');
  });

  test('a dataset no step produces', async () => {
    const { code, stderr } = await run(['restore', 'raw.signups', '--version', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain('PIPE5220 no step of');
    expect(stderr).toContain('analytics.daily_signups');
  });

  test('a version the history does not have', async () => {
    const { code, stderr } = await run(['restore', 'analytics.daily_signups', '--version', '3']);
    expect(code).toBe(2);
    expect(stderr).toContain('PIPE5221 analytics.daily_signups has no version 3: 2 published');
  });

  test('--version must be a positive whole number', async () => {
    const { code, stderr } = await run(['restore', 'analytics.daily_signups', '--version', 'latest']);
    expect(code).toBe(2);
    expect(stderr).toContain('--version must be a positive whole number');
  });
});

describe('pipectl restore on a DuckLake, through Temporal', () => {
  let server: DevServer;
  let worker: PipectlWorker;
  let workerDone: Promise<void>;
  const taskQueue = `restore-cli-${Date.now()}`;

  beforeAll(async () => {
    server = await startDevServer({ binary: findTemporalBinary(), searchAttributes: SEARCH_ATTRIBUTES });
    const resolved = resolveTarget((await compile(project)).project, { name: 'lake', env: process.env });
    if (!resolved.ok) throw new Error('lake target');
    let ready: (w: PipectlWorker) => void = () => {};
    const started = new Promise<PipectlWorker>((resolve) => {
      ready = resolve;
    });
    workerDone = runWorker({
      address: server.address,
      taskQueue,
      projectDir: project,
      project: 'demo',
      target: resolved.target,
      signals: [],
      onReady: (w) => ready(w),
    });
    worker = await started;
  });
  afterAll(async () => {
    worker?.shutdown();
    await workerDone?.catch(() => undefined);
    await server?.stop();
  });

  test('--wait republishes version 1 as version 3 and exits 0', async () => {
    const before = await signups();
    const restored = await run([
      'restore',
      'analytics.daily_signups',
      '--version',
      '1',
      '--wait',
      '--temporal-address',
      server.address,
      '--task-queue',
      taskQueue,
    ]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(
      /started restore pipectl-demo-restore-analytics\.daily_signups-v1-\d{8}T\d{6}Z: analytics\.daily_signups version 1 \(contract 1\.0\.0, \d+ rows, run run-1\)/,
    );
    expect(restored.stdout).toContain('succeeded');
    expect(await signups()).toBe(before - 1);

    const history = await run(['history', 'analytics.daily_signups', '--format', 'json']);
    const { versions } = JSON.parse(history.stdout) as {
      versions: { version: number; contractVersion: string; schemaHash: string; runId: string }[];
    };
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[2]?.runId).toMatch(/^pipectl-demo-restore-analytics\.daily_signups-v1-/);
    expect(versions[2]?.contractVersion).toBe(versions[0]?.contractVersion);
    expect(versions[2]?.schemaHash).toBe(versions[0]?.schemaHash);
  });
});
