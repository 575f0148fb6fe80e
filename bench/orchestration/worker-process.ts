// One pipectl worker in its own process, for temporal-once.ts (which starts one or two of them, as
// `pipectl worker` processes would run): configured by environment, prints "ready" once it polls
// and stops gracefully on SIGTERM. The warehouse is the project's own target (its `${VAR}`s from
// this environment). Start it with `--cpu-prof` to profile the worker.
//
//   PIPECTL_BENCH_ADDRESS=… PIPECTL_BENCH_TASK_QUEUE=… PIPECTL_BENCH_PROJECT_DIR=… PIPECTL_BENCH_BUNDLE_DIR=… \
//   PIPECTL_BENCH_MAX_ACTIVITIES=8 PIPECTL_BENCH_IDENTITY=worker-1 \
//     node --conditions=@pipectl/source --import tsx bench/orchestration/worker-process.ts
import { runWorker, setSdkLogLevel } from '@pipectl/runtime';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

setSdkLogLevel('ERROR');
await runWorker({
  address: required('PIPECTL_BENCH_ADDRESS'),
  taskQueue: required('PIPECTL_BENCH_TASK_QUEUE'),
  projectDir: required('PIPECTL_BENCH_PROJECT_DIR'),
  bundleCacheDir: required('PIPECTL_BENCH_BUNDLE_DIR'),
  maxConcurrentActivityTaskExecutions: Number(process.env.PIPECTL_BENCH_MAX_ACTIVITIES ?? 8),
  identity: required('PIPECTL_BENCH_IDENTITY'),
  shutdownGraceTimeMs: 2_000,
  onReady: (worker) => {
    if (worker.serves) process.stdout.write(`serving ${worker.serves.warehouse}\n`);
    process.stdout.write('ready\n');
  },
});
process.stdout.write('stopped\n');
