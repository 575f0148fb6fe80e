// PostgreSQL sources: a table or a query, read through a server-side cursor `batchSize` rows at a
// time and appended as text to a staging table with DuckDB's appender (nothing is buffered
// beyond one batch in JavaScript). One INSERT ... SELECT then converts the text to the
// contract's types; a value that does not convert fails the extraction naming the column, the
// row and the value. Incremental sources read only rows whose cursor is above the last
// committed run's maximum (`incremental.initial`, inclusive, on the first run), in cursor order,
// and report the new maximum, which the commit records in `_pipectl.extract_state` together with
// the rows.
import { type DataType, formatDataType } from '@pipectl/spec';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ExtractError, type ExtractPlace, SourceConfigError, SourceValueError } from './extract-errors.js';
import type { ExtractCursor } from './extract-report.js';
import { readExtractState } from './extract-state.js';
import type { ExtractContext, Extractor, SourceOf } from './extractor.js';
import {
  connectPostgres,
  describeQuery,
  openCursor,
  type PostgresPlace,
  postgresError,
  type ResultColumn,
  readBatch,
  type UserQuery,
} from './postgres-connection.js';
import { duckdbTypeOf } from './postgres-types.js';
import { describeServer, expandUrl } from './postgres-url.js';
import { sourceDrift } from './source-drift.js';
import {
  dropTempTables,
  insertInto,
  isJsonShaped,
  type TargetColumn,
  tempTableName,
} from './target-table.js';

type PostgresSource = SourceOf<'postgres'>;

/** Rows staged as text before they are converted into the target (and the stage emptied). */
const FLUSH_ROWS = 50_000;

export const postgresExtractor: Extractor<'postgres'> = {
  defaultMode: (source) => (source.incremental ? 'append' : 'replace'),
  async extract(source, context) {
    const started = performance.now();
    const url = expandUrl(source.url, context.env, source.name);
    const place: PostgresPlace = { source: source.name, server: describeServer(url) };
    const from = relationOf(source);
    const client = await connectPostgres(url, place);
    try {
      const resultColumns = await describeQuery(client, from.sql, place, from.userQuery);
      const byName = new Map(resultColumns.map((column) => [column.name, column]));
      const contractType = new Map(context.columns.map((c) => [c.name, c.dataType]));
      const drift = sourceDrift(
        context.contract,
        resultColumns.map((c) => ({ name: c.name, type: duckdbTypeOf(c.pgType, contractType.get(c.name)) })),
      );
      const present = context.columns.flatMap((column) => {
        const found = byName.get(column.name);
        return found ? [{ column, source: found }] : [];
      });
      const bound = source.incremental
        ? await lowerBound(context.warehouse, context, source, byName)
        : undefined;

      const cursorName = source.incremental ? quoteIdent(source.incremental.cursor) : undefined;
      const head = `SELECT ${[
        ...present.map(({ column, source: found }) => pgExpression(column, found)),
        ...(cursorName ? [`CAST(q.${cursorName} AS text)`] : []),
      ].join(', ')} FROM `;
      const where =
        cursorName && bound?.value !== undefined ? ` WHERE q.${cursorName} ${bound.operator} $1` : '';
      // Nulls first, so each batch ends on its largest cursor (rows without one are read once, on a first run).
      const order = cursorName ? ` ORDER BY q.${cursorName} NULLS FIRST` : '';
      const sql = `${head}${from.sql} AS q${where}${order}`;
      const userQuery = from.userQuery && { ...from.userQuery, offset: from.userQuery.offset + head.length };

      const staging = tempTableName('pg');
      const table = `temp.main.${quoteIdent(staging)}`;
      const stagedColumns = present.map((_, index) => `c${index}`);
      await context.warehouse.run(
        `CREATE TEMP TABLE ${quoteIdent(staging)} (${present.length === 0 ? 'c VARCHAR' : stagedColumns.map((c) => `${c} VARCHAR`).join(', ')})`,
      );
      try {
        let read = 0;
        let batches = 0;
        let written = 0;
        let staged = 0;
        let convertMs = 0;
        let last: string | null = null;
        const converted = new Map(
          present.map(({ column, source: found }, index) => [
            column.name,
            duckdbExpression(column, found, stagedColumns[index] as string, sameType(column, found)),
          ]),
        );
        const stagedNames = new Map(
          present.map(({ column }, index) => [stagedColumns[index] as string, column.name]),
        );
        const appender = await context.warehouse.connection.createAppender(staging, 'main', 'temp');
        // Converts what is staged into the target and empties the stage, so DuckDB too holds
        // at most about FLUSH_ROWS rows of text at a time.
        const flush = async () => {
          appender.flushSync();
          if (staged === 0) return;
          const flushStarted = performance.now();
          await checkConversions(context.warehouse, table, present, stagedColumns, {
            source: source.name,
            place,
            label: from.label,
            rowBase: read - staged,
          });
          const inserted = await context.warehouse
            .all<{ Count: bigint }>(
              `${insertInto(context.relation, context.columns)}
               SELECT ${context.columns.map((c) => converted.get(c.name) ?? `CAST(NULL AS ${c.type})`).join(', ')}
               FROM ${table} ORDER BY rowid`,
            )
            .catch((error: unknown) => {
              throw strictCastFailure(
                error,
                {
                  source: source.name,
                  server: place.server,
                  where: `rows ${read - staged + 1}-${read} of ${from.label}`,
                },
                stagedNames,
              );
            });
          written += Number(inserted[0]?.Count ?? 0);
          await context.warehouse.run(`DELETE FROM ${table}`);
          staged = 0;
          convertMs += performance.now() - flushStarted;
        };
        const cursor = openCursor(client, sql, bound?.value === undefined ? [] : [bound.value]);
        try {
          for (;;) {
            const rows = await readBatch(cursor, source.batchSize, place, userQuery);
            if (rows.length === 0) break;
            batches += 1;
            for (const row of rows) {
              if (present.length === 0) appender.appendNull();
              for (let index = 0; index < present.length; index++) {
                const value = row[index];
                if (value === null || value === undefined) appender.appendNull();
                else appender.appendVarchar(value);
              }
              appender.endRow();
            }
            read += rows.length;
            staged += rows.length;
            if (cursorName) last = rows[rows.length - 1]?.[present.length] ?? last;
            if (staged >= FLUSH_ROWS) await flush();
            if (rows.length < source.batchSize) break;
          }
          await flush();
        } finally {
          appender.closeSync();
          await cursor.close().catch(() => undefined);
        }
        const readMs = performance.now() - started - convertMs;

        let cursorReport: ExtractCursor | undefined;
        if (source.incremental) {
          const before = bound?.value ?? null;
          cursorReport = { column: source.incremental.cursor, before, after: last ?? before };
        }
        return {
          rowsRead: read,
          rowsWritten: written,
          rowsQuarantined: 0,
          quarantineSamples: [],
          drift,
          server: place.server,
          batches,
          ...(cursorReport ? { cursor: cursorReport } : {}),
          // Only a run that read rows moves the cursor: `initial` stays inclusive until then.
          ...(cursorReport && last !== null ? { commitCursor: last } : {}),
          readMs,
        };
      } finally {
        await dropTempTables(context.warehouse, [staging]);
      }
    } catch (error) {
      if (error instanceof ExtractError) throw error;
      // pg errors escaping the wrappers above (a cursor closed by the server, ...).
      if (error instanceof Error && 'severity' in error) throw postgresError(error, place);
      throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
  },
};

interface SourceRelation {
  /** What follows FROM: a quoted table, or the user's query in parentheses. */
  readonly sql: string;
  /** For messages: `public.orders`, or `the query`. */
  readonly label: string;
  readonly userQuery?: UserQuery;
}

function relationOf(source: PostgresSource): SourceRelation {
  if ((source.table === undefined) === (source.query === undefined)) {
    throw new SourceConfigError(
      'PIPE5109',
      `source "${source.name}": give exactly one of table and query`,
      { source: source.name },
      { hint: 'Keep either `table` or `query` in the source.' },
    );
  }
  if (source.table !== undefined) {
    // Quoted part by part, so `public.orders` reads exactly that table (and nothing else).
    const sql = source.table.includes('"') ? source.table : source.table.split('.').map(quoteIdent).join('.');
    return { sql, label: source.table };
  }
  // A trailing `;` or line comment would break the wrapping parentheses.
  const text = (source.query as string).trim().replace(/;+\s*$/, '');
  return { sql: `(\n${text}\n)`, label: 'the query', userQuery: { text, offset: 2 } };
}

interface LowerBound {
  readonly operator: '>' | '>=';
  readonly value: string | undefined;
}

/** Rows above the last committed cursor; on a first run, from `initial` (inclusive), or all rows. */
async function lowerBound(
  warehouse: Warehouse,
  context: ExtractContext,
  source: PostgresSource,
  columns: ReadonlyMap<string, ResultColumn>,
): Promise<LowerBound> {
  const incremental = source.incremental as NonNullable<PostgresSource['incremental']>;
  if (!columns.has(incremental.cursor)) {
    throw new SourceConfigError(
      'PIPE5109',
      `source "${source.name}": the incremental cursor column "${incremental.cursor}" is not among the source's columns (${[...columns.keys()].join(', ')})`,
      { source: source.name },
      { hint: 'Name a column the table or query returns in `incremental.cursor`.' },
    );
  }
  const state = await readExtractState(warehouse, context.pipeline, source.name);
  // A state kept for another cursor column says nothing about this one.
  if (state && (state.cursorColumn === '' || state.cursorColumn === incremental.cursor)) {
    return { operator: '>', value: state.cursorValue };
  }
  if (incremental.initial !== undefined) return { operator: '>=', value: String(incremental.initial) };
  return { operator: '>', value: undefined };
}

/** What PostgreSQL sends for a column: its text, JSON for nested contract types, hex for bytes. */
function pgExpression(column: TargetColumn, source: ResultColumn): string {
  const name = `q.${quoteIdent(source.name)}`;
  if (isJsonShaped(column.dataType) && source.pgType !== 'json' && source.pgType !== 'jsonb') {
    return column.dataType.kind === 'primitive' && source.pgType === 'text'
      ? name
      : `CAST(to_json(${name}) AS text)`;
  }
  if (isBlob(column.dataType) && source.pgType === 'bytea') return `encode(${name}, 'hex')`;
  return name;
}

/**
 * The staged text converted to the contract's type. `strict` (a source type that matches the
 * contract's, so its text always converts) uses CAST; otherwise TRY_CAST, NULL where it does not
 * convert, which `checkConversions` looks for first to name the row.
 */
function duckdbExpression(
  column: TargetColumn,
  source: ResultColumn,
  staged: string,
  strict = false,
): string {
  const cast = strict ? 'CAST' : 'TRY_CAST';
  if (isBlob(column.dataType) && source.pgType === 'bytea') return `unhex(${staged})`;
  if (column.dataType.kind === 'varchar') return staged;
  if (column.dataType.kind === 'primitive' && column.dataType.name === 'json')
    return `${cast}(${staged} AS JSON)`;
  if (isJsonShaped(column.dataType)) return `${cast}(${cast}(${staged} AS JSON) AS ${column.type})`;
  return `${cast}(${staged} AS ${column.type})`;
}

/** Whether the source column's type is the contract's, so no value needs checking. */
function sameType(column: TargetColumn, source: ResultColumn): boolean {
  return duckdbTypeOf(source.pgType, column.dataType) === column.type;
}

/**
 * A value of a column whose type matches the contract's that still does not convert (a numeric
 * NaN for a decimal, say): DuckDB's CAST fails mid-insert, naming the value and the staged column.
 */
function strictCastFailure(
  error: unknown,
  place: ExtractPlace & { readonly where: string },
  stagedNames: ReadonlyMap<string, string>,
): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const cast =
    /Could not convert string ["'](.*)["'] to '?(.+?)'?(?: when casting from source column (\w+))?$/m.exec(
      message,
    );
  if (!cast) return error;
  const column = cast[3] === undefined ? undefined : stagedNames.get(cast[3]);
  return new SourceValueError(place, column, JSON.stringify(cast[1]), (cast[2] as string).toLowerCase());
}

function isBlob(type: DataType): boolean {
  return type.kind === 'primitive' && type.name === 'blob';
}

/** Fails on the first staged value that is not null but converts to null. */
async function checkConversions(
  warehouse: Warehouse,
  table: string,
  present: readonly { column: TargetColumn; source: ResultColumn }[],
  staged: readonly string[],
  at: { source: string; place: PostgresPlace; label: string; rowBase: number },
): Promise<void> {
  const checks = present.flatMap(({ column, source: found }, index) => {
    const name = staged[index] as string;
    const converted = duckdbExpression(column, found, name);
    return converted === name || sameType(column, found)
      ? []
      : [{ column, name, failed: `(${name} IS NOT NULL AND ${converted} IS NULL)` }];
  });
  if (checks.length === 0) return;
  const keyColumns = present.flatMap(({ column }, index) =>
    column.column.primaryKey ? [{ key: column.name, name: staged[index] as string }] : [],
  );
  const rows = await warehouse.json<Record<string, string | number | boolean | null>>(
    // Rows staged in an open transaction number from a large base: count from the first one.
    `SELECT (rowid - (SELECT min(rowid) FROM ${table}))::INTEGER AS row_index,
            ${checks.map((check, index) => `${check.name} AS v${index}, ${check.failed} AS f${index}`).join(', ')}
            ${keyColumns.map((k, index) => `, ${k.name} AS k${index}`).join('')}
     FROM ${table}
     WHERE ${checks.map((check) => check.failed).join(' OR ')}
     ORDER BY rowid
     LIMIT 1`,
  );
  const bad = rows[0];
  if (!bad) return;
  const index = checks.findIndex((_, i) => bad[`f${i}`] === true);
  const check = checks[index] ?? (checks[0] as (typeof checks)[number]);
  const key = keyColumns.map((k, i) => `${k.key}=${String(bad[`k${i}`])}`).join(', ');
  throw new SourceValueError(
    {
      source: at.source,
      server: at.place.server,
      where: `row ${at.rowBase + Number(bad.row_index) + 1} of ${at.label}${key === '' ? '' : ` (${key})`}`,
    },
    check.column.name,
    JSON.stringify(String(bad[`v${index}`])),
    formatDataType(check.column.dataType),
  );
}
