// The quality-gate benchmark: 20 checks over 10 million Parquet rows, three ways, each run RUNS
// times in a fresh `node --conditions=@pipectl/source --import tsx` process (interleaved, so caches favour none):
//   pipectl       runQualityGate: one fused scan, then samples of failing checks
//   per-check     the same checks, one query per check (runQualityGate strategy 'per-check')
//   hand-written  the same checks fused by hand into one SELECT (no samples)
// Prints the median wall time and CPU time of each, the ratios, and the peak RSS. CPU time (all
// threads) is the steadier figure on a busy machine; wall time is what a user waits.
//
// With --breakdown, also times each check alone (where the time goes).
//
//   node --conditions=@pipectl/source --import tsx bench/quality/run.ts [--rows 10000000] [--runs 3] [--breakdown]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateOnce, parquetPath } from './workload.js';

interface Sample {
  variant: string;
  ms: number;
  cpuMs: number;
  queries: number;
  failing: string[];
  peakRssMb: number;
}

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '3' },
    breakdown: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const VARIANTS = ['pipectl', 'per-check', 'hand-written'] as const;

const generating = performance.now();
await generateOnce(rows);
console.log(`data: ${parquetPath(rows)} (ready in ${Math.round(performance.now() - generating)} ms)`);

const measureOnce = (variant: string): string =>
  execFileSync(
    process.execPath,
    [
      '--conditions=@pipectl/source',
      '--import',
      'tsx',
      join(import.meta.dirname, 'measure-once.ts'),
      variant,
      String(rows),
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .pop() ?? '{}';

const samples: Sample[] = [];
for (let run = 0; run < runs; run++) {
  // Rotate the order each round so no variant always runs first (or last).
  const order = VARIANTS.map((_, i) => VARIANTS[(i + run) % VARIANTS.length] as string);
  for (const variant of order) {
    const sample = JSON.parse(measureOnce(variant)) as Sample;
    samples.push(sample);
    console.log(
      `  run ${run + 1} ${variant.padEnd(12)} ${Math.round(sample.ms)} ms wall  ${Math.round(sample.cpuMs)} ms CPU  ${Math.round(sample.peakRssMb)} MB`,
    );
  }
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const of = (variant: string) => samples.filter((s) => s.variant === variant);
const wall = Object.fromEntries(VARIANTS.map((v) => [v, median(of(v).map((s) => s.ms))]));
const cpu = Object.fromEntries(VARIANTS.map((v) => [v, median(of(v).map((s) => s.cpuMs))]));
const rss = Object.fromEntries(VARIANTS.map((v) => [v, Math.max(...of(v).map((s) => s.peakRssMb))]));
const show = (n: number | undefined) => String(Math.round(n ?? 0)).padStart(6);

console.log(`\n20 checks over ${rows.toLocaleString('en-US')} Parquet rows, median of ${runs} runs:`);
for (const v of VARIANTS) {
  const sample = of(v)[0];
  console.log(
    `  ${v.padEnd(12)} ${show(wall[v])} ms wall  ${show(cpu[v])} ms CPU   peak RSS ${Math.round(rss[v] ?? 0)} MB   ${sample?.queries ?? 0} queries`,
  );
}
const ratio = (a: number | undefined, b: number | undefined) => ((a ?? 0) / (b ?? 1)).toFixed(2);
console.log(
  `  pipectl / hand-written: ${ratio(wall.pipectl, wall['hand-written'])}x wall, ${ratio(cpu.pipectl, cpu['hand-written'])}x CPU (target <= 1.2x)`,
);
console.log(
  `  per-check / pipectl:    ${ratio(wall['per-check'], wall.pipectl)}x wall, ${ratio(cpu['per-check'], cpu.pipectl)}x CPU (target >= 3x)`,
);
console.log(`  failing checks (pipectl): ${of('pipectl')[0]?.failing.join(', ') || 'none'}`);

if (values.breakdown) {
  const { times } = JSON.parse(measureOnce('breakdown')) as { times: Record<string, number> };
  const total = Object.values(times).reduce((a, b) => a + b, 0);
  console.log(`\neach check alone (sum ${total} ms):`);
  for (const [id, ms] of Object.entries(times).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${id.padEnd(32)} ${String(ms).padStart(6)} ms`);
  }
}
