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
  if (error instanceof runtime.SigningError) {
    throw new UsageError(`${error.code} ${error.message}`, signingHint[error.code]);
  }
  if (error instanceof runtime.TemporalBinaryNotFoundError) {
    throw new UsageError(`${error.code} ${error.message}`);
  }
  throw error;
}

const signingHint = {
  PIPE6020: 'pass --key <private key file>, or add your key to ssh-agent with `ssh-add`',
  PIPE6021: 'use an unencrypted OpenSSH ed25519 key with --key, or load an encrypted one into ssh-agent',
  PIPE6022: 'check `ssh-add -l` lists your ed25519 key, or pass --key',
  PIPE6023: 'start a worker (`pipectl worker` or `pipectl dev`) so the run answers, then decide again',
} as const;
