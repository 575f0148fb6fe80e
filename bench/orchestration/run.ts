// The orchestration benchmark: what running a pipeline as a Temporal workflow costs on top of the
// DuckDB work itself. Generates a tiny project (one 100-row CSV source, a 10-step pipeline of
// trivial SELECTs with contracts and gates; see generate.ts), then in fresh processes:
//   engine-once.ts    the same pipeline through the engine's runPipeline on a scratch warehouse of
//                     the same kind ("DuckDB only": no Temporal, compiled once), RUNS times;
//   temporal-once.ts  a repo-built Temporal dev server and WORKERS worker processes: RUNS runs one
//                     after another (single-run latency), then CONCURRENCY runs at once (throughput).
// The warehouse is the embedded default (one DuckDB file, one worker) or, with
// `--warehouse lakehouse`, a DuckLake whose catalog is in a throwaway PostgreSQL server
// (test-support/postgres-server.ts) and whose data is under the project, which any number of
// workers share. `--cpu-prof <dir>` profiles the workers. Prints the machine, the load average
// and a `node -e 0` floor (the machine is shared), medians, runs per minute and peak RSS; removes
// the run state afterwards.
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/run.ts [--warehouse embedded|lakehouse] [--workers 1|2] [--runs 10] [--concurrency 60] [--max-activities 8] [--cpu-prof dir]
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, loadavg, release, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgresServer, type TestPostgresServer } from '../../test-support/postgres-server.js';
import type { EngineSample } from './engine-once.js';
import {
  generateProject,
  LAKE_CATALOG_VARIABLE,
  LAKE_DATA_VARIABLE,
  PROJECT_DIR,
  SOURCE_ROWS,
} from './generate.js';
import { runChild } from './run-child.js';
import { median, percentile } from './stats.js';
import type { TemporalSample } from './temporal-once.js';

const { values } = parseArgs({
  options: {
    warehouse: { type: 'string', default: 'embedded' },
    workers: { type: 'string', default: '1' },
    runs: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '60' },
    'max-activities': { type: 'string', default: '8' },
    'cpu-prof': { type: 'string' },
  },
});
const warehouse = values.warehouse;
if (warehouse !== 'embedded' && warehouse !== 'lakehouse') {
  throw new Error(`--warehouse is embedded or lakehouse, not ${warehouse}`);
}
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers is a whole number from 1');
if (warehouse === 'embedded' && workers > 1) {
  throw new Error(
    'the embedded DuckDB file takes one worker (a second refuses to start): use --warehouse lakehouse for more',
  );
}
const runs = Number(values.runs);
const concurrency = Number(values.concurrency);
const maxActivities = Number(values['max-activities']);
const lakehouse = warehouse === 'lakehouse';

const began = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const floorMs = nodeFloorMs();
await generateProject(PROJECT_DIR, lakehouse);
let postgres: TestPostgresServer | undefined;
const cleanUp = async (): Promise<void> => {
  rmSync(join(PROJECT_DIR, '.pipectl'), { recursive: true, force: true });
  await postgres?.stop();
};

/** The environment of one child: on the lakehouse, its own catalog database and data path. */
async function lakeEnvironment(name: string): Promise<Record<string, string>> {
  if (!postgres) return {};
  await postgres.createDatabase(name);
  return {
    [LAKE_CATALOG_VARIABLE]: postgres.catalogOf(name),
    [LAKE_DATA_VARIABLE]: join(PROJECT_DIR, '.pipectl', name),
  };
}

// Interrupted: the PostgreSQL server runs detached (pg_ctl), so stop it before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

let engine: EngineSample;
let temporal: TemporalSample;
try {
  if (lakehouse) postgres = await startPostgresServer();
  console.log(`engine only (runPipeline on the ${warehouse}, ${runs} runs) ...`);
  engine = await runChild<EngineSample>(
    join(import.meta.dirname, 'engine-once.ts'),
    [PROJECT_DIR, String(runs)],
    await lakeEnvironment('engine_lake'),
  );
  console.log(
    `temporal (dev server + ${workers} worker process(es) on the ${warehouse}, ${runs} runs, then ${concurrency} at once) ...`,
  );
  temporal = await runChild<TemporalSample>(
    join(import.meta.dirname, 'temporal-once.ts'),
    [
      PROJECT_DIR,
      String(runs),
      String(concurrency),
      String(maxActivities),
      String(workers),
      ...(values['cpu-prof'] ? [resolve(values['cpu-prof'])] : []),
    ],
    await lakeEnvironment('temporal_lake'),
  );
} finally {
  await cleanUp();
}

/** Median wall time of `node -e 0`: what starting any process costs on this machine right now. */
function nodeFloorMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - started);
  }
  return median(times);
}

const ms = (value: number): string => `${Math.round(value)} ms`;
const pct = (part: number, whole: number): string => `${Math.round((100 * part) / whole)}%`;
const row = (label: string, value: string, note = ''): void => {
  console.log(`  ${label.padEnd(44)} ${value.padStart(10)}${note ? `  ${note}` : ''}`);
};
const latency = temporal.latency;
const at = <T>(pick: (sample: TemporalSample['latency'][number]) => T): T[] => latency.map(pick);
const temporalMs = median(at((s) => s.wallMs));
const reportedMs = median(at((s) => s.reportedMs));
const engineMs = median(engine.runMs);
const engineReportedMs = median(engine.reportedMs);
const activities = latency[0]?.history.activities.count ?? 0;
const localActivities = latency[0]?.history.activities.local ?? 0;
const byType = (name: string, field: 'execMs' | 'waitMs'): number =>
  median(at((s) => s.history.byType[name]?.[field] ?? 0));
const throughput = temporal.throughput;
const perMinute = (throughput.succeeded / throughput.wallMs) * 60_000;
const cpu = cpus();

console.log(`\norchestration benchmark (${Math.round((performance.now() - began) / 1000)} s in all)`);
console.log(`  machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'} x ${cpu.length}, ${type()} ${release()}`);
console.log(
  `  node ${process.version}; Temporal dev server (repo-built, in memory); ${workers} worker process(es), ` +
    `${maxActivities} activity slots each; warehouse: ${lakehouse ? 'DuckLake, catalog in PostgreSQL, data on local disk' : 'embedded DuckDB file'}`,
);
console.log(
  `  shared machine: load average ${loadAtStart.toFixed(1)} at start; \`node -e 0\` takes ${ms(floorMs)} (median of 5)`,
);
console.log(
  `  pipeline: 1 CSV source (${SOURCE_ROWS} rows), ${engine.steps} steps (chain + 4 parallel branches), ` +
    `${latency[0]?.checks ?? 0} step checks; ${activities} activities per run (${localActivities} of them local)`,
);

console.log(
  `\nsingle run, warm worker (median of ${runs}; first, cold run ${ms(temporal.warmUpMs)}; load ${temporal.loadAtLatency.toFixed(1)}, engine's ${engine.load.toFixed(1)}):`,
);
row(
  'Temporal: start → result',
  ms(temporalMs),
  `p95 ${ms(
    percentile(
      at((s) => s.wallMs),
      95,
    ),
  )}`,
);
row('  DuckDB time in the run reports', ms(reportedMs), `extract + build; publish not timed`);
row('  share outside the reported DuckDB time', pct(temporalMs - reportedMs, temporalMs));
row(
  'engine only: runPipeline, same steps',
  ms(engineMs),
  `p95 ${ms(percentile(engine.runMs, 95))}; of which extract + build ${ms(engineReportedMs)}`,
);
row(
  'orchestration overhead: Temporal - engine',
  ms(temporalMs - engineMs),
  `${(temporalMs / engineMs).toFixed(1)}x the engine-only time`,
);
row(
  '  activity execution, summed',
  ms(median(at((s) => s.history.activities.execMs))),
  'parallel branches overlap: sums may exceed the wall time',
);
for (const name of ['planRun', 'extractSource', 'buildStep', 'publishStep']) {
  row(`    ${name}`, ms(byType(name, 'execMs')));
}
row('  schedule → start waits, summed', ms(median(at((s) => s.history.activities.waitMs))));
row(
  '  workflow tasks, summed',
  ms(median(at((s) => s.history.workflowTasks.ms))),
  `${latency[0]?.history.workflowTasks.count ?? 0} tasks`,
);
row(
  '  project load + compile (engine-only run)',
  ms(engine.compileMs),
  `once per worker: the worker caches it (${activities} activities per run check its files' stats)`,
);

console.log(
  `\nthroughput: ${concurrency} runs started at once on ${workers} worker(s) (${maxActivities} activity slots each; load ${temporal.loadAtThroughput.toFixed(1)}):`,
);
row('wall time until all completed', ms(throughput.wallMs), `all started after ${ms(throughput.startedMs)}`);
row('runs per minute', perMinute.toFixed(1));
row(
  'succeeded / failed',
  `${throughput.succeeded} / ${throughput.failed}`,
  throughput.failures.length > 0 ? `first: ${throughput.failures[0]}` : '',
);
row(
  'run latency under load, p50 / p95',
  `${ms(percentile(throughput.runMs, 50))} / ${ms(percentile(throughput.runMs, 95))}`,
);
row(
  'CPU: worker process / dev server',
  `${throughput.workerCpuS.toFixed(0)} s / ${throughput.serverCpuS.toFixed(0)} s`,
  `${((1000 * (throughput.workerCpuS + throughput.serverCpuS)) / Math.max(1, throughput.succeeded)).toFixed(0)} ms CPU per run, ${cpu.length} cores`,
);
row(
  'activities per worker',
  Object.entries(throughput.activitiesByWorker)
    .sort()
    .map(([name, count]) => `${name.replace('bench-', '')} ${count}`)
    .join(', '),
);
if (!lakehouse) {
  console.log(
    '  note: one worker serialises DuckDB writes per warehouse file (one activity at a time holds the\n' +
      '  warehouse), so runs of one project queue on it; more workers need the lakehouse.',
  );
}

console.log('\npeak RSS:');
row('worker process(es)', temporal.workerPeakRssMb.map((mb) => `${Math.round(mb)} MB`).join(', '));
row('client process', `${Math.round(temporal.peakRssMb)} MB`);
row('Temporal dev server', `${Math.round(temporal.serverPeakRssMb)} MB`);
row('engine-only process', `${Math.round(engine.peakRssMb)} MB`);
row('startup: dev server / worker ready', `${ms(temporal.serverStartMs)} / ${ms(temporal.workerReadyMs)}`);
// Keep the raw numbers visible for anyone checking the medians.
console.log(
  `\nraw: temporal wall ${latency.map((s) => Math.round(s.wallMs)).join(', ')} ms; engine ${engine.runMs.map(Math.round).join(', ')} ms; ` +
    `reported DuckDB ${at((s) => s.reportedMs).join(', ')} ms`,
);
// One line to paste into docs/benchmarks.md's table.
console.log(
  `\nsummary: ${warehouse}, ${workers} worker(s): warm run ${ms(temporalMs)} vs engine ${ms(engineMs)} ` +
    `(${(temporalMs / engineMs).toFixed(2)}x), ${perMinute.toFixed(1)} runs/min; load ${temporal.loadAtLatency.toFixed(1)} / ` +
    `${temporal.loadAtThroughput.toFixed(1)}; node -e 0 ${ms(floorMs)}`,
);
