// The orchestration benchmark: what running a pipeline as a Temporal workflow costs on top of the
// DuckDB work itself. Generates a tiny project (one 100-row CSV source, a 10-step pipeline of
// trivial SELECTs with contracts and gates; see generate.ts), then in fresh processes:
//   engine-once.ts    the same pipeline through the engine's runPipeline on a scratch warehouse
//                     ("DuckDB only": no Temporal, compiled once), RUNS times;
//   temporal-once.ts  a repo-built Temporal dev server and one worker: RUNS runs one after
//                     another (single-run latency), then CONCURRENCY runs at once (throughput).
// Prints the machine, medians, runs per minute and peak RSS; removes the run state afterwards.
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/run.ts [--runs 5] [--concurrency 100] [--max-activities 8]
import { rmSync } from 'node:fs';
import { cpus, release, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineSample } from './engine-once.js';
import { generateProject, PROJECT_DIR, SOURCE_ROWS } from './generate.js';
import { runChild } from './run-child.js';
import { median, percentile } from './stats.js';
import type { TemporalSample } from './temporal-once.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '100' },
    'max-activities': { type: 'string', default: '8' },
  },
});
const runs = Number(values.runs);
const concurrency = Number(values.concurrency);
const maxActivities = Number(values['max-activities']);

const began = performance.now();
await generateProject(PROJECT_DIR);
const cleanUp = (): void => rmSync(join(PROJECT_DIR, '.pipectl'), { recursive: true, force: true });

let engine: EngineSample;
let temporal: TemporalSample;
try {
  console.log(`engine only (runPipeline, ${runs} runs) ...`);
  engine = await runChild<EngineSample>(join(import.meta.dirname, 'engine-once.ts'), [
    PROJECT_DIR,
    String(runs),
  ]);
  console.log(`temporal (dev server + 1 worker, ${runs} runs, then ${concurrency} at once) ...`);
  temporal = await runChild<TemporalSample>(join(import.meta.dirname, 'temporal-once.ts'), [
    PROJECT_DIR,
    String(runs),
    String(concurrency),
    String(maxActivities),
  ]);
} finally {
  cleanUp();
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
const byType = (name: string, field: 'execMs' | 'waitMs'): number =>
  median(at((s) => s.history.byType[name]?.[field] ?? 0));
const throughput = temporal.throughput;
const perMinute = (throughput.succeeded / throughput.wallMs) * 60_000;
const cpu = cpus();

console.log(`\norchestration benchmark (${Math.round((performance.now() - began) / 1000)} s in all)`);
console.log(`  machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'} x ${cpu.length}, ${type()} ${release()}`);
console.log(`  node ${process.version}; Temporal dev server (repo-built, in memory); 1 worker in process`);
console.log(
  `  pipeline: 1 CSV source (${SOURCE_ROWS} rows), ${engine.steps} steps (chain + 4 parallel branches), ` +
    `${latency[0]?.checks ?? 0} step checks; ${activities} activities per run`,
);

console.log(`\nsingle run, warm worker (median of ${runs}; first, cold run ${ms(temporal.warmUpMs)}):`);
row('Temporal: start → result', ms(temporalMs));
row('  DuckDB time in the run reports', ms(reportedMs), `extract + build; publish not timed`);
row('  share outside the reported DuckDB time', pct(temporalMs - reportedMs, temporalMs));
row('engine only: runPipeline, same steps', ms(engineMs), `of which extract + build ${ms(engineReportedMs)}`);
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
  `\nthroughput: ${concurrency} runs started at once on 1 worker (${maxActivities} activity slots):`,
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
console.log(
  '  note: one worker serialises DuckDB writes per warehouse file (one activity at a time holds the\n' +
    '  warehouse), so runs of one project queue on it; more throughput needs a warehouse per worker.',
);

console.log('\npeak RSS:');
row('worker + client process', `${Math.round(temporal.peakRssMb)} MB`);
row('Temporal dev server', `${Math.round(temporal.serverPeakRssMb)} MB`);
row('engine-only process', `${Math.round(engine.peakRssMb)} MB`);
row('startup: dev server / worker ready', `${ms(temporal.serverStartMs)} / ${ms(temporal.workerReadyMs)}`);
// Keep the raw numbers visible for anyone checking the medians.
console.log(
  `\nraw: temporal wall ${latency.map((s) => Math.round(s.wallMs)).join(', ')} ms; engine ${engine.runMs.map(Math.round).join(', ')} ms; ` +
    `reported DuckDB ${at((s) => s.reportedMs).join(', ')} ms`,
);
