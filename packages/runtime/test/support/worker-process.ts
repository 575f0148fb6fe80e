// A pipectl worker in its own process, for the tests that kill workers or run several:
//   node --conditions=@pipectl/source --import tsx test/support/worker-process.ts
// Configured by environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PIPECTL_TASK_QUEUE,
// PIPECTL_PROJECT_DIR, PIPECTL_WORKFLOW_BUNDLE (a prebuilt bundle file), PIPECTL_HEARTBEAT_TIMEOUT_MS,
// and optionally PIPECTL_WORKER_IDENTITY, PIPECTL_MAX_ACTIVITIES (concurrent activities) and
// PIPECTL_HEARTBEAT_THROTTLE_MS (how often heartbeat details may reach the server; the SDK's
// default is 80% of the heartbeat timeout, so a short phase could end unseen).
// The warehouse is the project's own target (its `${VAR}`s from this environment).
// Prints "serving <warehouse>" and "ready" once it polls, "started <activity>" as each activity
// (local or not) starts; stops gracefully on SIGINT/SIGTERM.
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runWorker } from '../../src/worker/run-worker.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const identity = process.env.PIPECTL_WORKER_IDENTITY;
const maxActivities = process.env.PIPECTL_MAX_ACTIVITIES;
const heartbeatThrottle = process.env.PIPECTL_HEARTBEAT_THROTTLE_MS;
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
  workerOptions: {
    maxCachedWorkflows: 0,
    ...(heartbeatThrottle ? { maxHeartbeatThrottleInterval: Number(heartbeatThrottle) } : {}),
    interceptors: {
      activity: [
        (context): { inbound: ActivityInboundCallsInterceptor } => ({
          inbound: {
            execute: (input, next) => {
              process.stdout.write(`started ${context.info.activityType}\n`);
              return next(input);
            },
          },
        }),
      ],
    },
  },
  onReady: (worker) => {
    if (worker.serves) process.stdout.write(`serving ${worker.serves.warehouse}\n`);
    process.stdout.write('ready\n');
  },
});
process.stdout.write('stopped\n');
