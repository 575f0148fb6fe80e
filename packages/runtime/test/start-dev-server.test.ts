// Tests for startDevServer: startup failures carry the server's output, and stop() ends the process.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DevServerPortInUseError, DevServerStartError } from '../src/dev-server/start-dev-server.js';
import { findFreePort, findTemporalBinary, startDevServer } from '../src/index.js';

async function startupError(start: Promise<unknown>): Promise<DevServerStartError> {
  const error = await start.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DevServerStartError);
  return error as DevServerStartError;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startDevServer', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('fails with PIPE6002 and the server output when the binary exits during startup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-fake-temporal-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const fake = join(dir, 'temporal');
    writeFileSync(fake, '#!/bin/sh\necho "fake server refuses to start" >&2\nexit 3\n');
    chmodSync(fake, 0o755);

    const error = await startupError(startDevServer({ binary: fake, startupTimeoutMs: 10_000 }));

    expect(error.code).toBe('PIPE6002');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('fake server refuses to start');
  });

  it('with a log file, the server writes there, and a startup failure still quotes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-fake-temporal-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const fake = join(dir, 'temporal');
    writeFileSync(fake, '#!/bin/sh\necho "fake server refuses to start" >&2\nexit 3\n');
    chmodSync(fake, 0o755);
    const logFile = join(dir, 'server.log');
    writeFileSync(logFile, 'an earlier run\n');

    const error = await startupError(startDevServer({ binary: fake, logFile, startupTimeoutMs: 10_000 }));

    expect(error.output).toBe('fake server refuses to start\n');
    expect(readFileSync(logFile, 'utf8')).toBe('an earlier run\nfake server refuses to start\n');
  });

  it('refuses an explicit port that another program holds, naming it (PIPE6007), before starting', async () => {
    const port = await findFreePort();
    const sockets = new Set<Socket>();
    const blocker: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((listening) => blocker.listen(port, '127.0.0.1', listening));
    cleanups.push(
      () =>
        new Promise<void>((closed) => {
          for (const socket of sockets) socket.destroy();
          blocker.close(() => closed());
        }),
    );

    const error = await startDevServer({ binary: findTemporalBinary(), port }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(DevServerPortInUseError);
    expect((error as DevServerPortInUseError).code).toBe('PIPE6007');
    expect((error as Error).message).toContain(
      `port ${port} on 127.0.0.1 (the Temporal front-end port) is in use`,
    );
  });

  it('serves on a loopback address in its own process group and ends the process on stop', async () => {
    const server = await startDevServer({ binary: findTemporalBinary() });
    const group = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2];
    expect(Number(group)).toBe(server.pid);
    cleanups.push(() => server.stop());

    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(isRunning(server.pid)).toBe(true);
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
  });
});
