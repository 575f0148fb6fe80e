// `pipectl docs build` and `pipectl docs serve` end to end, on the repository's own shop project:
// the site is written, served on loopback, and a port in use is a user error (PIPE8001). On a
// project published twice, the site carries each check's results from the warehouse.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogModel } from '@pipectl/catalog-site';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listen } from '../src/commands/docs.js';
import { bufferTerminal, main } from '../src/index.js';
import { publishProject } from './support/publish-project.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let workdir: string;

async function run(args: string[]) {
  const term = bufferTerminal();
  const code = await main(args, term, repoRoot);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-docs-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

test('docs build writes the site of the project, and says when the registry was not read', async () => {
  const out = join(workdir, 'site');
  const { code, stdout, stderr } = await run(['docs', 'build', '--out', out, '--target', 'default']);
  expect(stderr).toMatch(/registry not read|^$/);
  expect(code).toBe(0);
  expect(stdout).toContain('wrote ');
  const model = readFileSync(join(out, 'assets/model.js'), 'utf8');
  expect(model).toContain('"name":"mart.fct_order_items"');
  expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('assets/cytoscape.min.js');
});

test('the docs server serves the site on 127.0.0.1 and nothing outside it', async () => {
  const out = join(workdir, 'served');
  expect((await run(['docs', 'build', '--out', out, '--no-warehouse'])).code).toBe(0);
  const server = await listen(out, 0);
  try {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
    const index = await fetch(`http://127.0.0.1:${port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`http://127.0.0.1:${port}/assets/model.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/..%2f..%2fpackage.json`)).status).toBeGreaterThanOrEqual(
      403,
    );
  } finally {
    await new Promise((done) => server.close(done));
  }
});

test('docs serve on a port in use is a user error naming PIPE8001 and the fix', async () => {
  const out = join(workdir, 'busy');
  expect((await run(['docs', 'build', '--out', out, '--no-warehouse'])).code).toBe(0);
  const busy: Server = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  const address = busy.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const { code, stderr } = await run(['docs', 'serve', '--no-build', '--out', out, '--port', String(port)]);
    expect(code).toBe(2);
    expect(stderr).toContain(`PIPE8001 port ${port} on 127.0.0.1 is in use`);
    expect(stderr).toContain('--port');
  } finally {
    await new Promise((done) => busy.close(done));
  }
});

test('docs serve --no-build without a site is PIPE8003', async () => {
  const { code, stderr } = await run(['docs', 'serve', '--no-build', '--out', join(workdir, 'none')]);
  expect(code).toBe(2);
  expect(stderr).toContain('PIPE8003');
});

test("docs build reads each check's results from the warehouse: the latest and the trend of two runs", async () => {
  const project = join(workdir, 'demo');
  const init = bufferTerminal();
  expect(await main(['init', project], init, workdir)).toBe(0);
  appendFileSync(
    join(project, 'pipectl.yaml'),
    'targets:\n  dev:\n    warehouse: { kind: duckdb, path: .pipectl/warehouse.duckdb }\n',
  );
  await publishProject(project, 'dev', 'run-1');
  await publishProject(project, 'dev', 'run-2');
  const out = join(workdir, 'demo-site');
  const term = bufferTerminal();
  expect(await main(['docs', 'build', '-p', project, '--target', 'dev', '--out', out], term, workdir)).toBe(
    0,
  );
  expect(term.stderr).toBe('');
  const script = readFileSync(join(out, 'assets/model.js'), 'utf8');
  const model = JSON.parse(script.slice(script.indexOf('{'), script.lastIndexOf('}') + 1)) as CatalogModel;
  const results = model.datasets.find((d) => d.name === 'analytics.daily_signups')?.checkResults ?? [];
  expect(results.length).toBeGreaterThan(0);
  for (const check of results) {
    expect(check.trend.map((r) => [r.runId, r.status])).toEqual([
      ['run-1', 'pass'],
      ['run-2', 'pass'],
    ]);
    expect(check.latest).toMatchObject({ runId: 'run-2', outcome: 'published', passed: true });
  }
});
