// What `npm run demo` (scripts/demo.sh) does, step by step, on a copy of the default project: both
// shop pipelines publish, the breaking change shipped in examples/breaking-change applies, `pipectl
// diff` judges it breaking, and a rerun of shop_marts is left waiting for a decision, naming the
// change. If the patch stops applying or stops being breaking, the demo is broken: this fails.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually } from '../../../test-support/wait.js';
import { bufferTerminal, main } from '../src/index.js';
import { type CliStack, repoRoot, startCliStack } from './support/cli-stack.js';

const patch = join(repoRoot, 'examples/breaking-change/narrow-quantity.patch');
let stack: CliStack;
let project: string;
const pipectl = (...args: string[]) => stack.pipectl(...args);

beforeAll(async () => {
  stack = await startCliStack('demo');
  ({ project } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

test('the demo publishes the shop, applies the shipped breaking change and leaves a run waiting', async () => {
  const date = '2026-11-20';
  const staging = await pipectl('run', 'shop_staging', '--date', date, '--wait');
  expect(staging.stderr).toBe('');
  expect(staging.code).toBe(0);
  const marts = await pipectl('run', 'shop_marts', '--date', date, '--wait');
  expect(marts.stderr).toBe('');
  expect(marts.code).toBe(0);

  const contract = 'contracts/mart/fct_order_items.contract.yaml';
  const before = join(project, 'fct_order_items.before.yaml');
  cpSync(join(project, contract), before);
  execFileSync('git', ['apply', patch], { cwd: project });

  const term = bufferTerminal();
  const judged = await main(['diff', before, join(project, contract)], term, project);
  expect(term.stderr).toBe('');
  expect(judged).toBe(1);
  expect(term.stdout).toContain('FIELD_TYPE_NARROWED');
  expect(readFileSync(join(project, contract), 'utf8')).toContain('smallint');

  const rerun = await pipectl('run', 'shop_marts', '--date', date, '--rerun');
  expect(rerun.code).toBe(0);
  const runId = rerun.stdout.match(/pipectl-shop-shop_marts-\d{4}-\d{2}-\d{2}-r\d+/)?.[0];
  expect(runId).toBeDefined();

  const waiting = await eventually(async () => {
    const listed = (await pipectl('runs', '--awaiting-approval')).stdout;
    return listed.includes(runId as string) ? listed : undefined;
  }, `the demo's rerun ${runId} to be listed as awaiting approval`);
  expect(waiting).toContain(runId);
  const status = await pipectl('status', runId as string);
  expect(status.stdout).toContain('Waiting for approval: breaking change to mart.fct_order_items');
  expect(status.stdout).toContain('FIELD_TYPE_NARROWED');
  expect(status.stdout).toContain('mart.daily_revenue');
});
