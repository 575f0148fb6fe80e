// Landing a Parquet source with its contract's checks (10 million rows, the quality benchmark's
// file), four ways, each in a fresh process, medians printed:
//   in-place   pipectl's landSource: checks read the file through a temporary view, one copy at commit
//   temp-table stage into a temporary table, check it, copy it into the target (two copies)
//   unchecked  the shape before check-then-commit: copy into raw.orders, then check it there
//   refused    landSource when a check fails: nothing is copied
//
//   node --conditions=@pipectl/source --import tsx bench/extract/land-parquet.ts [--rows 10000000] [--runs 3]
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  commitStagedSource,
  deriveChecks,
  extractSource,
  landSource,
  openWarehouse,
  runQualityGate,
  stageSource,
} from '@pipectl/engine';
import { type Contract, parseDocument, type Source } from '@pipectl/spec';
import { generateOnce, OUT_DIR, parquetPath } from '../quality/workload.js';

const WAYS = ['in-place', 'temp-table', 'unchecked', 'refused'] as const;
type Way = (typeof WAYS)[number];

const { values, positionals } = parseArgs({
  options: { rows: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '3' } },
  allowPositionals: true,
});
const rows = Number(values.rows);

const CONTRACT = `
apiVersion: pipectl/v1
kind: Contract
name: raw.orders
version: 1.0.0
owner: bench@example.com
columns:
  - { name: order_id, type: bigint, primaryKey: true }
  - { name: customer_id, type: integer }
  - { name: status, type: varchar, acceptedValues: [placed, paid, shipped, delivered, cancelled] }
  - { name: amount, type: 'decimal(12,2)' }
  - { name: email, type: varchar }
  - { name: ordered_at, type: timestamp }
`;

async function once(way: Way): Promise<number> {
  const parsed = parseDocument('orders.contract.yaml', CONTRACT);
  const contract = (parsed.document as { value: Contract }).value;
  const source = {
    name: 'orders',
    kind: 'parquet',
    contract: 'raw.orders',
    path: parquetPath(rows),
  } as Source;
  const file = join(OUT_DIR, `land-${way}.duckdb`);
  rmSync(file, { force: true });
  const warehouse = await openWarehouse(file);
  const input = {
    warehouse,
    projectDir: OUT_DIR,
    pipeline: 'bench',
    source,
    contract,
    target: 'raw.orders',
    runId: 'r',
  };
  const checks = deriveChecks(contract);
  const started = performance.now();
  if (way === 'in-place') {
    if (!(await landSource(input)).committed) throw new Error('in-place: not committed');
  } else if (way === 'temp-table') {
    const staged = await stageSource({ ...input, inPlace: false });
    const quality = await runQualityGate(warehouse, {
      dataset: 'raw.orders',
      relation: staged.relation,
      checks,
      runId: 'r',
    });
    if (!quality.passed) throw new Error('temp-table: checks failed');
    await commitStagedSource(warehouse, staged);
  } else if (way === 'unchecked') {
    await extractSource(input);
    await runQualityGate(warehouse, { dataset: 'raw.orders', checks, runId: 'r' });
  } else {
    const strict = {
      ...contract,
      columns: contract.columns.map((c) => (c.name === 'status' ? { ...c, acceptedValues: ['paid'] } : c)),
    };
    if ((await landSource({ ...input, contract: strict })).committed) throw new Error('refused: committed');
  }
  const ms = performance.now() - started;
  warehouse.close();
  rmSync(file, { force: true });
  return ms;
}

if (positionals[0]) {
  console.log(JSON.stringify({ ms: await once(positionals[0] as Way) }));
} else {
  await generateOnce(rows);
  console.log(
    `landing ${rows.toLocaleString('en')} Parquet rows with 6 contract checks, median of ${values.runs}`,
  );
  // Round-robin, so that load from elsewhere on the machine falls on every way alike.
  const samples = new Map<Way, number[]>(WAYS.map((way) => [way, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const way of WAYS) {
      const output = execFileSync(
        process.execPath,
        ['--conditions=@pipectl/source', '--import', 'tsx', import.meta.filename, way, `--rows=${rows}`],
        { encoding: 'utf8' },
      );
      samples.get(way)?.push((JSON.parse(output.trim().split('\n').pop() as string) as { ms: number }).ms);
    }
  }
  for (const way of WAYS) {
    const sorted = [...(samples.get(way) ?? [])].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    console.log(`${way.padEnd(11)} ${Math.round(median)} ms  (${sorted.map(Math.round).join(', ')})`);
  }
}
