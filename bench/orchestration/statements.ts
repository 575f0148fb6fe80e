// Counts the DuckDB statements of one warm engine run of the benchmark's pipeline (runPipeline on a
// scratch warehouse, as engine-once.ts runs it), through a counting wrapper around the warehouse
// (counting-warehouse.ts): per source and step, and per engine file and function that sent them.
// One warm-up run first (it creates the registry, the schemas and the tables), then one counted
// run with a new run id. `--dump` prints every statement.
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/statements.ts <project dir> [--dump] [--json]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileProject, loadProject } from '@pipectl/compiler';
import { runPipeline } from '@pipectl/engine';
import { type CountedStatement, countingWarehouse } from './counting-warehouse.js';
import { openScratchRun } from './scratch-run.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { dump: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const [given] = positionals;
if (!given) throw new Error('usage: statements.ts <project dir> [--dump] [--json]');
const dir = resolve(given);

const loaded = await loadProject(dir);
const compiled = await compileProject(loaded);
const {
  pipeline,
  contracts,
  warehouse: inner,
  close,
} = await openScratchRun(dir, loaded, compiled, 'statements');
const counting = countingWarehouse(inner);

let counted: CountedStatement[] = [];
try {
  for (const i of [0, 1]) {
    counting.statements.length = 0;
    const report = await runPipeline(counting.warehouse, {
      pipeline,
      contracts,
      runId: `statements-${process.pid}-${i}`,
      projectDir: dir,
      progress: (event) => {
        if (event.kind === 'source-started' || event.kind === 'step-started') counting.setCurrent(event.of);
      },
    });
    if (!report.passed)
      throw new Error(`run ${i} did not pass: ${JSON.stringify([report.sources, report.steps])}`);
    counted = [...counting.statements];
  }
} finally {
  close();
}

const tally = (key: (s: CountedStatement) => string): [string, number][] => {
  const counts = new Map<string, number>();
  for (const statement of counted) counts.set(key(statement), (counts.get(key(statement)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
};
const byOf = tally((s) => s.of);
const bySite = tally((s) => s.site);
if (values.json) {
  console.log(
    JSON.stringify({
      total: counted.length,
      byOf: Object.fromEntries(byOf),
      bySite: Object.fromEntries(bySite),
    }),
  );
} else {
  const totalMs = counted.reduce((total, s) => total + (s.ms ?? 0), 0);
  console.log(`statements in one warm run: ${counted.length} (${totalMs.toFixed(0)} ms in the timed calls)`);
  console.log('\nper source / step:');
  for (const [of, n] of byOf) console.log(`  ${String(n).padStart(4)}  ${of}`);
  console.log('\nper engine site:');
  const msOf = (site: string) =>
    counted.filter((s) => s.site === site).reduce((total, s) => total + (s.ms ?? 0), 0);
  for (const [site, n] of bySite)
    console.log(`  ${String(n).padStart(4)}  ${msOf(site).toFixed(1).padStart(7)} ms  ${site}`);
  if (values.dump) {
    console.log('\nstatements:');
    for (const s of counted) console.log(`  [${s.of}] ${s.site}: ${s.sql}`);
  }
}
