// Parquet sources: DuckDB's read_parquet over every file of the glob (columns matched by name),
// cast to the contract's types where the file's own types differ. Parquet is typed, so drift
// includes type changes, and a value that does not fit the contract's type fails the
// extraction naming the file, the row and the value. Staged in place when it may be: a temporary
// view over the files, so the checks read the files themselves and the commit copies them once.
import { quoteIdent, quoteLiteral } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { canonicalType } from './canonical-type.js';
import { SourceFileError, SourceValueError } from './extract-errors.js';
import type { Extractor } from './extractor.js';
import { mergeFileDrift, type ObservedSourceColumn, sourceDrift } from './source-drift.js';
import { resolveSourceFiles, type SourceFile } from './source-files.js';
import { insertInto, type TargetColumn } from './target-table.js';

export const parquetExtractor: Extractor<'parquet'> = {
  defaultMode: () => 'replace',
  readsInPlace: true,
  async extract(source, context) {
    const started = performance.now();
    const { warehouse, columns } = context;
    const files = await resolveSourceFiles(warehouse, context.projectDir, source.path, source.name);
    const observedByFile = [];
    for (const file of files) {
      observedByFile.push({ file, observed: await describeParquet(warehouse, source.name, file) });
    }
    const drift = mergeFileDrift(
      observedByFile.map(({ file, observed }) => ({
        file: file.relative,
        changes: sourceDrift(context.contract, observed),
      })),
    );
    // A column's type across files: the first file's; DuckDB unifies the rest by name.
    const observedType = new Map<string, string>();
    for (const { observed } of observedByFile) {
      for (const column of observed)
        if (!observedType.has(column.name)) observedType.set(column.name, column.type);
    }
    const reader = `read_parquet([${files.map((f) => quoteLiteral(f.path)).join(', ')}], union_by_name = true`;
    const select = columns.map((column) => {
      const name = quoteIdent(column.name);
      const type = observedType.get(column.name);
      if (type === undefined) return `CAST(NULL AS ${column.type}) AS ${name}`;
      if (sameType(type, column)) return name;
      return `TRY_CAST(${name} AS ${column.type}) AS ${name}`;
    });
    for (const column of columns) {
      const type = observedType.get(column.name);
      if (type !== undefined && !sameType(type, column)) {
        await checkConversion(warehouse, source.name, reader, column, files);
      }
    }
    const body = `SELECT ${select.join(', ')} FROM ${reader})`;
    let rows: number;
    if (context.inPlace) {
      // Checked where it lies and copied once, at commit; the count comes from the footers.
      await warehouse.run(`CREATE TEMP VIEW ${context.relation} AS ${body}`);
      const counted = await warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${reader})`);
      rows = Number(counted[0]?.n ?? 0);
    } else {
      const inserted = await warehouse.all<{ Count: bigint }>(
        `${insertInto(context.relation, columns)} ${body}`,
      );
      rows = Number(inserted[0]?.Count ?? 0);
    }
    return {
      rowsRead: rows,
      rowsWritten: rows,
      rowsQuarantined: 0,
      quarantineSamples: [],
      drift,
      files: files.map((file) => file.relative),
      ...(context.inPlace ? { readInPlace: files, inPlaceSelect: body } : {}),
      readMs: performance.now() - started,
    };
  },
};

function sameType(observed: string, column: TargetColumn): boolean {
  return observed === column.type;
}

/** The columns and DuckDB types of one Parquet file (from its footer). */
async function describeParquet(
  warehouse: Warehouse,
  source: string,
  file: SourceFile,
): Promise<(ObservedSourceColumn & { type: string })[]> {
  try {
    const rows = await warehouse.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file.path)})`,
    );
    return rows.map((row) => ({ name: row.column_name, type: canonicalType(row.column_type) }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const why = /magic bytes|not a parquet|too small/i.test(message)
      ? 'not a Parquet file'
      : (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]+ Error: /, '');
    throw new SourceFileError(
      'PIPE5102',
      `source "${source}": cannot read "${file.relative}" (${why})`,
      { source, file: file.relative },
      { hint: 'Check that the file is a Parquet file and is readable.', cause: error },
    );
  }
}

/** Fails with the first value of `column` that does not convert to the contract's type. */
async function checkConversion(
  warehouse: Warehouse,
  source: string,
  reader: string,
  column: TargetColumn,
  files: readonly SourceFile[],
): Promise<void> {
  const name = quoteIdent(column.name);
  const rows = await warehouse.json<{ filename: string; file_row_number: number; value: string }>(
    `SELECT filename, file_row_number, CAST(${name} AS VARCHAR) AS value
     FROM ${reader}, filename = true, file_row_number = true)
     WHERE ${name} IS NOT NULL AND TRY_CAST(${name} AS ${column.type}) IS NULL
     LIMIT 1`,
  );
  const bad = rows[0];
  if (!bad) return;
  const file = files.find((f) => f.path === bad.filename)?.relative ?? bad.filename;
  throw new SourceValueError(
    { source, file, where: `${file} row ${Number(bad.file_row_number) + 1}` },
    column.name,
    JSON.stringify(bad.value),
    column.type,
  );
}
