// The Temporal side of the orchestration benchmark, in a fresh process for run.ts: starts the
// repo-built Temporal dev server (in memory) and one pipectl worker in this process, then
//   latency:    one warm-up run, then RUNS runs one after another (distinct logical dates), each
//               timed from startRun to its result, with the DuckDB time the run's reports carry
//               and the activity / workflow-task times from its history;
//   throughput: CONCURRENCY runs started at once (distinct logical dates) on the one worker,
//               timed until the last completes.
// Stops worker and server and prints one JSON line (progress lines go to stderr).
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/temporal-once.ts <project dir> <runs> <concurrency> <max activities>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connectClient,
  findTemporalBinary,
  type PipectlWorker,
  type PipelineRunResult,
  runWorker,
  SEARCH_ATTRIBUTES,
  startDevServer,
  startRun,
} from '@pipectl/runtime';
import { OUT_DIR, PIPELINE } from './generate.js';
import { breakdownOf, type HistoryBreakdown } from './history-breakdown.js';
import { progress } from './run-child.js';
import { peakRssMb, sum } from './stats.js';

export interface LatencySample {
  readonly wallMs: number;
  /** Extract + build time the run's source and step reports carry (DuckDB work, publish excluded). */
  readonly reportedMs: number;
  /** Contract checks and gates the steps ran. */
  readonly checks: number;
  readonly history: HistoryBreakdown;
}

export interface TemporalSample {
  readonly serverStartMs: number;
  readonly workerReadyMs: number;
  readonly warmUpMs: number;
  readonly latency: readonly LatencySample[];
  readonly throughput: {
    readonly concurrency: number;
    readonly wallMs: number;
    /** Until every run was started. */
    readonly startedMs: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly failures: readonly string[];
    /** Each run's start → result under load. */
    readonly runMs: readonly number[];
    /** CPU seconds during the throughput phase: this process (worker, DuckDB, client) and the server. */
    readonly workerCpuS: number;
    readonly serverCpuS: number;
  };
  readonly maxActivities: number;
  readonly peakRssMb: number;
  readonly serverPeakRssMb: number;
}

const [dir, runsText, concurrencyText, maxActivitiesText] = process.argv.slice(2);
const runs = Number(runsText);
const concurrency = Number(concurrencyText);
const maxActivities = Number(maxActivitiesText);
if (!dir || !(runs >= 1) || !(concurrency >= 1) || !(maxActivities >= 1)) {
  throw new Error('usage: temporal-once.ts <project dir> <runs> <concurrency> <max activities>');
}
const dateOf = (year: number, day: number): string =>
  new Date(Date.UTC(year, 0, 1 + day)).toISOString().slice(0, 10);

let clock = performance.now();
const server = await startDevServer({
  binary: findTemporalBinary({ cwd: import.meta.dirname }),
  searchAttributes: SEARCH_ATTRIBUTES,
});
const serverStartMs = performance.now() - clock;
progress(`dev server on ${server.address} (${Math.round(serverStartMs)} ms)`);

/** The generated project's `name` (generate.ts), part of its run ids. */
const PROJECT = 'orchestration-bench';
const taskQueue = `orchestration-bench-${process.pid}`;
let worker: PipectlWorker | undefined;
let workerDone: Promise<void> = Promise.resolve();
try {
  clock = performance.now();
  const ready = new Promise<PipectlWorker>((resolve, reject) => {
    workerDone = runWorker({
      address: server.address,
      taskQueue,
      projectDir: dir,
      // The bundle outlives the run, so a worker start does not pay webpack each time.
      bundleCacheDir: join(OUT_DIR, 'bundle-cache'),
      maxConcurrentActivityTaskExecutions: maxActivities,
      signals: [],
      onReady: resolve,
    });
    workerDone.catch(reject);
  });
  worker = await ready;
  const workerReadyMs = performance.now() - clock;
  progress(`worker polling ${taskQueue} (${Math.round(workerReadyMs)} ms)`);

  const client = await connectClient({ address: server.address, namespace: 'default', taskQueue });
  const runOnce = async (logicalDate: string) => {
    const started = performance.now();
    const run = await startRun(client, {
      project: PROJECT,
      projectDir: dir,
      pipeline: PIPELINE,
      logicalDate,
      taskQueue,
    });
    if (run.outcome !== 'started') throw new Error(`run for ${logicalDate} was ${run.outcome}, not started`);
    const result: PipelineRunResult = await run.handle.result();
    const wallMs = performance.now() - started;
    if (result.status !== 'succeeded') throw new Error(`run for ${logicalDate} ended ${result.status}`);
    const reportedMs = sum([
      ...result.view.sources.map((source) => source.durationMs),
      ...result.view.steps.map((step) => step.report?.durationMs ?? 0),
    ]);
    const checks = sum(result.view.steps.map((step) => step.report?.checks.length ?? 0));
    return { run, wallMs, reportedMs, checks };
  };

  // The first run opens the warehouse and publishes every dataset for the first time.
  const warmUp = await runOnce(dateOf(2030, 0));
  progress(`warm-up run ${Math.round(warmUp.wallMs)} ms`);
  const latency: LatencySample[] = [];
  for (let i = 1; i <= runs; i++) {
    const { run, wallMs, reportedMs, checks } = await runOnce(dateOf(2030, i));
    const history = breakdownOf((await run.handle.fetchHistory()).events ?? []);
    latency.push({ wallMs, reportedMs, checks, history });
    progress(`run ${i}/${runs}: ${Math.round(wallMs)} ms wall, ${Math.round(reportedMs)} ms reported DuckDB`);
  }

  progress(`throughput: ${concurrency} runs at once ...`);
  const cpuBefore = process.cpuUsage();
  const serverCpuBefore = cpuSecondsOf(server.pid);
  const runMs: number[] = [];
  const failures: string[] = [];
  let startedCount = 0;
  let startedMs = 0;
  clock = performance.now();
  const ticker = setInterval(() => {
    progress(
      `  ${runMs.length + failures.length}/${concurrency} done after ${Math.round((performance.now() - clock) / 1000)} s`,
    );
  }, 15_000);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const date = dateOf(2031, i);
      const started = performance.now();
      try {
        const run = await startRun(client, {
          project: PROJECT,
          projectDir: dir,
          pipeline: PIPELINE,
          logicalDate: date,
          taskQueue,
        });
        if (++startedCount === concurrency) startedMs = performance.now() - clock;
        const result = await run.handle.result();
        if (result.status !== 'succeeded') throw new Error(`ended ${result.status}`);
        runMs.push(performance.now() - started);
      } catch (error) {
        failures.push(`${date}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  const wallMs = performance.now() - clock;
  clearInterval(ticker);
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuS = cpuSecondsOf(server.pid) - serverCpuBefore;
  progress(`throughput: ${runMs.length} succeeded, ${failures.length} failed in ${Math.round(wallMs)} ms`);
  await client.connection.close();

  const serverPeakRssMb = peakRssOf(server.pid);
  worker.shutdown();
  await workerDone;
  const sample: TemporalSample = {
    serverStartMs,
    workerReadyMs,
    warmUpMs: warmUp.wallMs,
    latency,
    throughput: {
      concurrency,
      wallMs,
      startedMs,
      succeeded: runMs.length,
      failed: failures.length,
      failures: failures.slice(0, 5),
      runMs,
      workerCpuS: (cpu.user + cpu.system) / 1e6,
      serverCpuS,
    },
    maxActivities,
    peakRssMb: peakRssMb(),
    serverPeakRssMb,
  };
  console.log(JSON.stringify(sample));
} finally {
  worker?.shutdown();
  await workerDone.catch(() => undefined);
  await server.stop();
}

/** User + system CPU seconds of a process so far, from /proc (Linux; 0 elsewhere). */
function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Clock ticks; 100 per second on Linux (sysconf(_SC_CLK_TCK)).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM) of a process in MB, from /proc (Linux; 0 elsewhere). */
function peakRssOf(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
