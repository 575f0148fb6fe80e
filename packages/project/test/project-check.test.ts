// `checkProject` through the library: a copy of examples/task-analytics in a git repository of its
// own; the working tree drops a column of analytics.dim_date (and the SQL that made it) without a
// major version bump, and the check against HEAD names the change, judges it breaking under the
// contract's `full` mode, and fails; against an unchanged tree it passes.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkProject } from '../src/index.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/task-analytics', import.meta.url));
let dir: string;

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=pipectl', '-c', 'user.email=pipectl@example.com', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-project-check-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (path) => !path.includes('.pipectl') });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'the example as shipped');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('passes an unchanged tree, and fails a removed column, naming it, its rule and its verdict', async () => {
  const unchanged = await checkProject(dir, { base: 'HEAD' });
  expect(unchanged.summary.failed).toBe(false);
  expect(unchanged.issues.filter((issue) => issue.severity === 'error')).toEqual([]);

  const contract = join(dir, 'contracts/analytics/dim_date.contract.yaml');
  const text = readFileSync(contract, 'utf8');
  writeFileSync(contract, text.slice(0, text.indexOf('  - name: is_weekend')));
  const pipeline = join(dir, 'pipelines/task_analytics.pipeline.yaml');
  writeFileSync(
    pipeline,
    readFileSync(pipeline, 'utf8').replace(/,\n\s*isodow\(day\) >= 6 as is_weekend/, ''),
  );

  const report = await checkProject(dir, { base: 'HEAD' });
  // Failed for the change, not because the head is invalid.
  expect(report.summary.headErrors).toBe(0);
  expect(report.summary.failed).toBe(true);
  const dimDate = report.contracts.find((c) => c.dataset === 'analytics.dim_date');
  expect(dimDate).toBeDefined();
  expect(JSON.stringify(dimDate)).toContain('FIELD_REMOVED');
  expect(JSON.stringify(dimDate)).toContain('is_weekend');
});
