// Where a target's OpenLineage events go: an OpenLineage API over HTTP, an NDJSON file, or the
// worker's standard output. Best effort by design: a transport reports which events it could not
// deliver and never throws, and after its first failure in a batch it gives up on the rest of
// that batch (a server that is down costs one timeout per batch, not one per event).
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { OpenLineageTransport } from '@pipectl/spec';

export interface Delivery {
  readonly delivered: number;
  /** Events this transport did not deliver, and why (the first reason). */
  readonly failed: number;
  readonly reason?: string;
}

export interface LineageTransport {
  readonly name: string;
  send(events: readonly unknown[]): Promise<Delivery>;
}

export interface TransportDeps {
  /** Relative file paths are relative to it (where pipectl.yaml is). */
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout?: (line: string) => void;
}

export function createTransport(config: OpenLineageTransport, deps: TransportDeps): LineageTransport {
  if (config.type === 'console') {
    const write = deps.stdout ?? ((line: string) => process.stdout.write(line));
    return {
      name: 'console',
      async send(events) {
        write(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
        return { delivered: events.length, failed: 0 };
      },
    };
  }
  if (config.type === 'file') {
    const path = resolve(deps.projectDir, config.path);
    return {
      name: `file ${config.path}`,
      async send(events) {
        try {
          await mkdir(dirname(path), { recursive: true });
          // One append per batch: lines of concurrent batches never interleave mid-line.
          await appendFile(path, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
          return { delivered: events.length, failed: 0 };
        } catch (error) {
          return { delivered: 0, failed: events.length, reason: messageOf(error) };
        }
      },
    };
  }
  const url = `${config.url.replace(/\/+$/, '')}/${config.endpoint.replace(/^\/+/, '')}`;
  return {
    name: `http ${url}`,
    async send(events) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (config.apiKeyEnv !== undefined) {
        const token = deps.env[config.apiKeyEnv];
        if (!token) {
          return {
            delivered: 0,
            failed: events.length,
            reason: `${config.apiKeyEnv} (apiKeyEnv) is not set in the worker's environment`,
          };
        }
        headers.authorization = `Bearer ${token}`;
      }
      // In order: a consumer sees a run's START before its COMPLETE.
      for (const [index, event] of events.entries()) {
        const failure = await post(url, headers, event, config.timeoutMs);
        if (failure !== undefined)
          return { delivered: index, failed: events.length - index, reason: failure };
      }
      return { delivered: events.length, failed: 0 };
    },
  };
}

/** Undefined when the API accepted the event, else why not. */
async function post(
  url: string,
  headers: Record<string, string>,
  event: unknown,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is reused.
    const text = await response.text();
    if (response.ok) return undefined;
    return `${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  } catch (error) {
    return `POST ${url} failed: ${messageOf(error)}`;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
