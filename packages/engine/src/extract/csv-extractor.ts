// CSV sources: each file is read by DuckDB's read_csv straight into the target, typed by the
// contract. Columns are matched by header name (`types={...}`), not by position, so a file
// whose columns come in another order still lands right; without a header they are positional
// (`names=[...]`). Rows that do not parse or convert are collected with `store_rejects` and fail
// the extraction with their file and line: a CSV file is one export, and a broken row means a
// broken export (unlike JSON records, which are quarantined one by one).
import { quoteIdent, quoteLiteral } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type CsvProblem, MalformedCsvError, SourceFileError } from './extract-errors.js';
import type { ExtractContext, ExtractOutcome, Extractor, SourceOf } from './extractor.js';
import { mergeFileDrift, sourceDrift } from './source-drift.js';
import { resolveSourceFiles, type SourceFile } from './source-files.js';
import { dropTempTables, insertInto, type TargetColumn, tempTableName } from './target-table.js';

type CsvSource = SourceOf<'csv'>;

/** Rejected rows recorded per file: enough to show, bounded for a file that is all wrong. */
const REJECTS_PER_FILE = 10;

export const csvExtractor: Extractor<'csv'> = {
  defaultMode: () => 'replace',
  async extract(source, context) {
    const started = performance.now();
    const { warehouse, columns } = context;
    const files = await resolveSourceFiles(warehouse, context.projectDir, source.path, source.name);
    const rejects = { table: tempTableName('csv_rejects'), scans: tempTableName('csv_scans') };
    const perFile: { file: string; changes: ReturnType<typeof sourceDrift> }[] = [];
    let written = 0;
    try {
      for (const file of files) {
        if (file.size === 0) continue;
        const names = await csvColumnNames(warehouse, source, file, columns);
        perFile.push({
          file: file.relative,
          changes: sourceDrift(
            context.contract,
            names.map((name) => ({ name })),
            'varchar',
          ),
        });
        written += await loadFile(context, source, file, names, rejects);
      }
      const problems = await collectRejects(warehouse, rejects, files, columns);
      if (problems.total > 0) {
        throw new MalformedCsvError(source.name, problems.first, problems.total, problems.capped);
      }
    } finally {
      await dropTempTables(warehouse, [rejects.table, rejects.scans]);
    }
    const outcome: ExtractOutcome = {
      rowsRead: written,
      rowsWritten: written,
      rowsQuarantined: 0,
      quarantineSamples: [],
      drift: mergeFileDrift(perFile),
      files: files.map((file) => file.relative),
      readMs: performance.now() - started,
    };
    return outcome;
  },
};

/** The dialect options every read of the file shares. */
function dialect(source: CsvSource): string[] {
  const options = [`header = ${source.header}`];
  if (source.delimiter !== undefined) options.push(`delim = ${quoteLiteral(source.delimiter)}`);
  if (source.quote !== undefined) options.push(`quote = ${quoteLiteral(source.quote)}`);
  return options;
}

/** The file's column names: its header, or else the contract's names by position (extras keep DuckDB's columnN). */
async function csvColumnNames(
  warehouse: Warehouse,
  source: CsvSource,
  file: SourceFile,
  columns: readonly TargetColumn[],
): Promise<string[]> {
  // ignore_errors: so that a broken row does not mislead the dialect sniffer; the read reports it.
  const sql = `DESCRIBE SELECT * FROM read_csv(${quoteLiteral(file.path)}, ${dialect(source).join(', ')}, all_varchar = true, ignore_errors = true)`;
  let described: { column_name: string }[];
  try {
    described = await warehouse.all<{ column_name: string }>(sql);
  } catch (error) {
    throw readFailure(source.name, file, error);
  }
  const found = described.map((row) => row.column_name);
  return source.header ? found : found.map((name, index) => columns[index]?.name ?? name);
}

async function loadFile(
  context: ExtractContext,
  source: CsvSource,
  file: SourceFile,
  names: readonly string[],
  rejects: { table: string; scans: string },
): Promise<number> {
  const { warehouse, columns } = context;
  const declared = new Map(columns.map((column) => [column.name, column]));
  const types = names.map(
    (name) => `${quoteLiteral(name)}: ${quoteLiteral(declared.get(name)?.type ?? 'VARCHAR')}`,
  );
  const options = [
    ...dialect(source),
    ...(source.header ? [] : [`names = [${names.map(quoteLiteral).join(', ')}]`]),
    `types = {${types.join(', ')}}`,
    ...(source.nullValues && source.nullValues.length > 0
      ? [`nullstr = [${source.nullValues.map(quoteLiteral).join(', ')}]`]
      : []),
    ...(source.dateFormat === undefined ? [] : [`dateformat = ${quoteLiteral(source.dateFormat)}`]),
    ...(source.timestampFormat === undefined
      ? []
      : [`timestampformat = ${quoteLiteral(source.timestampFormat)}`]),
    'store_rejects = true',
    `rejects_table = ${quoteLiteral(rejects.table)}`,
    `rejects_scan = ${quoteLiteral(rejects.scans)}`,
    `rejects_limit = ${REJECTS_PER_FILE}`,
  ];
  const present = new Set(names);
  const select = columns.map((column) =>
    present.has(column.name) ? quoteIdent(column.name) : `CAST(NULL AS ${column.type})`,
  );
  const sql = `${insertInto(context.relation, columns)} SELECT ${select.join(', ')} FROM read_csv(${quoteLiteral(file.path)}, ${options.join(', ')})`;
  try {
    const result = await warehouse.all<{ Count: bigint }>(sql);
    return Number(result[0]?.Count ?? 0);
  } catch (error) {
    throw readFailure(source.name, file, error);
  }
}

async function collectRejects(
  warehouse: Warehouse,
  rejects: { table: string; scans: string },
  files: readonly SourceFile[],
  columns: readonly TargetColumn[],
): Promise<{ first: CsvProblem[]; total: number; capped: boolean }> {
  const exists = await warehouse.all<{ n: bigint }>(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE temporary AND table_name = ?`,
    [rejects.table],
  );
  if (Number(exists[0]?.n ?? 0) === 0) return { first: [], total: 0, capped: false };
  const rows = await warehouse.json<{
    file_path: string;
    line: number;
    column_name: string | null;
    error_type: string;
    error_message: string;
    total: number;
    per_file: number;
  }>(
    `WITH lines AS (
       -- One problem per line: a short row reports each missing column.
       SELECT s.file_path, e.scan_id, e.line, e.column_name, e.error_type, e.error_message,
              count(*) OVER (PARTITION BY e.scan_id) AS per_file
       FROM temp.main.${quoteIdent(rejects.table)} AS e
       JOIN temp.main.${quoteIdent(rejects.scans)} AS s USING (scan_id, file_id)
       QUALIFY row_number() OVER (PARTITION BY e.scan_id, e.line ORDER BY e.column_idx) = 1
     )
     SELECT *, count(*) OVER () AS total FROM lines ORDER BY scan_id, line LIMIT 10`,
  );
  const relative = new Map(files.map((file) => [file.path, file.relative]));
  const types = new Map(columns.map((column) => [column.name, column.type]));
  const first = rows.map((row): CsvProblem => {
    const column = row.column_name ?? undefined;
    return {
      file: relative.get(row.file_path) ?? row.file_path,
      line: Number(row.line),
      ...(column === undefined ? {} : { column }),
      message: describeReject(row.error_type, row.error_message, column, column && types.get(column)),
    };
  });
  const total = Number(rows[0]?.total ?? 0);
  return { first, total, capped: rows.some((row) => Number(row.per_file) >= REJECTS_PER_FILE) };
}

/** DuckDB's reject, said the way a person fixing the file needs it. */
function describeReject(
  type: string,
  message: string,
  column: string | undefined,
  contractType: string | undefined,
): string {
  if (type === 'CAST' && column !== undefined) {
    const value = /Could not convert string "(.*)" to/.exec(message)?.[1];
    if (value !== undefined)
      return `column "${column}": "${value}" is not a valid ${contractType ?? 'value'}`;
    return `column "${column}": ${message}`;
  }
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (counts) return `expected ${counts[1]} columns, found ${counts[2]}`;
  return message.split('\n')[0] ?? message;
}

/** A DuckDB failure reading the file, as an extraction error naming it. */
function readFailure(source: string, file: SourceFile, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const first = (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]+ Error: /, '');
  if (/^IO Error/.test(message)) {
    return new SourceFileError(
      'PIPE5102',
      `source "${source}": cannot read "${file.relative}" (${first})`,
      { source, file: file.relative },
      { hint: 'Make the file readable by the user running pipectl.', cause: error },
    );
  }
  if (/CSV|sniff|dialect/i.test(message)) {
    return new MalformedCsvError(source, [{ file: file.relative, message: first }]);
  }
  return error instanceof Error ? error : new Error(message);
}
