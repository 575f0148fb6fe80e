// What the browser test runs against: a Temporal dev server WITH its web UI (both on free loopback
// ports, pipectl's search attributes registered, state in memory), a pipectl worker for one project
// on its own task queue, and a client. `stop()` takes all of it down, whatever state it is in.
import { fileURLToPath } from 'node:url';
import {
  connectClient,
  type DevServer,
  findFreePort,
  findTemporalBinary,
  type PipectlWorker,
  runWorker,
  SEARCH_ATTRIBUTES,
  startDevServer,
} from '@pipectl/runtime';
import { eventually } from '../../../../test-support/wait.js';

type Client = Awaited<ReturnType<typeof connectClient>>;

export interface DevStack {
  readonly server: DevServer;
  /** The web UI's base URL, e.g. `http://127.0.0.1:40123`. */
  readonly uiUrl: string;
  readonly client: Client;
  readonly taskQueue: string;
  /** Stops the worker, which closes its warehouse files (DuckDB allows one opener); idempotent. */
  stopWorker(): Promise<void>;
  /** Stops the worker, the client and the server; idempotent. */
  stop(): Promise<void>;
}

/** The workflow bundle is cached with this package, so a test run after the first starts at once. */
const BUNDLE_CACHE_DIR = fileURLToPath(new URL('../../.pipectl/cache', import.meta.url));
const IP = '127.0.0.1';

export async function startDevStack(options: { projectDir: string; taskQueue: string }): Promise<DevStack> {
  const { projectDir, taskQueue } = options;
  const port = await findFreePort(IP);
  let uiPort = await findFreePort(IP);
  while (uiPort === port) uiPort = await findFreePort(IP);
  // Throws TemporalBinaryNotFoundError, which names scripts/install-temporal.sh.
  const server = await startDevServer({
    binary: findTemporalBinary(),
    ip: IP,
    port,
    uiPort,
    searchAttributes: SEARCH_ATTRIBUTES,
  });
  const cleanups: (() => Promise<unknown>)[] = [() => server.stop()];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const uiUrl = `http://${IP}:${uiPort}`;
    await eventually(() => answers(uiUrl), `the web UI to answer on ${uiUrl}`);
    const client = await connectClient({ address: server.address, namespace: server.namespace, taskQueue });
    cleanups.push(() => client.connection.close());
    const worker = await startWorker(server.address, projectDir, taskQueue);
    cleanups.push(worker.stop);
    return { server, uiUrl, client, taskQueue, stopWorker: worker.stop, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startWorker(address: string, projectDir: string, taskQueue: string) {
  let ready: (worker: PipectlWorker) => void = () => {};
  const started = new Promise<PipectlWorker>((resolveReady) => {
    ready = resolveReady;
  });
  const done = runWorker({
    address,
    taskQueue,
    projectDir,
    bundleCacheDir: BUNDLE_CACHE_DIR,
    shutdownGraceTimeMs: 2_000,
    signals: [],
    onReady: (worker) => ready(worker),
  });
  const worker = await Promise.race([
    started,
    done.then(() => {
      throw new Error('the pipectl worker stopped before it polled');
    }),
  ]);
  let stopped: Promise<void> | undefined;
  return {
    stop(): Promise<void> {
      stopped ??= (async () => {
        worker.shutdown();
        await done;
      })();
      return stopped;
    },
  };
}

async function answers(url: string): Promise<true | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return response.ok ? true : undefined;
  } catch {
    return undefined;
  }
}
