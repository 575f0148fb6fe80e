// The start-up benchmark: whole-process times of the commands people and CI type most, run the way
// pipectl runs now (apps/pipectl/bin/pipectl.mjs → the bundle in dist/bundle/) and the way it ran
// before the bundle (dist/main.js, the packages' tsc output module by module), interleaved so that
// caches and load favour neither. Needs a build first (`npm run build`). Prints the median of RUNS
// per command, each beside `node -e 0` and the 1-minute load average of its runs.
//
// `validate` is measured three ways: with --no-cache (no compile cache at all), with a cold cache
// (the file removed before each run: the first run after a change of pipectl, which also writes
// it) and with a warm one (an unchanged project: what a person or CI re-running it sees).
//
// With --dbt, also `dbt --help` and `dbt parse` of the equivalent dbt project
// (bench/compile/generate-dbt.ts; dbt-duckdb from .tools/python, `npm run setup` installs it), cold
// (--no-partial-parse) and warm (dbt's partial parsing, after a first parse), DBT_RUNS times each:
// a cold parse of 1,000 contracts takes minutes.
//
//   node --conditions=@pipectl/source --import tsx bench/startup/run.ts [--runs 10] [--contracts 1000] [--columns 30] [--pipelines 500] [--dbt] [--dbt-runs 1]
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutDir, generateProject } from '../compile/generate.js';
import { defaultDbtDir, generateDbtProject } from '../compile/generate-dbt.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    contracts: { type: 'string', default: '1000' },
    columns: { type: 'string', default: '30' },
    pipelines: { type: 'string', default: '500' },
    dbt: { type: 'boolean', default: false },
    'dbt-runs': { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const shape = {
  contracts: Number(values.contracts),
  columns: Number(values.columns),
  pipelines: Number(values.pipelines),
};
const root = join(import.meta.dirname, '..', '..');
const project = defaultOutDir(shape);
if (!existsSync(join(project, 'pipectl.yaml'))) await generateProject(shape, project);
if (!existsSync(join(root, 'apps/pipectl/dist/bundle/main.js'))) {
  console.error('the CLI is not built: run `npm run build` first');
  process.exit(2);
}

const unbundled = `const { main } = await import(${JSON.stringify(join(root, 'apps/pipectl/dist/main.js'))}); process.exitCode = await main(process.argv.slice(1));`;
const ways = {
  bundle: [join(root, 'apps/pipectl/bin/pipectl.mjs')],
  'dist/ (before)': ['--input-type=module', '-e', unbundled, '--'],
} as const;
const fixture = (rule: string, side: string) =>
  join(root, 'packages/compat/test/fixtures', rule, `${side}.contract.yaml`);
const dropCache = () => rmSync(join(project, '.pipectl', 'cache'), { recursive: true, force: true });
const commands: Record<string, { args: string[]; cwd: string; ok: number[]; before?: () => void }> = {
  '--help': { args: ['--help'], cwd: root, ok: [0] },
  'diff of two contracts': {
    args: ['diff', fixture('FIELD_REMOVED', 'before'), fixture('FIELD_REMOVED', 'after')],
    cwd: root,
    ok: [0, 1],
  },
  [`validate ${shape.contracts} × ${shape.columns} / ${shape.pipelines} --no-cache`]: {
    args: ['validate', project, '--no-cache'],
    cwd: root,
    ok: [0],
  },
  '  cache cold (written)': { args: ['validate', project], cwd: root, ok: [0], before: dropCache },
  '  cache warm': { args: ['validate', project], cwd: root, ok: [0] },
};

const samples = new Map<string, number[]>();
const nodeAlone: number[] = [];
const loads: number[] = [];
for (let run = 0; run < runs; run++) {
  loads.push(loadavg()[0] ?? 0);
  // Node starting and exiting: the floor under every row, and a gauge of how loaded the machine is.
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  nodeAlone.push(performance.now() - started);
  for (const [command, { args, cwd, ok, before }] of Object.entries(commands)) {
    for (const [way, prefix] of Object.entries(ways)) {
      before?.();
      // The two ways are different builds (their code keys differ): each warms its own cache.
      if (command.includes('warm')) spawnSync(process.execPath, [...prefix, ...args], { cwd });
      const started = performance.now();
      const result = spawnSync(process.execPath, [...prefix, ...args], { cwd, encoding: 'utf8' });
      const ms = performance.now() - started;
      if (!ok.includes(result.status ?? -1))
        throw new Error(`${way} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      const key = `${command}\t${way}`;
      samples.set(key, [...(samples.get(key) ?? []), ms]);
    }
  }
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
console.log(
  `whole-process medians of ${runs} runs (node ${process.version}, 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})`,
);
console.log(`  ${'node -e 0 (the floor)'.padEnd(30)} ${median(nodeAlone).toFixed(0)} ms`);
for (const command of Object.keys(commands)) {
  const row = Object.keys(ways).map(
    (way) => `${way} ${median(samples.get(`${command}\t${way}`) ?? []).toFixed(0)} ms`,
  );
  console.log(`  ${command.padEnd(30)} ${row.join('   ')}`);
}

if (values.dbt) {
  const venv = join(root, '.tools', 'python', 'bin');
  const dbtDir = defaultDbtDir(shape);
  if (!existsSync(join(dbtDir, 'dbt_project.yml'))) await generateDbtProject(shape, dbtDir);
  const env = { ...process.env, NO_COLOR: '1', DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1' };
  const dbt = (args: string[]): number => {
    const started = performance.now();
    const result = spawnSync(join(venv, 'dbt'), args, { cwd: dbtDir, env, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`dbt ${args.join(' ')} exited ${result.status}: ${result.stdout}`);
    return performance.now() - started;
  };
  const parse = ['parse', '--profiles-dir', dbtDir, '--project-dir', dbtDir];
  const rows: Record<string, number[]> = { 'dbt --help': [], 'dbt parse, cold': [], 'dbt parse, warm': [] };
  const dbtLoads: number[] = [];
  for (let run = 0; run < Number(values['dbt-runs']); run++) {
    dbtLoads.push(loadavg()[0] ?? 0);
    rows['dbt --help']?.push(dbt(['--help']));
    rows['dbt parse, cold']?.push(dbt([...parse, '--no-partial-parse']));
    rows['dbt parse, warm']?.push(dbt(parse));
  }
  const validate = median(samples.get(`${Object.keys(commands)[2]}\tbundle`) ?? []);
  const warm = median(samples.get('  cache warm\tbundle') ?? []);
  const help = median(samples.get('--help\tbundle') ?? []);
  console.log(
    `dbt (${Number(values['dbt-runs'])} runs each, 1-minute load average ${Math.min(...dbtLoads).toFixed(1)}–${Math.max(...dbtLoads).toFixed(1)}; pipectl / dbt from the medians above)`,
  );
  for (const [row, list] of Object.entries(rows)) {
    const ms = median(list);
    const ours = row === 'dbt --help' ? help : row.endsWith('warm') ? warm : validate;
    const versus =
      row === 'dbt --help'
        ? 'pipectl --help'
        : `pipectl validate (${row.endsWith('warm') ? 'warm' : '--no-cache'})`;
    console.log(`  ${row.padEnd(30)} ${ms.toFixed(0)} ms   ${versus} / ${row}: ${(ours / ms).toFixed(2)}`);
  }
}
