// The "DuckDB only" baseline, in a fresh process for run.ts: the same pipeline run by the engine's
// runPipeline directly on a scratch warehouse of the project's kind — a scratch DuckDB file for the
// embedded default, the project's own lakehouse target (run.ts points it at a database of its own)
// for a DuckLake project — (what `pipectl test` does: compile once, then
// sources and steps one after another in this process, no Temporal). One warm-up run, then RUNS
// timed runs with distinct run ids on the same warehouse, as a warm worker would see it. Also
// times one project compile (load + compile, with its own SQL parser), which every activity of a
// Temporal run repeats. Prints one JSON line.
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/engine-once.ts <project dir> <runs>
import { readFileSync } from 'node:fs';
import { compileProject, loadProject } from '@pipectl/compiler';
import { runPipeline } from '@pipectl/engine';
import { openScratchRun } from './scratch-run.js';
import { median, peakRssMb, sum } from './stats.js';

export interface EngineSample {
  /** runPipeline's wall time per timed run. */
  readonly runMs: readonly number[];
  /** The part the engine reports as extract + build time (what a Temporal run's reports sum to). */
  readonly reportedMs: readonly number[];
  readonly firstRunMs: number;
  /** One warm load + compile of the project (median), as each activity of a Temporal run does. */
  readonly compileMs: number;
  readonly steps: number;
  readonly peakRssMb: number;
  /** The 1-minute load average when the timed runs began. */
  readonly load: number;
}

const [dir, runsText] = process.argv.slice(2);
const runs = Number(runsText);
if (!dir || !Number.isInteger(runs) || runs < 1)
  throw new Error('usage: engine-once.ts <project dir> <runs>');

// As an activity does it (loadRunProject): load, then compile with a parser of its own. The
// first, cold compile is not counted: a worker has compiled many times before.
const compileTimes: number[] = [];
let loaded = await loadProject(dir);
let compiled = await compileProject(loaded);
for (let i = 0; i < Math.max(runs, 5); i++) {
  const started = performance.now();
  loaded = await loadProject(dir);
  compiled = await compileProject(loaded);
  compileTimes.push(performance.now() - started);
}
const { pipeline, contracts, warehouse, close } = await openScratchRun(dir, loaded, compiled, 'engine');
const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const runMs: number[] = [];
const reportedMs: number[] = [];
let firstRunMs = 0;
try {
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const report = await runPipeline(warehouse, {
      pipeline,
      contracts,
      runId: `engine-${process.pid}-${i}`,
      projectDir: dir,
    });
    const ms = performance.now() - started;
    if (!report.passed) throw new Error(`engine run ${i} did not pass: ${JSON.stringify(report.steps)}`);
    const reported = sum([
      ...report.sources.map((s) => s.extract?.timings.totalMs ?? 0),
      ...report.steps.map((s) => s.report?.build.timings.totalMs ?? 0),
    ]);
    if (i === 0) {
      firstRunMs = ms;
      continue;
    }
    runMs.push(ms);
    reportedMs.push(reported);
  }
} finally {
  close();
}

const sample: EngineSample = {
  runMs,
  reportedMs,
  firstRunMs,
  compileMs: median(compileTimes),
  steps: pipeline.steps.length,
  peakRssMb: peakRssMb(),
  load,
};
console.log(JSON.stringify(sample));
