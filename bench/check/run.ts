// The check benchmark: a git repository holding the compile benchmark's project (1,000 contracts
// of 30 columns, 500 pipelines by default), a second commit that changes 100 raw contracts, then
// `pipectl check --base HEAD~1`, RUNS times each: in process (check-once.ts, a fresh process per
// run, timing only checkRepository) and as the whole CLI process (node start and imports included),
// with and without --changed-only. Prints the medians.
//
// Each is measured three ways: --no-cache (no compile cache at all), with a cold cache (the file
// removed before each run: the first check after a change of pipectl, which also writes it) and a
// warm one (the cache a previous check of the same revisions left: a CI job re-run, or a developer
// checking again).
//
//   node --conditions=@pipectl/source --import tsx bench/check/run.ts [--contracts 1000] [--columns 30] [--pipelines 500] [--changed 100] [--runs 5]
//
// The 100 changes are a realistic mix on the raw contracts of even pipelines (read by one
// staging step each): a nullable column added (minor bump), a type widened with a major bump
// (breaking, with its consumers from the head's lineage), a pattern added (minor bump), and a type
// widened with only a minor bump (breaking, and a version error).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateProject } from '../compile/generate.js';

interface Sample {
  totalMs: number;
  contracts: number;
  unchanged: number;
  changes: number;
  unapprovedBreaking: number;
  versionErrors: number;
  issues: number;
  peakRssMb: number;
}

const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: '1000' },
    columns: { type: 'string', default: '30' },
    pipelines: { type: 'string', default: '500' },
    changed: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
  },
});
const shape = {
  contracts: Number(values.contracts),
  columns: Number(values.columns),
  pipelines: Number(values.pipelines),
};
const changed = Number(values.changed);
const runs = Number(values.runs);
if (changed * 2 > shape.pipelines)
  throw new Error('--changed may be at most half of --pipelines (even raw contracts)');

const root = resolve(import.meta.dirname, '..', '..');
const dir = resolve(
  import.meta.dirname,
  '..',
  '.out',
  `check-${shape.contracts}x${shape.columns}-${shape.pipelines}-${changed}`,
);
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'pipectl bench',
  GIT_AUTHOR_EMAIL: 'bench@pipectl.example',
  GIT_COMMITTER_NAME: 'pipectl bench',
  GIT_COMMITTER_EMAIL: 'bench@pipectl.example',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });

// The repository: the generated project, then one commit changing `changed` raw contracts.
await generateProject(shape, dir);
git('init', '--quiet', '--initial-branch=main');
git('add', '--all');
git('commit', '--quiet', '-m', 'generated project');
for (let i = 0; i < changed; i++) {
  const file = join(dir, 'contracts', 'raw', `t${i * 2}.contract.yaml`);
  let text = readFileSync(file, 'utf8');
  const widen = (bump: string) =>
    text.replace('version: 1.0.0', `version: ${bump}`).replace(/(name: c4\n {4}type: )integer/, '$1bigint');
  if (i % 4 === 0)
    text = text
      .replace('version: 1.0.0', 'version: 1.1.0')
      .replace('quality:', 'columns_end_marker:')
      .replace('columns_end_marker:', '  - name: note\n    type: varchar\nquality:');
  else if (i % 4 === 1) text = widen('2.0.0');
  else if (i % 4 === 2)
    text = text
      .replace('version: 1.0.0', 'version: 1.1.0')
      .replace(/(name: c6\n {4}type: varchar)/, "$1\n    pattern: '^[A-Z]'");
  else text = widen('1.1.0');
  writeFileSync(file, text);
}
git('commit', '--quiet', '-am', `change ${changed} contracts`);

const median = (list: readonly number[]): number =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
const ms = (value: number): string => `${value.toFixed(0)} ms`;

type CacheMode = 'no cache' | 'cold cache' | 'warm cache';
const dropCache = () => rmSync(join(dir, '.pipectl', 'cache'), { recursive: true, force: true });

function measure(
  changedOnly: boolean,
  mode: CacheMode,
): { inProcess: Sample[]; wall: number[]; process: number[]; loads: number[]; node: number[] } {
  const inProcess: Sample[] = [];
  const wall: number[] = [];
  const processes: number[] = [];
  const loads: number[] = [];
  const node: number[] = [];
  const cacheArgs = mode === 'no cache' ? [] : ['cache'];
  for (let run = 0; run < runs; run++) {
    loads.push(loadavg()[0] ?? 0);
    const alone = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    node.push(performance.now() - alone);
    if (mode === 'cold cache') dropCache();
    // The sources check-once.ts runs and the CLI's bundle are different builds: their caches differ.
    if (mode === 'warm cache') checkOnce(changedOnly, cacheArgs);
    const started = performance.now();
    const output = checkOnce(changedOnly, cacheArgs);
    wall.push(performance.now() - started);
    inProcess.push(JSON.parse(output.trim().split('\n').pop() ?? '{}') as Sample);
    const args = [
      join(root, 'apps/pipectl/bin/pipectl.mjs'),
      'check',
      '--base',
      'HEAD~1',
      '--format',
      'json',
    ];
    if (changedOnly) args.push('--changed-only');
    if (mode === 'no cache') args.push('--no-cache');
    if (mode === 'cold cache') dropCache();
    if (mode === 'warm cache') runCli(args);
    const cli = performance.now();
    runCli(args);
    processes.push(performance.now() - cli);
  }
  return { inProcess, wall, process: processes, loads, node };
}

function checkOnce(changedOnly: boolean, cacheArgs: readonly string[]): string {
  return execFileSync(
    process.execPath,
    [
      '--conditions=@pipectl/source',
      '--import',
      'tsx',
      join(import.meta.dirname, 'check-once.ts'),
      dir,
      'HEAD~1',
      changedOnly ? 'changed-only' : 'all',
      ...cacheArgs,
    ],
    { encoding: 'utf8', env },
  );
}

function runCli(args: string[]): void {
  try {
    execFileSync(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    // Exit 1: the check found the breaking changes it was given. Exit 2: since validate types
    // the SQL, each widened raw column also makes its staging step's cast lossy (PIPE3012 at
    // the head); the check does the same work either way. Anything else is a failure.
    const status = (error as { status?: number }).status;
    if (status !== 1 && status !== 2) throw error;
  }
}

for (const changedOnly of [false, true])
  for (const mode of ['no cache', 'cold cache', 'warm cache'] as const) {
    const result = measure(changedOnly, mode);
    const first = result.inProcess[0] as Sample;
    console.log(
      `check ${shape.contracts} contracts x ${shape.columns} columns, ${shape.pipelines} pipelines, ${changed} changed${changedOnly ? ', --changed-only' : ''}, ${mode} (${runs} runs; 1-minute load ${Math.min(...result.loads).toFixed(1)}–${Math.max(...result.loads).toFixed(1)}, node -e 0 ${ms(median(result.node))})`,
    );
    console.log(
      `  report: ${first.contracts} contracts with ${first.changes} changes (${first.unapprovedBreaking} unapproved breaking, ${first.versionErrors} version errors), ${first.unchanged} unchanged, ${first.issues} issues`,
    );
    const inProcess = result.inProcess.map((s) => s.totalMs);
    console.log(
      `  checkRepository (in process):  median ${ms(median(inProcess))}, min ${ms(Math.min(...inProcess))}`,
    );
    console.log(
      `  pipectl check (whole process): median ${ms(median(result.process))}, min ${ms(Math.min(...result.process))}`,
    );
    console.log(`  peak RSS: ${Math.max(...result.inProcess.map((s) => s.peakRssMb)).toFixed(0)} MB`);
  }
