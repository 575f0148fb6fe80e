// Many processes, one lake: separate OS processes, each with its own in-memory DuckDB, publish into
// one DuckLake whose catalog is a real PostgreSQL database. Different datasets at the same time all
// land; the same dataset replaced at the same time lands whole or is refused as retryable (PIPE5202),
// never mixed; each publication is a snapshot that time travel reads back.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publicationHistory, relationAtVersion, type Warehouse } from '../../src/index.js';
import { runStep } from '../../src/steps/run-step.js';
import { openLakehouse } from '../../src/warehouse/lakehouse.js';
import { fixtureContract, rowsOf } from '../helpers/temp-warehouse.js';
import { newPostgresCatalog, warehouseKinds } from '../support/warehouse-kinds.js';

warehouseKinds(); // stops the file's PostgreSQL server afterwards
const PUBLISHER = new URL('../support/lake-publisher.ts', import.meta.url).pathname;

interface Attempt {
  runId: string;
  marker: number;
  status: string;
  code?: string;
  retryable?: boolean;
  message?: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-lake-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts one publisher process per job, releases them together, and collects their attempts. */
async function publishConcurrently(
  catalog: string,
  dataPath: string,
  jobs: readonly { dataset: string; tag: string; runs: number }[],
): Promise<Attempt[][]> {
  const children = jobs.map((job) =>
    spawn(
      process.execPath,
      [
        '--conditions=@pipectl/source',
        '--import',
        'tsx',
        PUBLISHER,
        catalog,
        dataPath,
        job.dataset,
        job.tag,
        String(job.runs),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const outputs = children.map((child) => collect(child));
  await Promise.all(outputs.map((output) => output.ready));
  for (const child of children) child.stdin?.write('go\n');
  return Promise.all(outputs.map((output) => output.done));
}

function collect(child: ChildProcess): { ready: Promise<void>; done: Promise<Attempt[]> } {
  const attempts: Attempt[] = [];
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  // A child that exits before "ready" fails the test at once, instead of leaving it to time out.
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    if (line === 'ready') markReady();
    else if (line.startsWith('{')) attempts.push(JSON.parse(line) as Attempt);
  });
  const done = new Promise<Attempt[]>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) return resolve(attempts);
      const error = new Error(
        `a publisher process exited with ${code} before publishing (see its stderr above)`,
      );
      failReady(error);
      reject(error);
    });
  });
  // Awaited only after every child is ready; the failure is reported through `ready` before that.
  done.catch(() => undefined);
  return { ready, done };
}

test('workers attaching a new, empty catalog at the same moment all attach (one of them creates it)', async () => {
  const fresh = await newPostgresCatalog();
  const lakes = await Promise.all(
    Array.from({ length: 4 }, () => openLakehouse({ catalog: fresh, dataPath: join(dir, 'fresh-data') })),
  );
  for (const lake of lakes) lake.close();
  expect(lakes).toHaveLength(4);
});

describe('a DuckLake on PostgreSQL shared by processes', () => {
  let catalog: string;
  let dataPath: string;
  let lake: Warehouse;
  beforeAll(async () => {
    catalog = await newPostgresCatalog();
    dataPath = join(dir, 'shared-data');
    lake = await openLakehouse({ catalog, dataPath });
  });
  afterAll(() => lake?.close());

  test('two processes publishing two different datasets at the same time both land', async () => {
    const [a, b] = await publishConcurrently(catalog, dataPath, [
      { dataset: 'sales.lines_a', tag: 'p1', runs: 4 },
      { dataset: 'sales.lines_b', tag: 'p2', runs: 4 },
    ]);
    // Some commits may race on the registry; a refused one is retryable, never partial.
    for (const attempt of [...(a ?? []), ...(b ?? [])]) {
      if (attempt.status !== 'published')
        expect(attempt).toMatchObject({ code: 'PIPE5202', retryable: true });
    }
    for (const [dataset, attempts] of [
      ['sales.lines_a', a],
      ['sales.lines_b', b],
    ] as const) {
      const landed = (attempts ?? []).filter((attempt) => attempt.status === 'published');
      expect(landed.length, `${dataset}: no publication landed`).toBeGreaterThan(0);
      const history = await publicationHistory(lake, dataset);
      expect(history.map((version) => version.runId)).toEqual(landed.map((attempt) => attempt.runId));
      const last = landed.at(-1);
      expect(await rowsOf(lake, `SELECT DISTINCT quantity FROM ${dataset}`)).toEqual([
        { quantity: last?.marker },
      ]);
    }
    const both = (a ?? []).concat(b ?? []).filter((attempt) => attempt.status === 'published').length;
    expect(both).toBeGreaterThanOrEqual(2);
  });

  test('two processes replacing the same dataset: each publication lands whole or is refused as retryable', async () => {
    const attempts = (
      await publishConcurrently(catalog, dataPath, [
        { dataset: 'sales.contested', tag: 'p3', runs: 6 },
        { dataset: 'sales.contested', tag: 'p4', runs: 6 },
      ])
    ).flat();
    const refused = attempts.filter((attempt) => attempt.status !== 'published');
    for (const attempt of refused) expect(attempt).toMatchObject({ code: 'PIPE5202', retryable: true });
    const landed = new Map(
      attempts.filter((attempt) => attempt.status === 'published').map((a) => [a.runId, a.marker]),
    );
    expect(landed.size).toBeGreaterThan(0);

    // Every recorded publication is one snapshot holding exactly its own run's five rows.
    const history = await publicationHistory(lake, 'sales.contested');
    expect(new Set(history.map((version) => version.runId))).toEqual(new Set(landed.keys()));
    for (const version of history) {
      expect(version.snapshotId, `${version.runId} has no snapshot`).toBeTypeOf('number');
      const relation = relationAtVersion(lake, 'sales.contested', version.snapshotId ?? -1);
      expect(
        await rowsOf(lake, `SELECT quantity, count(*) AS n FROM ${relation} GROUP BY quantity`),
        `the version of ${version.runId}`,
      ).toEqual([{ quantity: landed.get(version.runId), n: 5 }]);
    }
    // The table now is one writer's complete version: the last recorded publication's.
    const current = await rowsOf(
      lake,
      'SELECT quantity, count(*) AS n FROM sales.contested GROUP BY quantity',
    );
    expect(current).toEqual([{ quantity: landed.get(history.at(-1)?.runId ?? ''), n: 5 }]);
  });
});

describe.each([
  ['PostgreSQL', () => newPostgresCatalog()],
  ['a local catalog file', async () => join(mkdtempSync(join(tmpdir(), 'pipectl-cat-')), 'lake.ducklake')],
] as const)('time travel on a DuckLake with %s', (_name, newCatalog) => {
  test('reads the previous version after a publication', async () => {
    const lake = await openLakehouse({
      catalog: await newCatalog(),
      dataPath: join(dir, `tt-${Date.now()}`),
    });
    try {
      const contract = fixtureContract('order-lines');
      const publish = (runId: string, quantity: number) =>
        runStep(lake, {
          runId,
          step: 'lines',
          dataset: 'sales.order_lines',
          sql: `select 1::BIGINT as order_id, 1 as line_number, ${quantity} as quantity`,
          materialized: 'table',
          contract,
        });
      expect((await publish('run-1', 7)).status).toBe('published');
      expect((await publish('run-2', 9)).status).toBe('published');
      const [first, second] = await publicationHistory(lake, 'sales.order_lines');
      expect(first?.snapshotId).toBeLessThan(second?.snapshotId ?? 0);
      const before = relationAtVersion(lake, 'sales.order_lines', first?.snapshotId ?? -1);
      expect(await rowsOf(lake, `SELECT quantity FROM ${before}`)).toEqual([{ quantity: 7 }]);
      expect(await rowsOf(lake, 'SELECT quantity FROM sales.order_lines')).toEqual([{ quantity: 9 }]);
    } finally {
      lake.close();
    }
  });
});
