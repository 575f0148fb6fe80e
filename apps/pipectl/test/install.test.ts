// pipectl installed outside this repository, as a data team with its own repository would: the
// packages are built (tsc -b, then the CLI's bundle), the CLI and every workspace package it
// depends on are packed with pnpm (workspace:* rewritten to versions, exports pointing at dist/),
// the tarballs are installed with Node's own npm into an empty folder outside the repository, and
// the installed, compiled `pipectl` creates, validates and tests a project there. npm fetches the third-party dependencies
// from its registry (or its cache).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pnpm = join(repoRoot, '.tools', 'pnpm', 'node_modules', '.bin', 'pnpm');
/** The npm that ships with this Node, not whatever npm the PATH holds. */
const npm = join(dirname(process.execPath), 'npm');

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  exports?: unknown;
  files?: string[];
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Folders of @pipectl/cli and of every workspace package it depends on, directly or not. */
function workspaceClosure(): string[] {
  const byName = new Map<string, string>();
  for (const group of ['packages', 'apps'])
    for (const entry of readdirSync(join(repoRoot, group), { withFileTypes: true }))
      if (entry.isDirectory()) {
        const dir = join(repoRoot, group, entry.name);
        byName.set(readManifest(dir).name, dir);
      }
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = readManifest(byName.get(name) as string);
    for (const [dep, spec] of Object.entries(manifest.dependencies ?? {}))
      if (spec.startsWith('workspace:')) visit(dep);
  };
  visit('@pipectl/cli');
  return [...seen].map((name) => byName.get(name) as string);
}

/** The environment of a user's shell: nothing from pnpm, vitest or this repository's pipectl settings. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(npm_|PNPM|PIPECTL_|NODE_OPTIONS$|VITEST|FORCE_COLOR$)/i.test(key)) env[key] = value;
  return { ...env, NO_COLOR: '1' };
}

let workdir: string;
let app: string;
let packed: string[];

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'pipectl-install-'));
  const tarballs = join(workdir, 'tarballs');
  app = join(workdir, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  // The compiled output the tarballs carry (up to date in a second or two when nothing changed),
  // and the CLI's bundle linked from it, which its bin runs.
  const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', join(repoRoot, 'tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(repoRoot, 'apps', 'pipectl', 'scripts', 'bundle.mjs')], {
    stdio: 'inherit',
  });
  for (const dir of workspaceClosure())
    execFileSync(pnpm, ['pack', '--pack-destination', tarballs], { cwd: dir, stdio: 'ignore' });
  packed = readdirSync(tarballs).map((name) => join(tarballs, name));
  execFileSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline', ...packed],
    { cwd: app, env: userEnv(), stdio: ['ignore', 'inherit', 'inherit'] },
  );
});

afterAll(() => {
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

/** Runs the installed `pipectl` (node_modules/.bin, as npx would) in `cwd`. */
function pipectl(args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()) {
  const result = spawnSync(join(app, 'node_modules', '.bin', 'pipectl'), args, {
    cwd,
    env,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipectl installed from packed tarballs, outside the repository', () => {
  test('every workspace package the CLI needs is packed with versions for workspace:* and exports of dist/', () => {
    expect(packed.map((file) => file.slice(file.lastIndexOf('/') + 1)).sort()).toContain(
      'pipectl-cli-0.1.0.tgz',
    );
    for (const tarball of packed) {
      const manifest = JSON.parse(
        execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
      ) as Manifest;
      expect(JSON.stringify(manifest.dependencies ?? {}), tarball).not.toContain('workspace:');
      expect(JSON.stringify(manifest.exports), tarball).not.toContain('src/');
      const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
      expect(files, tarball).toContain('package/dist/index.js');
      expect(files, tarball).not.toMatch(/package\/src\/|\.tsbuildinfo|\.test\./);
    }
  });

  test('pipectl init, validate and test run on the installed, compiled copy', () => {
    const init = pipectl(['init', 'demo'], app);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const project = join(app, 'demo');

    const validate = pipectl(['validate'], project);
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('2 contracts, 1 pipeline valid');
    expect(validate.code).toBe(0);

    const run = pipectl(['test', 'signups_daily'], project);
    // stderr is a pipe: progress comes as plain lines, and nothing else.
    expect(run.stderr).toMatch(/^✓ step signups_daily\/\S+: published$/m);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stdout).toMatch(/passed: 1 pipeline, 1 of 1 step built; \d+ checks: \d+ passed, 0 failed/);
    expect(run.code).toBe(0);
  });

  test('the installed CLI runs JavaScript only: its bin imports the bundle in dist/, and tsx is not installed', () => {
    const cli = join(app, 'node_modules', '@pipectl', 'cli');
    const bin = readFileSync(join(cli, 'bin', 'pipectl.mjs'), 'utf8');
    expect(bin).toContain("import('../dist/bundle/main.js')");
    expect(readdirSync(join(cli, 'dist', 'bundle'))).toContain('main.js');
    expect(() => createRequire(join(app, 'package.json')).resolve('tsx')).toThrow();
  });

  test('pipectl dev without a Temporal binary is a usage error saying how to build one into the project', () => {
    const project = join(app, 'demo');
    const dev = pipectl(['dev'], project);
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain('PIPE6001');
    expect(dev.stderr).toContain(
      `GOBIN=${join(project, '.tools', 'bin')} CGO_ENABLED=0 go install github.com/temporalio/cli/cmd/temporal@v1.5.1`,
    );
    expect(dev.stderr).toContain('PIPECTL_TEMPORAL_BIN');
  });

  test('pipectl dev takes the Temporal binary from PIPECTL_TEMPORAL_BIN, and names it when it is not runnable', () => {
    const project = join(app, 'demo');
    const dev = pipectl(['dev'], project, {
      ...userEnv(),
      PIPECTL_TEMPORAL_BIN: join(project, 'no-such-temporal'),
    });
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain(
      `PIPECTL_TEMPORAL_BIN is set to ${join(project, 'no-such-temporal')}, which does not exist`,
    );
  });
});
