// One measured evaluation of the 20 checks in a fresh process, for run.ts: `pipectl` (fused gate),
// `per-check` (the same checks, one query each) or `hand-written` (one fused query); or
// `breakdown` (each check alone, timed). Prints one JSON line with the time, the failing checks
// and the peak RSS.
import { runQualityGate } from '@pipectl/engine';
import { CHECKS, HAND_WRITTEN, openBenchWarehouse } from './workload.js';

const [variant, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
if (!variant || !Number.isInteger(rows)) throw new Error('usage: measure-once.ts <variant> <rows>');

const warehouse = await openBenchWarehouse(rows);
if (variant === 'breakdown') {
  // Each check alone, to show where the time goes.
  const times: Record<string, number> = {};
  for (const check of CHECKS) {
    const started = performance.now();
    await runQualityGate(warehouse, { dataset: 'bench.orders', checks: [check], runId: 'bench' });
    times[check.id] = Math.round(performance.now() - started);
  }
  warehouse.close();
  console.log(JSON.stringify({ variant, times, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}
const started = performance.now();
const cpuStarted = process.cpuUsage();
let failing: string[] = [];
let queries = 1;
if (variant === 'hand-written') {
  const [row] = await warehouse.all(HAND_WRITTEN);
  failing = Object.entries(row ?? {})
    .filter(([name, value]) => name !== 'row_count' && name !== 'newest_ordered_at' && Number(value) > 0)
    .map(([name]) => name);
} else {
  const report = await runQualityGate(warehouse, {
    dataset: 'bench.orders',
    checks: CHECKS,
    runId: 'bench',
    strategy: variant === 'per-check' ? 'per-check' : 'fused',
  });
  failing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}:${c.status}`);
  queries = report.queries;
}
const ms = performance.now() - started;
// CPU time of every thread of the process (DuckDB's included): far less sensitive than wall time
// to other work on the machine.
const cpu = process.cpuUsage(cpuStarted);
const cpuMs = (cpu.user + cpu.system) / 1000;
warehouse.close();
console.log(
  JSON.stringify({ variant, ms, cpuMs, queries, failing, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
);
