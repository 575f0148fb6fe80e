// JSON and NDJSON sources. Each record is checked in JavaScript against the contract's row
// schema (ajv, createRowValidator) as it streams by, then appended (valid or not, with its
// reason) to a staging table through DuckDB's appender. In SQL, valid records are converted to
// the contract's types with from_json; a value that passes the schema but still does not
// convert (a 30th of February) is rejected there. Rejected records go to the staging quarantine,
// the rest to the staging relation. When every record is rejected the extraction fails instead: that is a
// wrong file or a wrong contract, not bad records.
import type { DuckDBAppender } from '@duckdb/node-api';
import { createRowValidator } from '@pipectl/spec';
import { quoteIdent, quoteLiteral } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { RejectedRecordsError } from './extract-errors.js';
import type { QuarantineSample } from './extract-report.js';
import type { Extractor } from './extractor.js';
import { readJsonRecords } from './json-records.js';
import { quarantineRejected, SAMPLE_SIZE } from './quarantine-rejects.js';
import { mergeFileDrift, sourceDrift } from './source-drift.js';
import { resolveSourceFiles } from './source-files.js';
import { dropTempTables, insertInto, type TargetColumn, tempTableName } from './target-table.js';

/** Distinct keys remembered per file for drift; records with ever-new keys stop counting there. */
const MAX_KEYS = 1000;

/** Records staged before they are converted into the target (and the stage emptied). */
const FLUSH_ROWS = 50_000;

export const jsonExtractor: Extractor<'json'> = {
  defaultMode: () => 'replace',
  async extract(source, context) {
    const started = performance.now();
    const { warehouse, columns } = context;
    const files = await resolveSourceFiles(warehouse, context.projectDir, source.path, source.name);
    const validate = createRowValidator(context.contract);
    const staging = tempTableName('json');
    const table = `temp.main.${quoteIdent(staging)}`;
    await warehouse.run(
      `CREATE TEMP TABLE ${quoteIdent(staging)} (seq BIGINT, position VARCHAR, record VARCHAR, reason VARCHAR)`,
    );
    try {
      const origin = {
        runId: context.runId,
        dataset: context.contract.name,
        origin: `source:${source.name}`,
      };
      const perFile: { file: string; changes: ReturnType<typeof sourceDrift> }[] = [];
      const samples: QuarantineSample[] = [];
      let read = 0;
      let written = 0;
      let quarantined = 0;
      let staged = 0;
      let convertMs = 0;
      const appender = await warehouse.connection.createAppender(staging, 'main', 'temp');
      // Converts what is staged: unconvertible values rejected, rejected records quarantined,
      // the rest into the target; then empties the stage.
      const flush = async () => {
        appender.flushSync();
        if (staged === 0) return;
        const flushStarted = performance.now();
        await rejectUnconvertible(warehouse, table, columns);
        const rejected = await quarantineRejected(
          warehouse,
          staging,
          context.quarantine,
          origin,
          SAMPLE_SIZE - samples.length,
        );
        quarantined += rejected.count;
        samples.push(...rejected.samples);
        const inserted = await warehouse.all<{ Count: bigint }>(
          `${insertInto(context.relation, columns)}
           SELECT ${columns.map((c) => `r.${quoteIdent(c.name)}`).join(', ')}
           FROM (SELECT seq, from_json(record, ${structure(columns)}) AS r FROM ${table} WHERE reason IS NULL)
           ORDER BY seq`,
        );
        written += Number(inserted[0]?.Count ?? 0);
        await warehouse.run(`DELETE FROM ${table}`);
        staged = 0;
        convertMs += performance.now() - flushStarted;
      };
      try {
        for (const file of files) {
          const keys = new Set<string>();
          for await (const record of readJsonRecords(file, source.format, source.name)) {
            read += 1;
            staged += 1;
            const reason = record.parseError ?? reasonOf(validate(record.value));
            if (isObject(record.value) && keys.size < MAX_KEYS)
              for (const key of Object.keys(record.value)) keys.add(key);
            append(appender, read, record.position, record.text, reason);
            if (staged >= FLUSH_ROWS) await flush();
          }
          if (keys.size > 0) {
            const observed = [...keys].map((name) => ({ name }));
            perFile.push({ file: file.relative, changes: sourceDrift(context.contract, observed) });
          }
        }
        await flush();
      } finally {
        appender.closeSync();
      }
      if (read > 0 && written === 0) throw new RejectedRecordsError(source.name, read, samples);
      return {
        rowsRead: read,
        rowsWritten: written,
        rowsQuarantined: quarantined,
        quarantineSamples: samples,
        drift: mergeFileDrift(perFile),
        files: files.map((file) => file.relative),
        readMs: performance.now() - started - convertMs,
      };
    } finally {
      await dropTempTables(warehouse, [staging]);
    }
  },
};

function append(
  appender: DuckDBAppender,
  seq: number,
  position: string,
  text: string,
  reason: string | undefined,
) {
  appender.appendBigInt(BigInt(seq));
  appender.appendVarchar(position);
  appender.appendVarchar(text);
  if (reason === undefined) appender.appendNull();
  else appender.appendVarchar(reason);
  appender.endRow();
}

function reasonOf(problems: readonly { message: string }[]): string | undefined {
  return problems.length === 0 ? undefined : problems.map((problem) => problem.message).join('; ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** from_json's structure argument: every contract column with its DuckDB type. */
function structure(columns: readonly TargetColumn[]): string {
  return quoteLiteral(JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, c.type]))));
}

/** Marks valid records holding a value that from_json cannot convert (it yields null for those). */
async function rejectUnconvertible(warehouse: Warehouse, table: string, columns: readonly TargetColumn[]) {
  const checks = columns.map((column) => {
    const path = quoteLiteral(`$.${JSON.stringify(column.name)}`);
    const label = quoteLiteral(`column "${column.name}": `);
    const suffix = quoteLiteral(` does not convert to ${column.type}`);
    return `CASE WHEN coalesce(json_type(record, ${path}), 'NULL') <> 'NULL' AND r.${quoteIdent(column.name)} IS NULL
      THEN ${label} || left(CAST(json_extract(record, ${path}) AS VARCHAR), 60) || ${suffix} END`;
  });
  await warehouse.run(
    `UPDATE ${table} AS s SET reason = p.reason
     FROM (SELECT seq, concat_ws('; ', ${checks.join(', ')}) AS reason
           FROM (SELECT seq, record, from_json(record, ${structure(columns)}) AS r FROM ${table} WHERE reason IS NULL)) AS p
     WHERE s.seq = p.seq AND p.reason <> ''`,
  );
}
