// Runs the pipectl worker until the process is asked to stop (SIGINT, SIGTERM), then shuts it
// down gracefully: polling stops, running activities get the grace time to finish (a retry on the
// next worker covers those that do not), and the warehouses are closed. For `pipectl worker`.
import type { TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TemporalUnreachableError } from '../client/connect.js';
import { createPipectlWorker, type PipectlWorker, type PipectlWorkerOptions } from './create-worker.js';

export interface RunWorkerOptions extends Omit<PipectlWorkerOptions, 'connection'> {
  /** An open connection; otherwise one to `address` is opened and closed with the worker. */
  readonly connection?: NativeConnection;
  /** `host:port`; default `localhost:7233`. */
  readonly address?: string;
  /** TLS (mTLS) to the frontend (see tlsConfigOf); plaintext when absent. */
  readonly tls?: TLSConfig;
  /** Signals that stop the worker; default SIGINT and SIGTERM. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called once the worker polls, e.g. to print "worker ready". */
  readonly onReady?: (worker: PipectlWorker) => void;
}

/**
 * Resolves when the worker has stopped (after a signal, or `worker.shutdown()` from `onReady`'s handle).
 * @example await runWorker({ taskQueue: 'pipectl', projectDir: process.cwd(), onReady: () => print('ready') });
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const {
    connection: given,
    address,
    tls,
    signals = ['SIGINT', 'SIGTERM'],
    onReady,
    ...workerOptions
  } = options;
  if (!given) workerOptions.onStage?.('connecting');
  const connection = given ?? (await connectNative(address ?? 'localhost:7233', tls));
  try {
    const pipectl = await createPipectlWorker({ ...workerOptions, connection });
    const stop = (): void => pipectl.shutdown();
    for (const signal of signals) process.on(signal, stop);
    try {
      const running = pipectl.run();
      workerOptions.onStage?.('polling');
      onReady?.(pipectl);
      await running;
    } finally {
      for (const signal of signals) process.off(signal, stop);
    }
  } finally {
    if (!given) await connection.close();
  }
}

/** The worker's connection; a server that does not answer is TemporalUnreachableError (PIPE6003), as for the client. */
async function connectNative(address: string, tls: TLSConfig | undefined): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address, ...(tls ? { tls } : {}) });
  } catch (error) {
    throw new TemporalUnreachableError(address, error);
  }
}
