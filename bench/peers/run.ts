// pipectl next to its peers: the quality benchmark's 20 checks over the same 10-million-row Parquet
// file (bench/quality/workload.ts), as three whole commands a user would type:
//   pipectl       node apps/pipectl/bin/pipectl.mjs test peers   (checks in place, copies on pass)
//   dbt           .tools/python/bin/dbt test                     (dbt-duckdb, source tests)
//   datacontract  .tools/python/bin/datacontract test            (datacontract-cli, local Parquet)
// all on DuckDB 1.4.4. The projects are written by projects.ts into bench/.out/peers/; the Python
// tools come from scripts/install-python-tools.sh (run first; it skips when up to date).
//
// Runs are interleaved (pipectl dbt datacontract, then rotated) so background load hits all three
// alike; each prints wall time, CPU time (user + system of the whole process tree) and peak RSS,
// and the load average when it started. Every run's failing checks (failed or warned) are mapped
// back to the 20 check ids and must be the same for all three tools, or the benchmark stops.
//
//   node --conditions=@pipectl/source --import tsx bench/peers/run.ts [--rows 10000000] [--runs 5] [--scenario failing|passing|both]
//
// Scenarios: `failing` is the workload as is (range_amount fails, so pipectl commits nothing);
// `passing` lets range_amount pass, so pipectl also copies the rows into its scratch warehouse.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateOnce, parquetPath } from '../quality/workload.js';
import {
  DATACONTRACT_DIR,
  DBT_DIR,
  linkData,
  OUT_DIR,
  PIPECTL_DIR,
  RULES,
  type Scenario,
  writeProjects,
} from './projects.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VENV = process.env.PIPECTL_PYTHON_TOOLS ?? join(ROOT, '.tools', 'python');
const TOOLS = ['pipectl', 'dbt', 'datacontract'] as const;
type Tool = (typeof TOOLS)[number];

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    scenario: { type: 'string', default: 'both' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const scenarios: Scenario[] =
  values.scenario === 'both' ? ['failing', 'passing'] : [values.scenario as Scenario];

interface Sample {
  tool: Tool;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  load1: number;
  exit: number;
  failing: string[];
}

execFileSync('bash', [join(ROOT, 'scripts', 'install-python-tools.sh')], { stdio: 'inherit' });
const version = (args: string[]) =>
  execFileSync(args[0] as string, args.slice(1), { encoding: 'utf8' }).trim();
console.log(
  `tools: dbt-core ${version([join(VENV, 'bin', 'python'), '-c', 'import importlib.metadata as m; print(m.version("dbt-core"), "/ dbt-duckdb", m.version("dbt-duckdb"), "/ datacontract-cli", m.version("datacontract-cli"), "/ duckdb", m.version("duckdb"))'])}`,
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}; load average now ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);

const generating = performance.now();
await generateOnce(rows);
linkData(rows);
console.log(`data: ${parquetPath(rows)} (ready in ${Math.round(performance.now() - generating)} ms)`);

const profiles = mkdtempSync(join(tmpdir(), 'pipectl-peers-dbt-'));
writeFileSync(
  join(profiles, 'profiles.yml'),
  `peers:\n  target: bench\n  outputs:\n    bench:\n      type: duckdb\n      path: ${join(profiles, 'peers.duckdb')}\n      threads: ${cpus().length}\n`,
);
const env = {
  ...process.env,
  NO_COLOR: '1',
  DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
  DO_NOT_TRACK: '1',
};

const COMMANDS: Record<Tool, { cmd: string[]; cwd: string }> = {
  pipectl: {
    cmd: [
      process.execPath,
      join(ROOT, 'apps', 'pipectl', 'bin', 'pipectl.mjs'),
      'test',
      'peers',
      '-p',
      PIPECTL_DIR,
    ],
    cwd: PIPECTL_DIR,
  },
  dbt: {
    cmd: [join(VENV, 'bin', 'dbt'), 'test', '--profiles-dir', profiles, '--project-dir', DBT_DIR],
    cwd: DBT_DIR,
  },
  datacontract: {
    cmd: [
      join(VENV, 'bin', 'datacontract'),
      'test',
      join(DATACONTRACT_DIR, 'datacontract.yaml'),
      '--output',
      join(DATACONTRACT_DIR, 'results.json'),
      '--output-format',
      'json',
    ],
    cwd: DATACONTRACT_DIR,
  },
};

/** One whole command under /usr/bin/time (CPU and peak RSS of the process tree it waits for). */
function runOnce(tool: Tool): Sample {
  const { cmd, cwd } = COMMANDS[tool];
  const timing = join(OUT_DIR, `${tool}.time`);
  const load1 = loadavg()[0] ?? 0;
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-o', timing, '-f', '%U %S %M', ...cmd], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const wallMs = performance.now() - started;
  const [user, system, rssKb] =
    readFileSync(timing, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  const output = `${child.stdout}\n${child.stderr}`;
  const failing = failingChecks(tool, output);
  if (child.status !== 0 && child.status !== 1) {
    throw new Error(`${tool} exited ${child.status}:\n${output.slice(-4000)}`);
  }
  return {
    tool,
    wallMs,
    cpuMs: ((user ?? 0) + (system ?? 0)) * 1000,
    peakRssMb: (rssKb ?? 0) / 1024,
    load1,
    exit: child.status ?? -1,
    failing,
  };
}

/** The check ids that failed or warned, read from each tool's own report. */
function failingChecks(tool: Tool, output: string): string[] {
  if (tool === 'pipectl') {
    // "      ✗ range_amount  fail ..." or "      ! discount_within_amount  warn ..."
    const ids = [...output.matchAll(/^ {6}([✗!]) (\S+)\s/gmu)].map((m) => m[2] as string);
    return [...new Set(ids)].sort();
  }
  if (tool === 'dbt') {
    const results = JSON.parse(readFileSync(join(DBT_DIR, 'target', 'run_results.json'), 'utf8')) as {
      results: { unique_id: string; status: string }[];
    };
    if (results.results.length !== 20)
      throw new Error(`dbt ran ${results.results.length} tests, expected 20`);
    return results.results
      .filter((r) => r.status !== 'pass')
      .map((r) => {
        const name = r.unique_id.split('.')[2] as string;
        if (r.status !== 'fail' && r.status !== 'warn') throw new Error(`dbt test ${name}: ${r.status}`);
        return name;
      })
      .sort();
  }
  const report = JSON.parse(readFileSync(join(DATACONTRACT_DIR, 'results.json'), 'utf8')) as {
    checks: { key: string; result: string; reason?: string }[];
  };
  const byKey = new Map(report.checks.map((check) => [check.key, check]));
  const failing: string[] = [];
  for (const [id, { datacontract }] of Object.entries(RULES)) {
    const checks = datacontract.map((key) => byKey.get(key));
    const missing = datacontract.filter((_, i) => !checks[i]);
    if (missing.length > 0)
      throw new Error(
        `datacontract ran no ${missing.join(', ')} (for ${id}); it ran ${[...byKey.keys()].join(', ')}`,
      );
    for (const check of checks)
      if (check && !['passed', 'failed', 'warning'].includes(check.result))
        throw new Error(`datacontract check ${check.key}: ${check.result} ${check.reason ?? ''}`);
    if (checks.some((check) => check?.result !== 'passed')) failing.push(id);
  }
  return failing.sort();
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const seconds = (ms: number) => (ms / 1000).toFixed(1);

for (const scenario of scenarios) {
  writeProjects(rows, scenario);
  rmSync(join(DBT_DIR, 'target'), { recursive: true, force: true });
  console.log(
    `\nscenario ${scenario}: ${runs} interleaved runs of each (the first round warms caches and is dropped)`,
  );
  const samples: Sample[] = [];
  for (let run = 0; run <= runs; run++) {
    const order = TOOLS.map((_, i) => TOOLS[(i + run) % TOOLS.length] as Tool);
    for (const tool of order) {
      const sample = runOnce(tool);
      console.log(
        `  ${run === 0 ? 'warm-up' : `run ${run}  `} ${tool.padEnd(12)} ${seconds(sample.wallMs).padStart(5)} s wall ${seconds(sample.cpuMs).padStart(5)} s CPU ${Math.round(sample.peakRssMb).toString().padStart(5)} MB  load ${sample.load1.toFixed(1)}  exit ${sample.exit}  failing: ${sample.failing.join(', ') || 'none'}`,
      );
      if (run > 0) samples.push(sample);
    }
  }
  const reference = samples.find((s) => s.tool === 'pipectl')?.failing.join(', ');
  const disagree = samples.filter((s) => s.failing.join(', ') !== reference);
  if (disagree.length > 0) {
    throw new Error(
      `the tools disagree on the failing checks: pipectl ${reference}; ${disagree.map((s) => `${s.tool} ${s.failing.join(', ')}`).join('; ')}`,
    );
  }
  const of = (tool: Tool) => samples.filter((s) => s.tool === tool);
  const wall = (tool: Tool) => median(of(tool).map((s) => s.wallMs));
  console.log(
    `\n${scenario}: 20 checks over ${rows.toLocaleString('en-US')} Parquet rows, median of ${runs} (min–max), load average ${Math.min(...samples.map((s) => s.load1)).toFixed(1)}–${Math.max(...samples.map((s) => s.load1)).toFixed(1)}:`,
  );
  for (const tool of TOOLS) {
    const walls = of(tool).map((s) => s.wallMs);
    console.log(
      `  ${tool.padEnd(12)} ${seconds(wall(tool)).padStart(5)} s wall (${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))})  ${seconds(median(of(tool).map((s) => s.cpuMs))).padStart(5)} s CPU  peak RSS ${Math.round(Math.max(...of(tool).map((s) => s.peakRssMb)))} MB`,
    );
  }
  console.log(
    `  pipectl / dbt ${(wall('pipectl') / wall('dbt')).toFixed(2)}×, pipectl / datacontract ${(wall('pipectl') / wall('datacontract')).toFixed(2)}× wall (target ≤ 1.00× each)`,
  );
  console.log(`  failing checks, all three: ${reference || 'none'}`);
}
rmSync(profiles, { recursive: true, force: true });
