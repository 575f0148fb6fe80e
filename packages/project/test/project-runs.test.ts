// The façade's runs, through the library, on a real Temporal dev server (the binary the project
// builds) with a real worker of a copy of the repository's default project: start, attach, follow
// and list the project's runs; a breaking change waits, a decision that names the wrong change or
// comes from a non-approver is refused with PIPE6005, and the approver's decision publishes it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DevServer,
  findTemporalBinary,
  type PipectlWorker,
  runWorker,
  SEARCH_ATTRIBUTES,
  startDevServer,
} from '@pipectl/runtime';
import { PipectlError } from '@pipectl/spec';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/wait.js';
import { connectProject, DecisionNotPlacedError, type ProjectRuns } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE_CACHE = fileURLToPath(new URL('../.pipectl/cache', import.meta.url));

let dir: string;
let server: DevServer;
let worker: PipectlWorker | undefined;
let workerDone: Promise<void>;
let runs: ProjectRuns;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-project-runs-'));
  for (const part of ['contracts', 'pipelines', 'data', 'pipectl.yaml'])
    cpSync(join(REPO, part), join(dir, part), { recursive: true });
  server = await startDevServer({ binary: findTemporalBinary(), searchAttributes: SEARCH_ATTRIBUTES });
  const taskQueue = `project-runs-${Date.now()}`;
  const ready = new Promise<PipectlWorker>((resolveReady, rejectReady) => {
    workerDone = runWorker({
      address: server.address,
      taskQueue,
      projectDir: dir,
      project: 'shop',
      signals: [],
      bundleCacheDir: BUNDLE_CACHE,
      onReady: resolveReady,
    });
    workerDone.catch(rejectReady);
  });
  worker = await ready;
  // env {}: the machine's TEMPORAL_* variables must not point the test elsewhere.
  runs = await connectProject(dir, { overrides: { address: server.address, taskQueue }, env: {} });
}, 600_000);

afterAll(async () => {
  await runs?.close();
  worker?.shutdown();
  await workerDone?.catch(() => undefined);
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("starts a run, follows it to its end, and lists the project's runs; a run of a done date is not run again", async () => {
  expect(runs.settings.project).toBe('shop');
  const workers = await eventually(async () => {
    const polling = await runs.workers();
    return polling?.some((w) => w.project === 'shop') ? polling : undefined;
  }, "the project's worker to show as polling its task queue");
  expect(workers.length).toBeGreaterThan(0);

  const started = await runs.start('shop_staging', { logicalDate: '2026-11-01' });
  expect(started).toMatchObject({
    outcome: 'started',
    runId: 'pipectl-shop-shop_staging-2026-11-01',
    attempt: 1,
  });
  const seen: string[] = [];
  const final = await runs.watch(started.runId, (status) => seen.push(status.status));
  expect(final.status).toBe('succeeded');
  expect(seen.at(-1)).toBe('succeeded');
  expect((await runs.start('shop_staging', { logicalDate: '2026-11-01' })).outcome).toBe('already-run');
  expect((await runs.status(started.runId)).status).toBe('succeeded');

  const marts = await runs.start('shop_marts', { logicalDate: '2026-11-01' });
  expect((await runs.watch(marts.runId, () => {})).status).toBe('succeeded');
  const listed = await eventually(async () => {
    const all = await runs.list();
    return all.length >= 2 ? all : undefined;
  }, "both runs to show in the project's list");
  expect(listed.map((run) => run.runId).sort()).toEqual([marts.runId, started.runId].sort());
  expect(listed.every((run) => run.project === 'shop')).toBe(true);
});

it("a breaking change waits; a stale fingerprint and a non-approver are refused; the approver's decision publishes it", async () => {
  // mart.daily_revenue loses average_order_value: FIELD_REMOVED, breaking under its forward mode.
  const contractFile = join(dir, 'contracts/mart/daily_revenue.contract.yaml');
  const contract = readFileSync(contractFile, 'utf8');
  const start = contract.indexOf('  - name: average_order_value');
  const edited = contract.slice(0, start) + contract.slice(contract.indexOf('quality:'));
  writeFileSync(contractFile, edited.replace(/^version: .*$/m, 'version: 2.0.0'));
  const pipelineFile = join(dir, 'pipelines/shop_marts.pipeline.yaml');
  writeFileSync(
    pipelineFile,
    readFileSync(pipelineFile, 'utf8')
      .replace(
        /,\n\s*cast\(sum\(net_amount\) \/ count\(distinct order_id\) as decimal\(12,2\)\) as average_order_value/,
        '',
      )
      .replace(/\s*- name: plausible_basket[\s\S]*?maxFailing: 1%/, ''),
  );

  const { runId } = await runs.start('shop_marts', { logicalDate: '2026-11-02' });
  const waiting = await eventually(async () => {
    const steps = await runs.waitingOf(runId);
    return steps && steps.length > 0 ? steps : undefined;
  }, `run ${runId} to wait for a decision`);
  expect(waiting.map((p) => [p.step, p.dataset])).toEqual([['daily_revenue', 'mart.daily_revenue']]);
  const fingerprint = waiting[0]?.fingerprint ?? '';
  expect(waiting[0]?.compatibility.changes.map((change) => change.rule)).toContain('FIELD_REMOVED');

  const stale = await runs
    .decide(runId, 'approve', { by: 'alice', step: 'daily_revenue', fingerprint: '0123456789abcdef' })
    .catch((error: unknown) => error);
  expect(stale).toBeInstanceOf(PipectlError);
  expect((stale as PipectlError).code).toBe('PIPE6005');
  expect((stale as PipectlError).message).toContain(`has fingerprint ${fingerprint}, not 0123456789abcdef`);

  const stranger = await runs.decide(runId, 'approve', { by: 'mallory' }).catch((error: unknown) => error);
  expect((stranger as PipectlError).code).toBe('PIPE6005');
  expect((stranger as PipectlError).message).toContain('"mallory" is not an approver of mart.daily_revenue');

  const invalid = await runs
    .decide(runId, 'approve', { by: 'alice', comment: 'x'.repeat(2001) })
    .catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(DecisionNotPlacedError);
  expect((invalid as DecisionNotPlacedError).waiting).toEqual([]);

  const prepared = await runs.decide(runId, 'approve', { by: 'alice', send: 'none' });
  expect(prepared.input).toMatchObject({ by: 'alice', step: 'daily_revenue', fingerprint });
  expect(prepared.decision).toBeUndefined();

  const { decision } = await runs.decide(runId, 'approve', {
    by: 'alice',
    comment: 'finance migrated',
    fingerprint,
  });
  expect(decision).toMatchObject({ kind: 'approved', by: 'alice', step: 'daily_revenue', fingerprint });
  const final = await runs.watch(runId, () => {});
  expect(final.status).toBe('succeeded');
}, 600_000);
