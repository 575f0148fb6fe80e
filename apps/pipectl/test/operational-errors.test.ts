// Known operational problems end as usage errors (exit 2) with their PIPE code and the fix, never
// as an internal error (exit 70): a Temporal server that does not answer (for the client commands
// and for the worker), a DuckDB extension that is not installed. A dev-server port in use is tested
// on a real `pipectl dev` in dev-command.test.ts, a missing Temporal binary on the installed CLI in
// install.test.ts. (A warehouse file another process holds is met by a run's activities, which wait
// for it and then fail the step with PIPE5201: packages/runtime/test/warehouse-pool.test.ts.)
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { bufferTerminal, main } from '../src/index.js';

let dir: string;
let project: string;
/** A loopback port nothing listens on: taken from the system, then released. */
let closedPort: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-operational-'));
  expect(await run(['init', 'demo'])).toMatchObject({ code: 0 });
  project = join(dir, 'demo');
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], cwd = dir) {
  const term = bufferTerminal();
  const code = await main(args, term, cwd);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

describe('Temporal unreachable: PIPE6003 with what to start or where to point', () => {
  test.each([
    ['run', ['run', 'signups_daily']],
    ['status', ['status', 'pipectl-demo-signups_daily-2026-01-01']],
    ['runs', ['runs']],
    ['approve', ['approve', 'pipectl-demo-signups_daily-2026-01-01', '--as', 'your-name']],
    ['worker', ['worker']],
  ])('pipectl %s', async (_name, args) => {
    const { code, stderr } = await run([...args, '--temporal-address', `127.0.0.1:${closedPort}`], project);
    expect(stderr).toContain(`PIPE6003 cannot reach Temporal at 127.0.0.1:${closedPort}`);
    expect(stderr).toContain('Start the local dev server with `pipectl dev`');
    expect(code).toBe(2);
  });
});

describe('missing tools', () => {
  test('a DuckDB extension that is not installed is PIPE5204, saying where to put it', async () => {
    mkdirSync(join(dir, 'no-extensions'), { recursive: true });
    vi.stubEnv('PIPECTL_DUCKDB_EXTENSIONS', join(dir, 'no-extensions'));
    const lake = join(dir, 'lake-project');
    expect(await run(['init', 'lake-project'])).toMatchObject({ code: 0 });
    appendFileSync(
      join(lake, 'pipectl.yaml'),
      'targets:\n  lake:\n    warehouse:\n      kind: ducklake\n      catalog: .pipectl/lake.ducklake\n      dataPath: .pipectl/lake\n',
    );
    const { code, stderr } = await run(['test', 'signups_daily', '--target', 'lake'], lake);
    vi.unstubAllEnvs();
    expect(stderr).toContain('PIPE5204 the DuckDB extension "ducklake" could not be loaded');
    expect(stderr).toContain('PIPECTL_DUCKDB_EXTENSIONS');
    expect(code).toBe(2);
  });
});
