// One measured extraction in a fresh process, for run.ts: extracts the source named by the first
// argument (csv, ndjson or postgres) from the data run.ts prepared, and prints one JSON line with
// the report's counts and timings and the process's peak RSS.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extractSource, openWarehouse } from '@pipectl/engine';
import { type Contract, contractSchema, type Source, sourceSchema } from '@pipectl/spec';

const [kind, outDir] = process.argv.slice(2);
if (!kind || !outDir) throw new Error('usage: extract-once.ts <csv|ndjson|postgres> <out dir>');

const ORDERS: Contract = contractSchema.parse({
  apiVersion: 'pipectl/v1',
  kind: 'Contract',
  name: 'raw.orders',
  version: '1.0.0',
  owner: 'bench@example.com',
  columns: [
    { name: 'order_id', type: 'bigint', primaryKey: true },
    { name: 'customer_id', type: 'integer' },
    { name: 'amount', type: 'decimal(12,2)' },
    { name: 'status', type: 'varchar', acceptedValues: ['open', 'paid'] },
    { name: 'ordered_at', type: 'timestamp' },
    { name: 'note', type: 'varchar' },
  ],
});

const SOURCES: Record<string, unknown> = {
  csv: { name: 'orders', kind: 'csv', contract: 'raw.orders', path: 'orders.csv' },
  ndjson: { name: 'orders', kind: 'json', contract: 'raw.orders', path: 'orders.ndjson', format: 'ndjson' },
  postgres: {
    name: 'orders',
    kind: 'postgres',
    contract: 'raw.orders',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the url a pipeline would declare
    url: '${PIPECTL_BENCH_PG_URL}',
    table: 'public.orders',
  },
};

const source: Source = sourceSchema.parse(SOURCES[kind]);
const warehousePath = join(outDir, `warehouse-${kind}.duckdb`);
await rm(warehousePath, { force: true });
await rm(`${warehousePath}.wal`, { force: true });
const warehouse = await openWarehouse(warehousePath);
const started = performance.now();
const report = await extractSource({
  warehouse,
  projectDir: outDir,
  pipeline: 'bench',
  source,
  contract: ORDERS,
  target: 'raw.orders',
  runId: `bench-${Date.now()}`,
});
const wallMs = performance.now() - started;
warehouse.close();
await rm(warehousePath, { force: true });

console.log(
  JSON.stringify({
    kind,
    rowsRead: report.rowsRead,
    rowsWritten: report.rowsWritten,
    rowsQuarantined: report.rowsQuarantined,
    batches: report.batches ?? null,
    readMs: report.timings.readMs,
    writeMs: report.timings.writeMs,
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
