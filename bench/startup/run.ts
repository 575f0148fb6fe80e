// The start-up benchmark: whole-process times of the commands people and CI type most, run the way
// pipectl runs now (the compiled CLI, apps/pipectl/bin/pipectl.mjs → dist/) and the way it ran
// before (tsx compiling the TypeScript sources at every start), interleaved so that caches and load
// favour neither. Needs a build first (`npm run build`). Prints the median of RUNS per command.
//
//   node --conditions=@pipectl/source --import tsx bench/startup/run.ts [--runs 10] [--contracts 1000] [--columns 30] [--pipelines 500]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutDir, generateProject } from '../compile/generate.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    contracts: { type: 'string', default: '1000' },
    columns: { type: 'string', default: '30' },
    pipelines: { type: 'string', default: '500' },
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
if (!existsSync(join(root, 'apps/pipectl/dist/main.js'))) {
  console.error('the CLI is not built: run `npm run build` first');
  process.exit(2);
}

const ways = {
  compiled: [join(root, 'apps/pipectl/bin/pipectl.mjs')],
  'tsx (before)': ['--conditions=@pipectl/source', '--import', 'tsx', join(root, 'apps/pipectl/src/cli.ts')],
} as const;
const fixture = (rule: string, side: string) =>
  join(root, 'packages/compat/test/fixtures', rule, `${side}.contract.yaml`);
const commands = {
  '--help': { args: ['--help'], cwd: root, ok: [0] },
  'diff of two contracts': {
    args: ['diff', fixture('FIELD_REMOVED', 'before'), fixture('FIELD_REMOVED', 'after')],
    cwd: root,
    ok: [0, 1],
  },
  [`validate ${shape.contracts} × ${shape.columns} / ${shape.pipelines}`]: {
    args: ['validate', project],
    cwd: root,
    ok: [0],
  },
} as const;

const samples = new Map<string, number[]>();
const nodeAlone: number[] = [];
for (let run = 0; run < runs; run++) {
  // Node starting and exiting: the floor under every row, and a gauge of how loaded the machine is.
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  nodeAlone.push(performance.now() - started);
  for (const [command, { args, cwd, ok }] of Object.entries(commands)) {
    for (const [way, prefix] of Object.entries(ways)) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [...prefix, ...args], { cwd, encoding: 'utf8' });
      const ms = performance.now() - started;
      if (!(ok as readonly number[]).includes(result.status ?? -1))
        throw new Error(`${way} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      const key = `${command}\t${way}`;
      samples.set(key, [...(samples.get(key) ?? []), ms]);
    }
  }
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
console.log(
  `whole-process medians of ${runs} runs (node ${process.version}, load average ${loadavg()[0]?.toFixed(1)})`,
);
console.log(`  ${'node -e 0 (the floor)'.padEnd(30)} ${median(nodeAlone).toFixed(0)} ms`);
for (const command of Object.keys(commands)) {
  const row = Object.keys(ways).map(
    (way) => `${way} ${median(samples.get(`${command}\t${way}`) ?? []).toFixed(0)} ms`,
  );
  console.log(`  ${command.padEnd(30)} ${row.join('   ')}`);
}
