// A pipectl worker in its own process, for the tests that kill workers or run several:
//   node --conditions=@pipectl/source --import tsx test/support/worker-process.ts
// Configured by environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PIPECTL_TASK_QUEUE,
// PIPECTL_PROJECT_DIR, PIPECTL_WORKFLOW_BUNDLE (a prebuilt bundle file), PIPECTL_HEARTBEAT_TIMEOUT_MS,
// and optionally PIPECTL_WORKER_IDENTITY and PIPECTL_MAX_ACTIVITIES (concurrent activities).
// The warehouse is the project's own target (its `${VAR}`s from this environment).
// Prints "serving <warehouse>" and "ready" once it polls; stops gracefully on SIGINT/SIGTERM.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runWorker } from '../../src/worker/run-worker.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const identity = process.env.PIPECTL_WORKER_IDENTITY;
const maxActivities = process.env.PIPECTL_MAX_ACTIVITIES;
Runtime.install({ logger: new DefaultLogger('ERROR') });
await runWorker({
  address: required('TEMPORAL_ADDRESS'),
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: required('PIPECTL_TASK_QUEUE'),
  projectDir: required('PIPECTL_PROJECT_DIR'),
  workflowBundle: { codePath: required('PIPECTL_WORKFLOW_BUNDLE') },
  heartbeatTimeoutMs: Number(process.env.PIPECTL_HEARTBEAT_TIMEOUT_MS ?? 30_000),
  shutdownGraceTimeMs: 2_000,
  ...(identity ? { identity } : {}),
  ...(maxActivities ? { maxConcurrentActivityTaskExecutions: Number(maxActivities) } : {}),
  // No sticky cache: after a SIGKILL, the run's next workflow task would otherwise wait on the
  // dead worker's sticky queue until it times out.
  workerOptions: { maxCachedWorkflows: 0 },
  onReady: (worker) => {
    if (worker.serves) process.stdout.write(`serving ${worker.serves.warehouse}\n`);
    process.stdout.write('ready\n');
  },
});
process.stdout.write('stopped\n');
