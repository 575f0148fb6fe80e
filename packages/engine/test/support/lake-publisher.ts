// A second OS process for the lakehouse concurrency tests: opens its own in-memory DuckDB on the
// lake given in argv, prints `ready`, waits for `go` on stdin (so every process starts at once),
// then publishes `runs` versions of one dataset and prints one JSON line per attempt.
// Usage: node --conditions=@pipectl/source --import tsx lake-publisher.ts <catalog> <dataPath> <dataset> <tag> <runs>
import { createInterface } from 'node:readline';
import { WarehouseError } from '../../src/index.js';
import { runStep } from '../../src/steps/run-step.js';
import { openLakehouse } from '../../src/warehouse/lakehouse.js';
import { isConflict } from '../../src/warehouse/warehouse-errors.js';
import { fixtureContract } from '../helpers/temp-warehouse.js';

const [catalog, dataPath, dataset, tag, runs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const warehouse = await openLakehouse({ catalog, dataPath });
const contract = { ...fixtureContract('order-lines'), name: dataset };
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === 'go') break;
lines.close();

for (let i = 1; i <= Number(runs); i++) {
  const runId = `${tag}-run-${i}`;
  // Five rows, every one carrying the run's number: a mixed version would show two numbers.
  const marker = Number(tag.replace(/\D/g, '')) * 1000 + i;
  const sql = `select range::BIGINT as order_id, 1 as line_number, ${marker} as quantity from range(5)`;
  try {
    const report = await runStep(warehouse, {
      runId,
      step: 'lines',
      dataset,
      sql,
      materialized: 'table',
      contract,
    });
    process.stdout.write(`${JSON.stringify({ runId, marker, status: report.status })}\n`);
  } catch (error) {
    const code = error instanceof WarehouseError ? error.code : undefined;
    const retryable = error instanceof WarehouseError ? error.retryable : false;
    process.stdout.write(
      `${JSON.stringify({ runId, marker, status: 'error', code, retryable, conflict: isConflict(error), message: String(error) })}\n`,
    );
  }
}
warehouse.close();
