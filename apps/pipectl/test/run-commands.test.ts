// `pipectl run`, `runs`, `status`, `approve` and `reject` end to end: a real Temporal dev server (the
// binary the project builds), a real worker over a copy of the default project, and a breaking
// change that waits for an approver.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, getStatus, type PipectlWorker, runWorker } from '@pipectl/runtime';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually } from '../../../test-support/wait.js';
import { bufferTerminal, main } from '../src/index.js';
import { type CliStack, repoRoot, startCliStack } from './support/cli-stack.js';

let stack: CliStack;
let server: CliStack['server'];
let project: string;
const pipectl = (...args: string[]) => stack.pipectl(...args);
/** ssh-keygen by absolute path (the signed-approval test is skipped without it). */
const SSH_KEYGEN = (process.env.PATH ?? '')
  .split(':')
  .map((dir) => join(dir, 'ssh-keygen'))
  .find((path) => path.startsWith('/') && existsSync(path));
if (!SSH_KEYGEN) console.warn('ssh-keygen is not on PATH: the signed-approval CLI test is skipped');

beforeAll(async () => {
  stack = await startCliStack('cli');
  ({ server, project } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

test('run --wait publishes a pipeline, with progress as plain lines on stderr and a missing source file retried with its cause; a second run of the same date does not run again', async () => {
  // The orders file is missing when the run starts: extraction fails retryably (PIPE5101) and
  // Temporal retries it. Once the retry shows in the run's status, the file comes back.
  const orders = join(project, 'data/shop/orders.csv');
  const away = `${orders}.away`;
  renameSync(orders, away);
  const waiting = stack.pipectlWithProgress('run', 'shop_staging', '--date', '2026-11-01', '--wait');
  // Only reads the run's status: the task queue is not used.
  const client = await connectClient({ address: server.address, namespace: server.namespace, taskQueue: '' });
  try {
    await eventually(async () => {
      const status = await getStatus(client, 'pipectl-shop-shop_staging-2026-11-01').catch(() => undefined);
      return status?.retrying?.some((retry) => retry.cause.includes('not found')) ? true : undefined;
    }, 'the run to retry the extraction of the missing orders file');
  } finally {
    renameSync(away, orders);
    await client.connection.close();
  }
  const first = await waiting;
  // Progress, polled from the workflow query: plain lines (no escape codes) on stderr, the retry
  // with its cause among them.
  expect(first.stderr).toMatch(/^- run \w+/m);
  expect(first.stderr).toMatch(/^↻ retrying \w+ \(attempt 2\): .*"data\/shop\/orders\.csv" not found/m);
  expect(first.stderr).not.toContain('\u001b');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('started run pipectl-shop-shop_staging-2026-11-01');
  expect(first.stdout).toContain('stg_orders: published');
  expect(first.stdout).toContain('succeeded');

  const again = await pipectl('run', 'shop_staging', '--date', '2026-11-01');
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('already ran');

  const marts = await pipectl('run', 'shop_marts', '--date', '2026-11-01', '--wait');
  expect(marts.code).toBe(0);
});

test('run --select runs the pipelines writing the selected datasets, upstream first', async () => {
  // Its own date: a run id is the pipeline and the date, and later tests start runs of their own.
  const selected = await pipectl('run', '--select', '+mart.daily_revenue', '--date', '2026-10-31', '--wait');
  expect(selected.stderr).toBe('');
  expect(selected.code).toBe(0);
  expect(selected.stdout).toContain('selected 2 pipelines: shop_staging, shop_marts');
  const staging = selected.stdout.indexOf('started run pipectl-shop-shop_staging-2026-10-31');
  const marts = selected.stdout.indexOf('started run pipectl-shop-shop_marts-2026-10-31');
  expect(staging).toBeGreaterThanOrEqual(0);
  expect(marts).toBeGreaterThan(staging);
  expect(selected.stdout).toContain('daily_revenue: published');
});

test('breaking changes wait; each is decided by step and fingerprint; a non-approver and a stale fingerprint are refused', async () => {
  // Drop a column of mart.dim_customers, of mart.dim_products and of mart.daily_revenue: FIELD_REMOVED,
  // breaking under their forward mode. The two dimensions are built in parallel, so both wait at
  // once; daily_revenue (downstream of both, through fct_order_items) waits once they are published.
  const contractFile = join(project, 'contracts/mart/daily_revenue.contract.yaml');
  const contract = readFileSync(contractFile, 'utf8');
  const start = contract.indexOf('  - name: average_order_value');
  const edited = contract.slice(0, start) + contract.slice(contract.indexOf('quality:'));
  writeFileSync(contractFile, edited.replace(/^version: .*$/m, 'version: 2.0.0'));
  const pipelineFile = join(project, 'pipelines/shop_marts.pipeline.yaml');
  const pipeline = readFileSync(pipelineFile, 'utf8')
    .replace(
      /,\n\s*cast\(sum\(net_amount\) \/ count\(distinct order_id\) as decimal\(12,2\)\) as average_order_value/,
      '',
    )
    .replace(/\s*- name: plausible_basket[\s\S]*?maxFailing: 1%/, '');
  writeFileSync(pipelineFile, pipeline);
  const productsFile = join(project, 'contracts/mart/dim_products.contract.yaml');
  const products = readFileSync(productsFile, 'utf8');
  const brand = products.indexOf('  - name: brand');
  writeFileSync(
    productsFile,
    (products.slice(0, brand) + products.slice(products.indexOf('  - name: list_price'))).replace(
      /^version: .*$/m,
      'version: 2.0.0',
    ),
  );
  const productsSql = join(project, 'pipelines/sql/dim_products.sql');
  writeFileSync(productsSql, readFileSync(productsSql, 'utf8').replace('  brand,\n', ''));
  const customersFile = join(project, 'contracts/mart/dim_customers.contract.yaml');
  const customers = readFileSync(customersFile, 'utf8');
  const city = customers.indexOf('  - name: city');
  writeFileSync(
    customersFile,
    (customers.slice(0, city) + customers.slice(customers.indexOf('  - name: country_code'))).replace(
      /^version: .*$/m,
      'version: 2.0.0',
    ),
  );
  writeFileSync(pipelineFile, readFileSync(pipelineFile, 'utf8').replace('        c.city,\n', ''));
  expect(await main(['validate', project], bufferTerminal(), project)).toBe(0);

  const runId = 'pipectl-shop-shop_marts-2026-11-02';
  const started = await pipectl('run', 'shop_marts', '--date', '2026-11-02');
  expect(started.code).toBe(0);
  // A new run, not "already ran": an earlier test that ran this date would leave nothing to wait.
  expect(started.stdout).toContain(`started run ${runId}`);

  const waiting = await eventually(async () => {
    const listed = (await pipectl('runs', '--awaiting-approval')).stdout;
    return listed.includes('step dim_customers') && listed.includes('step dim_products') ? listed : undefined;
  }, `pipectl runs --awaiting-approval to list ${runId} waiting on both dimensions`);
  expect(waiting).toContain(runId);

  const status = await pipectl('status', runId);
  expect(status.stdout).toContain(
    'Waiting for approval: breaking change to mart.dim_customers (step dim_customers)',
  );
  expect(status.stdout).toContain(
    'Waiting for approval: breaking change to mart.dim_products (step dim_products)',
  );
  expect(status.stdout).toContain('FIELD_REMOVED');
  const fingerprint = new Map(
    [...status.stdout.matchAll(/--step (\w+) --fingerprint ([0-9a-f]{16})/g)].map(
      (m) => [m[1], m[2]] as const,
    ),
  );
  expect([...fingerprint.keys()].sort()).toEqual(['dim_customers', 'dim_products']);
  expect(waiting).toContain(
    `step dim_products → mart.dim_products  fingerprint ${fingerprint.get('dim_products')}`,
  );

  // Nobody approves "whatever waits": with two steps waiting, the decision must name one.
  const unnamed = await pipectl('approve', runId, '--as', 'alice');
  expect(unnamed.code).toBe(2);
  expect(unnamed.stderr).toContain(`PIPE6005 approve refused for run ${runId}: 2 steps wait for a decision:`);
  for (const step of ['dim_customers', 'dim_products']) {
    expect(unnamed.stderr).toContain(
      `pipectl approve ${runId} --as alice --step ${step} --fingerprint ${fingerprint.get(step)}`,
    );
  }

  const refused = await pipectl('approve', runId, '--as', 'mallory', '--step', 'dim_customers');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('"mallory" is not an approver of mart.dim_customers');

  const stale = await pipectl(
    'approve',
    runId,
    '--as',
    'alice',
    '--step',
    'dim_products',
    '--fingerprint',
    '0123456789abcdef',
  );
  expect(stale.code).toBe(2);
  expect(stale.stderr).toContain(
    `the change waiting at step "dim_products" has fingerprint ${fingerprint.get('dim_products')}, not 0123456789abcdef`,
  );

  const customersApproved = await pipectl('approve', runId, '--as', 'alice', '--step', 'dim_customers');
  expect(customersApproved.code).toBe(0);
  expect(customersApproved.stdout).toContain(
    `approved step dim_customers (fingerprint ${fingerprint.get('dim_customers')}) of ${runId} by alice`,
  );
  const productsApproved = await pipectl(
    'approve',
    runId,
    '--as',
    'bob',
    '--fingerprint',
    fingerprint.get('dim_products') ?? '',
  );
  expect(productsApproved.code).toBe(0);
  expect(productsApproved.stdout).toContain('approved step dim_products');

  // daily_revenue waits alone once the dimensions are published: its step and fingerprint are filled in.
  await eventually(async () => {
    const shown = (await pipectl('status', runId)).stdout;
    return shown.includes('(step daily_revenue)') ? shown : undefined;
  }, `pipectl status to show ${runId} waiting on daily_revenue`);
  const approved = await pipectl('approve', runId, '--as', 'alice', '--comment', 'finance migrated');
  expect(approved.code).toBe(0);
  expect(approved.stdout).toMatch(/approved step daily_revenue \(fingerprint [0-9a-f]{16}\)/);

  const final = await eventually(async () => {
    const shown = (await pipectl('status', runId)).stdout;
    return shown.includes('succeeded') ? shown : undefined;
  }, `pipectl status to show ${runId} succeeded`);
  expect(final).toContain('succeeded');
  expect(final).toContain('approved by alice');
});

test('reject drops a waiting breaking change: nothing is published and the run ends rejected', async () => {
  // A further breaking change on top of the approved one: items_sold removed (version 3.0.0).
  const contractFile = join(project, 'contracts/mart/daily_revenue.contract.yaml');
  const contract = readFileSync(contractFile, 'utf8');
  const start = contract.indexOf('  - name: items_sold');
  const end = contract.indexOf('  - name: ', start + 1);
  writeFileSync(
    contractFile,
    (contract.slice(0, start) + contract.slice(end)).replace(/^version: .*$/m, 'version: 3.0.0'),
  );
  const pipelineFile = join(project, 'pipelines/shop_marts.pipeline.yaml');
  writeFileSync(
    pipelineFile,
    readFileSync(pipelineFile, 'utf8').replace(/\n\s*cast\(sum\(quantity\) as integer\) as items_sold,/, ''),
  );
  expect(await main(['validate', project], bufferTerminal(), project)).toBe(0);

  const runId = 'pipectl-shop-shop_marts-2026-11-03';
  const started = await pipectl('run', 'shop_marts', '--date', '2026-11-03');
  expect(started.code).toBe(0);
  expect(started.stdout).toContain(`started run ${runId}`);
  const status = await eventually(async () => {
    const shown = (await pipectl('status', runId)).stdout;
    return shown.includes('Waiting for approval') ? shown : undefined;
  }, `pipectl status to show ${runId} waiting for approval`);
  expect(status).toContain('FIELD_REMOVED');

  const rejected = await pipectl(
    'reject',
    runId,
    '--as',
    'bob',
    '--comment',
    'reports still read items_sold',
  );
  expect(rejected.code).toBe(0);
  expect(rejected.stdout).toContain('rejected step daily_revenue');

  const final = await eventually(async () => {
    const shown = (await pipectl('status', runId)).stdout;
    return /\brejected\b.*\bfailed\b/.test(shown) ? shown : undefined;
  }, `pipectl status to show ${runId} rejected and failed`);
  expect(final).toMatch(/rejected\s+failed/);
  expect(final).toContain('rejected by bob');
  expect(final).toMatch(/rejected\s+daily_revenue/);
});

test.skipIf(!SSH_KEYGEN)(
  'with signed approvals required, approve signs with the SSH key; --print prints the signed JSON; no key is refused',
  async () => {
    // The project now requires signed approvals; alice's key is the only one allowed.
    const keys = mkdtempSync(join(tmpdir(), 'pipectl-keys-'));
    const key = join(keys, 'alice');
    execFileSync(SSH_KEYGEN as string, ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', key]);
    const fingerprint = execFileSync(SSH_KEYGEN as string, ['-l', '-f', `${key}.pub`], {
      encoding: 'utf8',
    }).split(' ')[1];
    writeFileSync(join(project, 'allowed_signers'), `alice,bob ${readFileSync(`${key}.pub`, 'utf8')}`);
    const yaml = join(project, 'pipectl.yaml');
    const settings = readFileSync(yaml, 'utf8');
    writeFileSync(yaml, `${settings}\napprovals:\n  signatures: required\n`);
    const agent = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const runId = 'pipectl-shop-shop_marts-2026-11-05';
      const started = await pipectl('run', 'shop_marts', '--date', '2026-11-05');
      expect(started.code).toBe(0);
      expect(started.stdout).toContain(`started run ${runId}`);
      const status = await eventually(async () => {
        const shown = (await pipectl('status', runId)).stdout;
        return shown.includes('Waiting for approval') ? shown : undefined;
      }, `pipectl status to show ${runId} waiting for approval`);
      expect(status).toContain(
        `signed approvals required: sign with your SSH key (ssh-agent, or --key <file>); keys: alice,bob ${fingerprint}`,
      );

      const keyless = await pipectl('approve', runId, '--as', 'alice');
      expect(keyless.code).toBe(2);
      expect(keyless.stderr).toContain('PIPE6020 no --key given and SSH_AUTH_SOCK is not set (no ssh-agent)');

      const printed = await pipectl(
        'approve',
        runId,
        '--as',
        'alice',
        '--key',
        key,
        '--comment',
        'ok',
        '--print',
      );
      expect(printed.code).toBe(0);
      expect(JSON.parse(printed.stdout)).toMatchObject({
        by: 'alice',
        comment: 'ok',
        step: 'daily_revenue',
        signature: expect.stringMatching(/^-----BEGIN SSH SIGNATURE-----\n/),
      });

      const approved = await pipectl(
        'approve',
        runId,
        '--as',
        'alice',
        '--key',
        key,
        '--comment',
        'signed off',
      );
      expect(approved.stderr).toContain(`signed as alice with ${fingerprint} (key file ${key})`);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toContain(`by alice (signed, key ${fingerprint}): signed off`);
      const final = await eventually(async () => {
        const shown = (await pipectl('status', runId)).stdout;
        return shown.includes('succeeded') ? shown : undefined;
      }, `pipectl status to show ${runId} succeeded`);
      expect(final).toContain(`approved by alice (update, `);
      expect(final).toContain(`, signed by key ${fingerprint} at `);
    } finally {
      if (agent !== undefined) process.env.SSH_AUTH_SOCK = agent;
      writeFileSync(yaml, settings);
      rmSync(keys, { recursive: true, force: true });
    }
  },
);

test('deploy turns pipeline schedules into Temporal Schedules, and updates them on the next deploy', async () => {
  const first = await pipectl('deploy');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/created pipectl-shop-shop_marts/);
  expect(first.stdout).toMatch(/created pipectl-shop-shop_staging/);
  const again = await pipectl('deploy');
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/updated pipectl-shop-shop_marts/);
});

test("a second project with pipelines of the same names: its run waits for its own worker and says how to start one; runs lists each project's own", async () => {
  // A copy of the project under another name, on its default task queue (pipectl-shop-b), no worker yet.
  const other = mkdtempSync(join(tmpdir(), 'pipectl-run-b-'));
  for (const part of ['contracts', 'pipelines', 'data', 'pipectl.yaml'])
    cpSync(join(repoRoot, part), join(other, part), { recursive: true });
  const yaml = join(other, 'pipectl.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^name: shop$/m, 'name: shop-b'));
  const term = bufferTerminal();
  const waited = main(
    [
      'run',
      'shop_staging',
      '--date',
      '2026-11-01',
      '--wait',
      '-p',
      other,
      '--temporal-address',
      server.address,
    ],
    term,
    other,
  );
  let otherWorker: PipectlWorker | undefined;
  let otherDone: Promise<void> | undefined;
  try {
    await eventually(
      async () => (term.stdout.includes('start one:') ? true : undefined),
      'pipectl run --wait to say that no worker serves the run',
    );
    expect(term.stdout).toContain('started run pipectl-shop-b-shop_staging-2026-11-01');
    expect(term.stdout).toContain(
      'no worker serves this run yet: no worker polls task queue pipectl-shop-b; the run starts when one does.',
    );
    expect(term.stdout).toContain(
      '  start one: pipectl worker, or `pipectl dev` for a local Temporal with a worker',
    );

    // Its own worker, on the project's default task queue, takes the waiting run.
    let ready: (w: PipectlWorker) => void = () => {};
    const started = new Promise<PipectlWorker>((resolve) => {
      ready = resolve;
    });
    otherDone = runWorker({
      address: server.address,
      taskQueue: 'pipectl-shop-b',
      projectDir: other,
      project: 'shop-b',
      signals: [],
      onReady: (w) => ready(w),
    });
    otherWorker = await started;
    expect(await waited).toBe(0);
    expect(term.stdout).toContain('stg_orders: published');

    const own = (args: string[], dir: string) => {
      const listed = bufferTerminal();
      return main(['runs', ...args, '-p', dir, '--temporal-address', server.address], listed, dir).then(
        () => listed.stdout,
      );
    };
    const mine = await eventually(async () => {
      const shown = await own([], other);
      return shown.includes('pipectl-shop-b-shop_staging-2026-11-01') ? shown : undefined;
    }, 'pipectl runs of shop-b to list its run');
    expect(mine).not.toContain('pipectl-shop-shop_');
    const theirs = await own([], project);
    expect(theirs).toContain('pipectl-shop-shop_staging-2026-11-01');
    expect(theirs).not.toContain('pipectl-shop-b-');
    const all = await own(['--all-projects'], project);
    expect(all).toMatch(/shop-b\s+pipectl-shop-b-shop_staging-2026-11-01/);
    expect(all).toMatch(/shop\s+pipectl-shop-shop_staging-2026-11-01/);
  } finally {
    otherWorker?.shutdown();
    await otherDone?.catch(() => undefined);
    rmSync(other, { recursive: true, force: true });
  }
});
