// The extraction benchmark: generates 1 million orders as CSV (and 200 000 as NDJSON) into
// bench/.out/extract, loads 200 000 into a throwaway PostgreSQL server, then extracts each
// RUNS times, each in a fresh `node --conditions=@pipectl/source --import tsx` process, and prints the median rows per
// second and the peak RSS.
//
//   node --conditions=@pipectl/source --import tsx bench/extract/run.ts [--csv-rows 1000000] [--json-rows 200000] [--pg-rows 200000] [--runs 3]
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// A test helper, not public API: the engine's tests own the throwaway PostgreSQL server.
import { startPostgres } from '../../packages/engine/test/support/postgres.js';

interface Sample {
  kind: string;
  rowsRead: number;
  rowsWritten: number;
  rowsQuarantined: number;
  batches: number | null;
  readMs: number;
  writeMs: number;
  wallMs: number;
  peakRssMb: number;
}

const { values } = parseArgs({
  options: {
    'csv-rows': { type: 'string', default: '1000000' },
    'json-rows': { type: 'string', default: '200000' },
    'pg-rows': { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
  },
});
const csvRows = Number(values['csv-rows']);
const jsonRows = Number(values['json-rows']);
const pgRows = Number(values['pg-rows']);
const runs = Number(values.runs);
const outDir = join(import.meta.dirname, '..', '.out', 'extract');
await mkdir(outDir, { recursive: true });

/** One order; every 1000th has a status the contract does not accept (quarantined from JSON). */
const order = (i: number) => ({
  order_id: i,
  customer_id: i % 50_000,
  amount: ((i % 100_000) / 100).toFixed(2),
  status: i % 1000 === 999 ? 'lost' : i % 3 === 0 ? 'open' : 'paid',
  ordered_at: `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:15:00`,
  note: `order number ${i}, left at the door`,
});

async function generate(file: string, rows: number, line: (i: number) => string, header = '') {
  const marker = `${file}.rows`;
  if (existsSync(file) && existsSync(marker) && (await readFile(marker, 'utf8')) === String(rows)) return;
  const out = createWriteStream(file);
  if (header) out.write(header);
  for (let i = 0; i < rows; i++) {
    if (!out.write(line(i))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  await writeFile(marker, String(rows));
}

await generate(
  join(outDir, 'orders.csv'),
  csvRows,
  (i) => {
    const o = order(i);
    return `${o.order_id},${o.customer_id},${o.amount},${o.status === 'lost' ? 'paid' : o.status},${o.ordered_at},"${o.note}"\n`;
  },
  'order_id,customer_id,amount,status,ordered_at,note\n',
);
await generate(join(outDir, 'orders.ndjson'), jsonRows, (i) => `${JSON.stringify(order(i))}\n`);

const pg = await startPostgres();
const samples: Sample[] = [];
try {
  await pg.sql(`
    CREATE TABLE public.orders AS
    SELECT i::bigint AS order_id, (i % 50000)::integer AS customer_id, ((i % 100000) / 100.0)::numeric(12,2) AS amount,
           CASE WHEN i % 3 = 0 THEN 'open' ELSE 'paid' END AS status,
           TIMESTAMP '2024-01-01' + i * INTERVAL '1 minute' AS ordered_at,
           'order number ' || i || ', left at the door' AS note
    FROM generate_series(1, ${pgRows}) AS s(i);
    ANALYZE public.orders;
  `);
  const once = join(import.meta.dirname, 'extract-once.ts');
  for (const kind of ['csv', 'ndjson', 'postgres']) {
    for (let run = 0; run < runs; run++) {
      const output = execFileSync(
        process.execPath,
        ['--conditions=@pipectl/source', '--import', 'tsx', once, kind, outDir],
        {
          encoding: 'utf8',
          env: { ...process.env, PIPECTL_BENCH_PG_URL: pg.url },
        },
      );
      samples.push(JSON.parse(output.trim().split('\n').pop() ?? '{}') as Sample);
    }
  }
} finally {
  await pg.stop();
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
console.log(`extraction (${runs} runs each, median; fresh process and warehouse per run)`);
for (const kind of ['csv', 'ndjson', 'postgres']) {
  const of = samples.filter((s) => s.kind === kind);
  const first = of[0] as Sample;
  const wall = median(of.map((s) => s.wallMs));
  const label = { csv: 'CSV', ndjson: 'NDJSON', postgres: 'PostgreSQL' }[kind];
  console.log(
    `  ${label?.padEnd(11)} ${first.rowsRead.toLocaleString('en')} rows read, ${first.rowsWritten.toLocaleString('en')} written, ${first.rowsQuarantined} quarantined${first.batches ? `, ${first.batches} batches` : ''}`,
  );
  console.log(
    `              ${(wall / 1000).toFixed(2)} s = ${Math.round((first.rowsRead / wall) * 1000).toLocaleString('en')} rows/s` +
      `  (read ${median(of.map((s) => s.readMs))} ms, convert+write ${median(of.map((s) => s.writeMs))} ms)` +
      `  peak RSS ${Math.max(...of.map((s) => s.peakRssMb)).toFixed(0)} MB`,
  );
}
