// Starts a Temporal dev server (`temporal server start-dev --headless`) as a child process on a
// loopback address and waits until its namespace answers over gRPC. Used by test setup and by
// local tooling; the binary comes from findTemporalBinary(), never from a download.
//
// The child runs in its own process group, and stop() signals the whole group: a Ctrl-C aimed at
// the terminal's group reaches the parent only, which then stops the server in order. A parent
// killed outright (SIGKILL) cannot do that; `pipectl dev` records the pid (dev-server-record.ts).
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipectlError } from '@pipectl/spec/lite';
import { Connection } from '@temporalio/client';
import { findFreePort, isPortFree } from './free-port.js';

export type SearchAttributeKind = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface StartDevServerOptions {
  /** Absolute path of the `temporal` binary (see findTemporalBinary). */
  binary: string;
  /** Address to bind; loopback by default. */
  ip?: string;
  /** Front-end gRPC port; a free port chosen by the OS when omitted. */
  port?: number;
  /** Namespace to create and wait for; the dev server always creates "default" too. */
  namespace?: string;
  /** SQLite file to persist state in; in memory when omitted. */
  dbFilename?: string;
  /** Custom search attributes registered when the namespace is created. */
  searchAttributes?: Readonly<Record<string, SearchAttributeKind>>;
  /** Server log level (debug, info, warn, error, never); defaults to warn. */
  logLevel?: string;
  /** How long to wait for the server to answer; defaults to 30 s. */
  startupTimeoutMs?: number;
  /** Serve the web UI on this port (the dev server's default is port + 1000); headless when omitted. */
  uiPort?: number;
  /** Further `start-dev` flags, passed as given. */
  extraArgs?: readonly string[];
  /** Told the child's pid as soon as it is spawned, before it answers (to record it). */
  onSpawn?: (pid: number) => void;
  /**
   * Append the server's stdout and stderr to this file instead of piping them to this process.
   * A server that outlives this process (killed outright) then keeps running and logging, rather
   * than dying of a broken pipe at its next line, whenever that comes: `pipectl dev` uses it.
   */
  logFile?: string;
}

export interface DevServer {
  /** `host:port` of the front-end gRPC service. */
  readonly address: string;
  readonly port: number;
  readonly namespace: string;
  readonly pid: number;
  /** The server's recent stdout/stderr (bounded), for diagnostics. */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period); safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when the dev server exits or does not answer during startup. */
export class DevServerStartError extends PipectlError {
  readonly output: string;

  constructor(message: string, output: string) {
    super(
      'PIPE6002',
      output.trim() === '' ? message : `${message}\n--- temporal output (tail) ---\n${tailOf(output, 4000)}`,
    );
    this.output = output;
  }
}

/** A port the server needs is taken by another program: a user error, with how to choose another. */
export class DevServerPortInUseError extends PipectlError {
  constructor(
    readonly port: number,
    readonly ip: string,
    /** Which of the server's ports: `front-end` (gRPC, --port) or `web UI` (--ui-port). */
    readonly role: 'front-end' | 'web UI',
  ) {
    super(
      'PIPE6007',
      `port ${port} on ${ip} (the Temporal ${role} port) is in use by another program: ` +
        `choose another with ${role === 'front-end' ? '--port' : '--ui-port'} <port>, or stop the program ` +
        `listening there (\`ss -ltnp 'sport = :${port}'\` names it)`,
    );
  }
}

const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;

/** Starts a dev server and resolves once it serves the namespace; rejects with DevServerStartError. */
export async function startDevServer(options: StartDevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  if (options.port !== undefined && !(await isPortFree(options.port, ip))) {
    throw new DevServerPortInUseError(options.port, ip, 'front-end');
  }
  if (options.uiPort !== undefined && !(await isPortFree(options.uiPort, ip))) {
    throw new DevServerPortInUseError(options.uiPort, ip, 'web UI');
  }
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
      // An auto-chosen port can be taken between the probe and the bind; try another one.
      const portTaken = error instanceof DevServerStartError && /address already in use/i.test(error.output);
      if (!portTaken) throw error;
      // Taken between the check above and the server's bind: the same user error.
      if (options.port !== undefined) throw new DevServerPortInUseError(options.port, ip, 'front-end');
    }
  }
  throw lastError;
}

async function startOnce(options: StartDevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort(ip));
  const namespace = options.namespace ?? 'default';
  const address = `${hostForAddress(ip)}:${port}`;
  const args = buildArgs(options, ip, port, namespace);

  const log = options.logFile === undefined ? undefined : openLog(options.logFile);
  const child = spawn(options.binary, args, {
    stdio: ['ignore', log?.fd ?? 'pipe', log?.fd ?? 'pipe'],
    detached: true,
  });
  if (log) closeSync(log.fd);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  let piped = '';
  const collect = (chunk: Buffer): void => {
    piped = tailOf(piped + chunk.toString('utf8'), OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const output = (): string => (log ? readLogTail(log.path, log.start) : piped);

  let exit: string | undefined;
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exit = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
      resolveExit();
    });
    child.once('error', (error) => {
      exit = `could not be started (${error.message})`;
      resolveExit();
    });
  });
  // Never leave a server behind if this process ends without calling stop().
  const killOnExit = (): void => {
    signalGroup('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (exit !== undefined) return;
    signalGroup('SIGTERM');
    const grace = new AbortController();
    const graceful = await Promise.race([
      exited.then(() => true),
      sleep(STOP_GRACE_MS, false, { signal: grace.signal }).catch(() => false),
    ]);
    grace.abort();
    if (!graceful) {
      signalGroup('SIGKILL');
      await exited;
    }
  };

  const timeoutMs = options.startupTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit !== undefined) {
      await stop();
      throw new DevServerStartError(
        `The Temporal dev server (${options.binary}) ${exit} during startup.`,
        output(),
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new DevServerStartError(
        `The Temporal dev server did not answer on ${address} within ${timeoutMs} ms.`,
        output(),
      );
    }
    // A foreign listener on the port can keep the probe busy; stop waiting as soon as the server dies.
    if (await Promise.race([isServing(ip, port, address, namespace), exited.then(() => false)])) break;
    await sleep(100);
  }

  return {
    address,
    port,
    namespace,
    pid: child.pid as number,
    output,
    stop,
  };
}

function buildArgs(options: StartDevServerOptions, ip: string, port: number, namespace: string): string[] {
  const ui = options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)];
  const args = ['server', 'start-dev', ...ui, '--ip', ip, '--port', String(port)];
  args.push('--log-level', options.logLevel ?? 'warn');
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.dbFilename !== undefined) args.push('--db-filename', options.dbFilename);
  for (const [name, kind] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${kind}`);
  }
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** True once the port accepts TCP connections and the namespace can be described over gRPC. */
async function isServing(ip: string, port: number, address: string, namespace: string): Promise<boolean> {
  if (!(await acceptsTcp(ip, port))) return false;
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

function acceptsTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connectTcp({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolveProbe(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function hostForAddress(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** Opens `path` for appending; `start` is where this run's output begins. */
function openLog(path: string): { path: string; fd: number; start: number } {
  const fd = openSync(path, 'a');
  return { path, fd, start: fstatSync(fd).size };
}

/** The last OUTPUT_LIMIT bytes this run wrote to its log file. */
function readLogTail(path: string, start: number): string {
  try {
    const text = readFileSync(path);
    return text.subarray(Math.max(start, text.length - OUTPUT_LIMIT)).toString('utf8');
  } catch {
    return '';
  }
}

function tailOf(text: string, limit: number): string {
  return text.length <= limit ? text : text.slice(text.length - limit);
}
