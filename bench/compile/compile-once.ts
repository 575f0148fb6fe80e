// One measured compile in a fresh process, for run.ts: loads and compiles the project given as the
// first argument and prints one JSON line with the timings, the issue count and the peak RSS.
import {
  compileProject,
  createDuckDbSqlBinder,
  createDuckDbSqlParser,
  loadProject,
  type SqlBinder,
} from '@pipectl/compiler';

const dir = process.argv[2];
if (!dir) throw new Error('usage: compile-once.ts <project dir> [--no-typing]');

// Typing (DuckDB binding every query against the declared schemas) is timed from the moment the
// compiler waits for it (the relations are created meanwhile); with --no-typing a binder that
// binds nothing stands in, to compare with the compile before typing.
let typingMs = 0;
const duckdb = createDuckDbSqlBinder();
const sqlBinder: SqlBinder = process.argv.includes('--no-typing')
  ? { open: () => ({ bind: async (queries) => queries.map(() => ({ ok: true, columns: [] })), close() {} }) }
  : {
      open(relations) {
        const session = duckdb.open(relations);
        return {
          async bind(queries) {
            const at = performance.now();
            const bound = await session.bind(queries);
            typingMs += performance.now() - at;
            return bound;
          },
          close: () => session.close(),
        };
      },
    };

const started = performance.now();
const sqlParser = createDuckDbSqlParser();
const loaded = await loadProject(dir);
const loadedAt = performance.now();
const result = await compileProject(loaded, { sqlParser, sqlBinder });
const finished = performance.now();
sqlParser.close();

console.log(
  JSON.stringify({
    loadMs: loadedAt - started,
    compileMs: finished - loadedAt,
    typingMs,
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
