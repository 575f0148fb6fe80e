// Turns the runtime's typed errors into usage errors with what to do, so every run command
// reports them the same way (exit 2, one line and a hint).
import { UsageError } from '../usage-error.js';

export async function asUsageError(error: unknown): Promise<never> {
  const runtime = await import('@pipectl/runtime');
  if (error instanceof runtime.TemporalUnreachableError) {
    throw new UsageError(`${error.code} ${error.message}`);
  }
  if (
    error instanceof runtime.RunNotFoundError ||
    error instanceof runtime.WorkerUnavailableError ||
    error instanceof runtime.TaskQueueSharedError ||
    error instanceof runtime.WarehouseServedError
  ) {
    throw new UsageError(`${error.code} ${error.message}`);
  }
  if (error instanceof runtime.DecisionRefusedError) {
    throw new UsageError(`${error.code} ${error.message}`, 'check the run with `pipectl status <run>`');
  }
  if (error instanceof runtime.TemporalBinaryNotFoundError) {
    throw new UsageError(`${error.code} ${error.message}`);
  }
  throw error;
}
