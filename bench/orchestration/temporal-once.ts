// The Temporal side of the orchestration benchmark, in a fresh process for run.ts: starts the
// repo-built Temporal dev server (in memory) and WORKERS worker processes (worker-process.ts, as
// `pipectl worker` runs; each on the project's own target), then
//   latency:    one warm-up run, then RUNS runs one after another (distinct logical dates), each
//               timed from startRun to its result, with the DuckDB time the run's reports carry
//               and the activity / workflow-task times from its history;
//   throughput: CONCURRENCY runs started at once (distinct logical dates) on the workers,
//               timed until the last completes.
// Stops workers and server and prints one JSON line (progress lines go to stderr). With a profile
// folder, the workers run with `--cpu-prof` and write their profiles there.
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/temporal-once.ts <project dir> <runs> <concurrency> <max activities> <workers> [profile dir]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connectClient,
  findTemporalBinary,
  type PipelineRunResult,
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
  /** The 1-minute load average when the latency and the throughput phases began. */
  readonly loadAtLatency: number;
  readonly loadAtThroughput: number;
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
    /** CPU seconds during the throughput phase: the worker processes (summed), and the server. */
    readonly workerCpuS: number;
    readonly serverCpuS: number;
    /** How many activities each worker ran in the throughput phase (from the runs' histories). */
    readonly activitiesByWorker: Readonly<Record<string, number>>;
  };
  readonly workers: number;
  readonly maxActivities: number;
  /** This process (the client). */
  readonly peakRssMb: number;
  readonly workerPeakRssMb: readonly number[];
  readonly serverPeakRssMb: number;
}

const [dir, runsText, concurrencyText, maxActivitiesText, workersText, profileDir] = process.argv.slice(2);
const runs = Number(runsText);
const concurrency = Number(concurrencyText);
const maxActivities = Number(maxActivitiesText);
const workerCount = Number(workersText);
if (!dir || !(runs >= 1) || !(concurrency >= 1) || !(maxActivities >= 1) || !(workerCount >= 1)) {
  throw new Error(
    'usage: temporal-once.ts <project dir> <runs> <concurrency> <max activities> <workers> [profile dir]',
  );
}
const dateOf = (year: number, day: number): string =>
  new Date(Date.UTC(year, 0, 1 + day)).toISOString().slice(0, 10);
const WORKER_SCRIPT = join(import.meta.dirname, 'worker-process.ts');

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
const workers: ChildProcess[] = [];
// Interrupted: stop the workers and the server rather than leave them behind.
process.once('SIGTERM', () => {
  void stopWorkers()
    .then(() => server.stop())
    .finally(() => process.exit(143));
});
try {
  clock = performance.now();
  // One after the other: the first bundles the workflows into the cache, the next reuses it.
  for (let i = 1; i <= workerCount; i++) workers.push(await spawnWorker(`bench-worker-${i}`));
  const workerReadyMs = performance.now() - clock;
  progress(`${workerCount} worker(s) polling ${taskQueue} (${Math.round(workerReadyMs)} ms)`);

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
  const loadAtLatency = loadAverage();
  const latency: LatencySample[] = [];
  for (let i = 1; i <= runs; i++) {
    const { run, wallMs, reportedMs, checks } = await runOnce(dateOf(2030, i));
    const history = breakdownOf((await run.handle.fetchHistory()).events ?? []);
    latency.push({ wallMs, reportedMs, checks, history });
    progress(`run ${i}/${runs}: ${Math.round(wallMs)} ms wall, ${Math.round(reportedMs)} ms reported DuckDB`);
  }

  progress(`throughput: ${concurrency} runs at once ...`);
  const loadAtThroughput = loadAverage();
  const workerCpuBefore = sum(workers.map((w) => cpuSecondsOf(w.pid)));
  const serverCpuBefore = cpuSecondsOf(server.pid);
  const runMs: number[] = [];
  const failures: string[] = [];
  const handles: Awaited<ReturnType<typeof startRun>>[] = [];
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
        handles.push(run);
        if (++startedCount === concurrency) startedMs = performance.now() - clock;
        const result = await run.handle.result();
        if (result.status !== 'succeeded') throw new Error(`ended ${result.status}`);
        runMs.push(performance.now() - started);
      } catch (error) {
        failures.push(`${date}: ${causeChain(error)}`);
      }
    }),
  );
  const wallMs = performance.now() - clock;
  clearInterval(ticker);
  const workerCpuS = sum(workers.map((w) => cpuSecondsOf(w.pid))) - workerCpuBefore;
  const serverCpuS = cpuSecondsOf(server.pid) - serverCpuBefore;
  progress(`throughput: ${runMs.length} succeeded, ${failures.length} failed in ${Math.round(wallMs)} ms`);
  const activitiesByWorker: Record<string, number> = {};
  for (const { handle } of handles) {
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity) activitiesByWorker[identity] = (activitiesByWorker[identity] ?? 0) + 1;
    }
  }
  await client.connection.close();

  const serverPeakRssMb = peakRssOf(server.pid);
  const workerPeakRssMb = workers.map((w) => peakRssOf(w.pid));
  await stopWorkers();
  const sample: TemporalSample = {
    serverStartMs,
    workerReadyMs,
    warmUpMs: warmUp.wallMs,
    latency,
    loadAtLatency,
    loadAtThroughput,
    throughput: {
      concurrency,
      wallMs,
      startedMs,
      succeeded: runMs.length,
      failed: failures.length,
      failures: failures.slice(0, 5),
      runMs,
      workerCpuS,
      serverCpuS,
      activitiesByWorker,
    },
    workers: workerCount,
    maxActivities,
    peakRssMb: peakRssMb(),
    workerPeakRssMb,
    serverPeakRssMb,
  };
  console.log(JSON.stringify(sample));
} finally {
  await stopWorkers();
  await server.stop();
}

/** Starts one worker process and waits until it polls. */
async function spawnWorker(identity: string): Promise<ChildProcess> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    ['--conditions=@pipectl/source', '--import', 'tsx', ...profile, WORKER_SCRIPT],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PIPECTL_BENCH_ADDRESS: server.address,
        PIPECTL_BENCH_TASK_QUEUE: taskQueue,
        PIPECTL_BENCH_PROJECT_DIR: dir as string,
        PIPECTL_BENCH_BUNDLE_DIR: join(OUT_DIR, 'bundle-cache'),
        PIPECTL_BENCH_MAX_ACTIVITIES: String(maxActivities),
        PIPECTL_BENCH_IDENTITY: identity,
      },
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((ready, failed) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) ready();
    });
    child.once('exit', (code, signal) =>
      failed(
        new Error(`${identity} exited (${code ?? signal}) before it was ready:\n${output.slice(-4000)}`),
      ),
    );
  });
  child.once('exit', (code, signal) => {
    if (code !== 0) progress(`${identity} exited (${code ?? signal}):\n${output.slice(-4000)}`);
  });
  return child;
}

/** SIGTERM to every worker still running, and wait until each has exited (profiles written). */
async function stopWorkers(): Promise<void> {
  await Promise.all(
    workers.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** User + system CPU seconds of a process so far, from /proc (Linux; 0 elsewhere). */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
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
function peakRssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A failure with its causes (a workflow failure's activity failure and its message), outermost first. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error; at !== undefined && parts.length < 5; ) {
    if (!(at instanceof Error)) {
      parts.push(String(at));
      break;
    }
    const type = (at as { type?: string }).type;
    parts.push(`${type ? `${type}: ` : ''}${at.message}`);
    at = at.cause;
  }
  return parts.join(' <- ');
}
