// One measured compile in a fresh process, for run.ts: loads and compiles the project given as the
// first argument and prints one JSON line with the timings, the issue count and the peak RSS.
import { compileProject, createDuckDbSqlParser, loadProject } from '@pipectl/compiler';

const dir = process.argv[2];
if (!dir) throw new Error('usage: compile-once.ts <project dir>');

// The same sequence as compile(dir), with a clock between loading and compiling.
const started = performance.now();
const sqlParser = createDuckDbSqlParser();
const loaded = await loadProject(dir);
const loadedAt = performance.now();
const result = await compileProject(loaded, { sqlParser });
const finished = performance.now();
sqlParser.close();

console.log(
  JSON.stringify({
    loadMs: loadedAt - started,
    compileMs: finished - loadedAt,
    totalMs: finished - started,
    issues: result.issues.length,
    datasets: result.plan.datasets.length,
    pipelines: result.plan.pipelines.length,
    graphNodes: result.graph.graph.order,
    graphEdges: result.graph.graph.size,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
