// The CLI end to end: each command once, through `main` with a captured terminal, on real
// projects written to temporary directories.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cliReferenceMarkdown } from '../src/cli-reference.js';
import { createContext } from '../src/context.js';
import { errorCodesMarkdown } from '../src/error-codes-reference.js';
import { bufferTerminal, buildProgram, main } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function run(args: string[], cwd = repoRoot) {
  const term = bufferTerminal();
  const code = await main(args, term, cwd);
  return { code, stdout: term.stdout, stderr: term.stderr };
}

let workdir: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-cli-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('pipectl', () => {
  // Every command the program registers, so a new command is covered the day it is added.
  const commands = buildProgram(createContext(bufferTerminal(), repoRoot), () => {}).commands.map((c) =>
    c.name(),
  );

  test('the program registers every documented command', () => {
    expect([...commands].sort()).toEqual(
      [
        'approve',
        'check',
        'compile',
        'deploy',
        'dev',
        'diff',
        'docs',
        'export',
        'history',
        'import',
        'init',
        'lineage',
        'reject',
        'restore',
        'run',
        'runs',
        'schema',
        'status',
        'test',
        'validate',
        'verify',
        'worker',
      ].sort(),
    );
  });

  test('--help lists every command and the exit codes', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of commands) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(stdout).toContain('Exit codes:');
  });

  test('no arguments prints help and exits 2', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: pipectl');
  });

  test('an unknown command exits 2 with a suggestion', async () => {
    const { code, stderr } = await run(['valdate']);
    expect(code).toBe(2);
    expect(stderr).toContain('Did you mean validate?');
  });

  test.each(commands)('%s --help shows its usage and examples', async (command) => {
    const { code, stdout, stderr } = await run([command, '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: pipectl ${command}`);
    expect(stdout).toContain('Examples:');
  });
});

describe('pipectl init, validate, compile, lineage', () => {
  test('init writes a project that validates, compiles and has lineage', async () => {
    const dir = join(workdir, 'signups');
    const init = await run(['init', dir, '--name', 'signups']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('created project "signups"');

    const validate = await run(['validate', dir]);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('2 contracts, 1 pipeline valid');

    const compiled = await run(['compile', dir]);
    expect(compiled.code).toBe(0);
    const plan = JSON.parse(compiled.stdout);
    expect(plan.pipelines[0].steps[0].name).toBe('daily_signups');

    const lineage = await run(['lineage', 'analytics.daily_signups.plan', '--upstream', '-p', dir]);
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toContain('raw.signups.plan');

    const mermaid = await run(['lineage', 'raw.signups', '--downstream', '--format', 'mermaid', '-p', dir]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR/);
    expect(mermaid.stdout).toContain('n_analytics_daily_signups');

    const selected = await run([
      'lineage',
      '--select',
      '+analytics.daily_signups',
      '--format',
      'json',
      '-p',
      dir,
    ]);
    expect(selected.code).toBe(0);
    expect(JSON.parse(selected.stdout).datasets).toEqual(['analytics.daily_signups', 'raw.signups']);
    const both = await run(['lineage', 'raw.signups', '--select', 'raw.signups', '-p', dir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give either a target or --select/--exclude, not both');

    const dot = await run(['lineage', '--format', 'dot', '-p', dir]);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain('"raw.signups" -> "analytics.daily_signups"');

    // OpenLineage job events, one line per step (judged by openlineage-python in packages/openlineage).
    const openlineage = await run(['lineage', '--format', 'openlineage', '-p', dir]);
    expect(openlineage.code).toBe(0);
    const events = openlineage.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      events.map((e) => [e.job.name, e.inputs.map((i: { name: string }) => i.name), e.outputs[0].name]),
    ).toEqual([['signups_daily.daily_signups', ['raw.signups'], 'analytics.daily_signups']]);
    expect(Object.keys(events[0].outputs[0].facets.columnLineage.fields)).toContain('plan');
  });

  test('init refuses a non-empty directory without --force', async () => {
    const dir = join(workdir, 'occupied');
    await run(['init', dir]);
    const again = await run(['init', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not empty');
  });

  test('validate reports every problem of a broken project with its place, and exits 2', async () => {
    const { code, stderr, stdout } = await run(['validate', fixture('broken-project')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('error PIPE1004 unknown key "nulable" in columns[1]');
    expect(stderr).toContain('--> contracts/orders.contract.yaml:12:5  columns[1].nulable');
    expect(stderr).toContain('= help: did you mean "nullable"?');
    expect(stderr).toContain('pipelines/orders.pipeline.yaml:12:19');
    expect(stderr).toContain('did you mean "table"?');
  });

  test('validate types SQL, checks and schedules before any data exists: each mistake a located error, exit 2', async () => {
    const { code, stderr } = await run(['validate', fixture('typing-mistakes'), '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const { stdout } = await run(['validate', fixture('typing-mistakes'), '--format', 'json']);
    const issues = JSON.parse(stdout).issues as {
      code: string;
      file: string;
      span: { line: number; col: number; endCol: number };
    }[];
    expect(
      issues.map((i) => `${i.code} ${i.file}:${i.span.line}:${i.span.col}-${i.span.endCol}`),
    ).toMatchInlineSnapshot(`
      [
        "PIPE1018 contracts/customer-totals.contract.yaml:18:10-11",
        "PIPE3001 contracts/customer-totals.contract.yaml:21:42-53",
        "PIPE1018 contracts/customer-totals.contract.yaml:23:11-22",
        "PIPE1016 pipelines/orders.pipeline.yaml:5:9-11",
        "PIPE1017 pipelines/orders.pipeline.yaml:6:13-25",
        "PIPE3012 pipelines/orders.pipeline.yaml:18:9-10",
        "PIPE3012 pipelines/orders.pipeline.yaml:19:37-38",
        "PIPE3012 pipelines/orders.pipeline.yaml:20:9-10",
        "PIPE3013 pipelines/orders.pipeline.yaml:27:27-37",
      ]
    `);
    const text = await run(['validate', fixture('typing-mistakes')]);
    expect(text.stderr).toContain(
      'error PIPE3012 column "order_count" of step "customer_totals" is bigint (DuckDB: BIGINT), but contract "mart.customer_totals" declares integer; a cast to integer is not lossless',
    );
    expect(text.stderr).toContain(
      '= help: cast to integer in the SELECT: CAST(... AS integer) AS order_count, or declare bigint in contract "mart.customer_totals"',
    );
    expect(text.stderr).toContain(
      'error PIPE3013 step "customer_codes": Scalar Function with name upper_case does not exist!',
    );
    expect(text.stderr).toContain('error PIPE1017 unknown time zone "Mars/Olympus"');
  });

  test('validate refuses SQL that reads the host and a source outside the project, at their place', async () => {
    const dir = join(workdir, 'escape');
    await run(['init', dir, '--name', 'escape']);
    const file = join(dir, 'pipelines', 'signups_daily.pipeline.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('path: data/signups.csv', 'path: ../../../../etc/passwd')
        .replace("from {{ source('signups') }}", "from {{ source('signups') }}, read_text('/etc/passwd')"),
    );
    const { code, stderr } = await run(['validate', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'error PIPE2011 source "signups" reads "../../../../etc/passwd", outside the project: it leaves the project directory',
    );
    expect(stderr).toContain('--> pipelines/signups_daily.pipeline.yaml:13:11  sources[0].path');
    expect(stderr).toContain(
      'error PIPE3011 step "daily_signups" calls the table function read_text(), which reads outside the project\'s declared sources',
    );
    expect(stderr).toContain('--> pipelines/signups_daily.pipeline.yaml:23:37  steps[0].sql');
    expect(stderr).toContain(
      "= help: declare the file or database as a source of the pipeline and read it with {{ source('name') }}",
    );
  });

  test('validate --format json gives machine-readable issues', async () => {
    const { code, stdout } = await run(['validate', fixture('broken-project'), '--format', 'json']);
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.valid).toBe(false);
    expect(report.issues.map((issue: { code: string }) => issue.code)).toContain('PIPE1004');
  });

  test('validate keeps a compile cache in .pipectl/cache/ and says the same from it; --no-cache neither reads nor writes one', async () => {
    const dir = join(workdir, 'cached-typing-mistakes');
    // Without the cache earlier tests left in the fixture.
    cpSync(fixture('typing-mistakes'), dir, {
      recursive: true,
      filter: (path) => !path.includes('.pipectl'),
    });
    const cacheFile = join(dir, '.pipectl', 'cache', 'compile.json');
    const uncached = await run(['validate', dir, '--no-cache']);
    expect(uncached.code).toBe(2);
    expect(existsSync(join(dir, '.pipectl'))).toBe(false);
    const cold = await run(['validate', dir]);
    expect(existsSync(cacheFile)).toBe(true);
    const warm = await run(['validate', dir]);
    expect(warm).toEqual(cold);
    expect(cold).toEqual(uncached);
    // Located issues render their source lines from a warm cache too.
    expect(warm.stderr).toMatch(/--> pipelines\/\S+\.pipeline\.yaml:\d+:\d+/);
    const written = statSync(cacheFile).mtimeMs;
    expect(await run(['validate', dir, '--no-cache', '--format', 'json'])).toMatchObject({ code: 2 });
    expect(statSync(cacheFile).mtimeMs).toBe(written);
  });

  test('lineage of an unknown dataset is a usage error with a suggestion', async () => {
    const dir = join(workdir, 'signups');
    const { code, stderr } = await run(['lineage', 'analytics.daily_signup', '-p', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('analytics.daily_signups');
  });

  test('a bad option value is a usage error', async () => {
    const { code, stderr } = await run(['validate', '--format', 'yaml']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown format "yaml"');
  });
});

describe('pipectl schema', () => {
  test('prints the JSON Schema of a document kind', async () => {
    const { code, stdout } = await run(['schema', 'pipeline']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).$id).toBe('https://pipectl.dev/schemas/v1/pipeline.schema.json');
  });

  test('rejects an unknown kind', async () => {
    const { code, stderr } = await run(['schema', 'table']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown document kind "table"');
  });

  test('--out-dir writes every schema', async () => {
    const { code } = await run(['schema', '--out-dir', join(workdir, 'schemas')]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(workdir, 'schemas', 'contract.schema.json'), 'utf8')).title).toBe(
      'pipectl Contract',
    );
  });
});

describe('generated docs', () => {
  test.each([
    ['docs/cli.md', cliReferenceMarkdown],
    ['docs/error-codes.md', errorCodesMarkdown],
  ])('%s matches the code (run `npm run generate` if not)', (file, generate) => {
    expect(readFileSync(join(repoRoot, file), 'utf8')).toBe(generate());
  });
});
