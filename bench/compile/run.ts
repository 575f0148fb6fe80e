// The compile benchmark: generates the project if needed, then compiles it RUNS times, each in a
// fresh `node --conditions=@pipectl/source --import tsx` process, and prints the median times and the peak RSS.
//
//   node --conditions=@pipectl/source --import tsx bench/compile/run.ts [--contracts 1000] [--columns 30] [--pipelines 500] [--runs 5] [--no-typing]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutDir, generateProject } from './generate.js';

interface Sample {
  loadMs: number;
  compileMs: number;
  typingMs: number;
  totalMs: number;
  wallMs: number;
  issues: number;
  datasets: number;
  pipelines: number;
  graphNodes: number;
  graphEdges: number;
  peakRssMb: number;
}

const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: '1000' },
    columns: { type: 'string', default: '30' },
    pipelines: { type: 'string', default: '500' },
    runs: { type: 'string', default: '5' },
    regenerate: { type: 'boolean', default: false },
    'no-typing': { type: 'boolean', default: false },
  },
});
const shape = {
  contracts: Number(values.contracts),
  columns: Number(values.columns),
  pipelines: Number(values.pipelines),
};
const runs = Number(values.runs);
const dir = defaultOutDir(shape);
if (values.regenerate || !existsSync(join(dir, 'pipectl.yaml'))) await generateProject(shape, dir);

const samples: Sample[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const output = execFileSync(
    process.execPath,
    [
      '--conditions=@pipectl/source',
      '--import',
      'tsx',
      join(import.meta.dirname, 'compile-once.ts'),
      dir,
      ...(values['no-typing'] ? ['--no-typing'] : []),
    ],
    {
      encoding: 'utf8',
    },
  );
  const wallMs = performance.now() - started;
  samples.push({
    ...(JSON.parse(output.trim().split('\n').pop() ?? '{}') as Omit<Sample, 'wallMs'>),
    wallMs,
  });
}

const median = (pick: (sample: Sample) => number): number => {
  const sorted = samples.map(pick).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const first = samples[0] as Sample;
const ms = (value: number): string => `${value.toFixed(0)} ms`;
console.log(
  `compile ${shape.contracts} contracts x ${shape.columns} columns, ${shape.pipelines} pipelines (${runs} runs)`,
);
console.log(`  graph: ${first.graphNodes} nodes, ${first.graphEdges} edges; issues: ${first.issues}`);
console.log(`  median load:    ${ms(median((s) => s.loadMs))}`);
console.log(`  median compile: ${ms(median((s) => s.compileMs))}`);
console.log(
  `  median typing:  ${ms(median((s) => s.typingMs))}  (DuckDB binds every step and sql check; part of compile)`,
);
console.log(`  median total:   ${ms(median((s) => s.totalMs))}  (load + compile, in process)`);
console.log(`  median process: ${ms(median((s) => s.wallMs))}  (node start, tsx, imports included)`);
console.log(`  peak RSS:       ${Math.max(...samples.map((s) => s.peakRssMb)).toFixed(0)} MB`);
