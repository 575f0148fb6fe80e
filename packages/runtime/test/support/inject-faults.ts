// Worker interceptors that inject activity failures, for tests and recorded histories that need a
// step's local attempt to fail in a way Temporal may retry. The activities themselves stay real.
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor, WorkerInterceptors } from '@temporalio/worker';

/** The message of the injected failure. */
export const INJECTED_FAILURE = 'injected: the disk was briefly full';

/**
 * Fails the first local `buildStep` with a retryable failure, so the step goes on as an ordinary
 * activity; that ordinary attempt first waits for `hold` when given (a test that looks at the run
 * meanwhile).
 */
export function failFirstLocalBuild(hold?: Promise<void>): WorkerInterceptors {
  let failed = false;
  return {
    activity: [
      (context): { inbound: ActivityInboundCallsInterceptor } => ({
        inbound: {
          execute: async (input, next) => {
            const { activityType, isLocal } = context.info;
            if (activityType === 'buildStep' && isLocal && !failed) {
              failed = true;
              throw ApplicationFailure.retryable(INJECTED_FAILURE, 'InjectedFault');
            }
            if (activityType === 'buildStep' && !isLocal) await hold;
            return next(input);
          },
        },
      }),
    ],
  };
}
