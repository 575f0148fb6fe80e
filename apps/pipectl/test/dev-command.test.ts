// `pipectl dev` as a real process: killed outright (SIGKILL), it cannot stop its Temporal server;
// the next `pipectl dev` finds the server it recorded, stops it, and starts afresh. A port another
// program holds is a usage error naming the port. Waits on what the processes print and on the
// server answering, with generous limits.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient, findFreePort, isPortFree } from '@pipectl/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, within } from '../../../test-support/wait.js';
import { bufferTerminal, main } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
// The CLI from its sources (no build needed); the packed, compiled CLI is tested in install.test.ts.
const cli = [
  '--conditions=@pipectl/source',
  '--import',
  'tsx',
  fileURLToPath(new URL('../src/cli.ts', import.meta.url)),
];

let project: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'pipectl-dev-'));
  for (const part of ['contracts', 'pipelines', 'data', 'pipectl.yaml'])
    cpSync(join(repoRoot, part), join(project, part), { recursive: true });
});

afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(started.map((child) => exited(child).catch(() => undefined)));
  // A server left running by a failed test: stop it by the record, as pipectl dev would.
  const record = join(project, '.pipectl', 'dev-server.pid');
  if (existsSync(record)) {
    const { pid } = JSON.parse(readFileSync(record, 'utf8')) as { pid: number };
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  rmSync(project, { recursive: true, force: true });
});

function plainEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _, ...env } = process.env;
  return { ...env, NO_COLOR: '1' };
}

/** Starts `pipectl dev` as its own process; `output()` is what it has printed so far. */
function startDev(args: string[], dir = project): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...cli, 'dev', '-p', dir, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Plain text to match on: nx sets FORCE_COLOR for the tasks it runs, which wins over NO_COLOR.
    env: plainEnv(),
  });
  started.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { child, output: () => text };
}

/** Waits until `check` holds; the error names what never happened and shows what pipectl printed. */
async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  show: () => string,
): Promise<void> {
  try {
    await eventually(async () => ((await check()) ? true : undefined), what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; pipectl dev printed:\n${show()}`);
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return within(new Promise((resolve) => child.once('exit', resolve)), 'pipectl dev to exit');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  const settings = { address: `127.0.0.1:${port}`, namespace: 'default', taskQueue: 'pipectl' };
  const client = await connectClient(settings).catch(() => undefined);
  try {
    await client?.workflowService.describeNamespace({ namespace: 'default' });
    return client !== undefined;
  } catch {
    return false;
  } finally {
    await client?.connection.close();
  }
}

const recordedPid = (): number =>
  (JSON.parse(readFileSync(join(project, '.pipectl', 'dev-server.pid'), 'utf8')) as { pid: number }).pid;

describe('pipectl dev', () => {
  test('after a SIGKILL, the next pipectl dev stops the server left behind and starts afresh', async () => {
    const port = await findFreePort();
    let uiPort = await findFreePort();
    while (uiPort === port) uiPort = await findFreePort();
    const flags = ['--port', String(port), '--ui-port', String(uiPort)];

    const first = startDev(flags);
    await until('the first pipectl dev to be ready', () => first.output().includes('ready:'), first.output);
    const orphan = recordedPid();
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(isRunning(orphan)).toBe(true); // the server outlived its parent, holding the port

    const second = startDev(flags);
    await until(
      'the second pipectl dev to be ready',
      () => second.output().includes('ready:'),
      second.output,
    );
    expect(second.output()).toContain(
      `stopping the Temporal dev server an earlier pipectl dev left running (PID ${orphan}, port ${port}`,
    );
    expect(isRunning(orphan)).toBe(false);
    await until('the new server to answer', () => answers(port), second.output);
    const fresh = recordedPid();
    expect(fresh).not.toBe(orphan);

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(second.output()).toContain('dev server stopped');
    expect(isRunning(fresh)).toBe(false);
    expect(existsSync(join(project, '.pipectl', 'dev-server.pid'))).toBe(false);
  });

  test('a port another program holds is a usage error naming it and how to choose another', async () => {
    const port = await findFreePort();
    const blocker: Server = createServer();
    await new Promise<void>((listening) => blocker.listen(port, '127.0.0.1', listening));
    try {
      const term = bufferTerminal();
      const code = await main(['dev', '-p', project, '--port', String(port)], term, repoRoot);
      expect(code).toBe(2);
      expect(term.stderr).toContain(
        `PIPE6007 port ${port} on 127.0.0.1 (the Temporal front-end port) is in use`,
      );
      expect(term.stderr).toContain('--port <port>');
    } finally {
      await new Promise<void>((closed) => blocker.close(() => closed()));
    }
  });

  test("serves the project's Temporal settings from pipectl.yaml: its port, namespace and task queue, where pipectl run sends the run", async () => {
    let port = await findFreePort();
    while (!(await isPortFree(port + 1000))) port = await findFreePort();
    const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-settings-'));
    try {
      for (const part of ['contracts', 'pipelines', 'data', 'pipectl.yaml'])
        cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
      const yaml = join(dir, 'pipectl.yaml');
      writeFileSync(
        yaml,
        readFileSync(yaml, 'utf8').replace(
          /^temporal:\n( {2}.*\n)+/m,
          `temporal:\n  address: localhost:${port}\n  namespace: shop-ns\n  taskQueue: shop-pipelines\n`,
        ),
      );

      const dev = startDev([], dir);
      await until('pipectl dev to be ready', () => dev.output().includes('ready:'), dev.output);
      expect(dev.output()).toContain(
        `Temporal at 127.0.0.1:${port}, namespace shop-ns, worker of project shop on task queue shop-pipelines`,
      );

      const term = bufferTerminal();
      const code = await main(
        ['run', 'shop_staging', '--date', '2026-11-05', '--wait', '-p', dir],
        term,
        dir,
      );
      expect(term.stdout).toContain('started run pipectl-shop-shop_staging-2026-11-05');
      expect(term.stdout).not.toContain('no worker serves this run');
      expect(term.stdout).toContain('stg_orders: published');
      expect(code).toBe(0);

      dev.child.kill('SIGTERM');
      expect(await exited(dev.child)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
