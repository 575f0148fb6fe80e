// The text stage of a PostgreSQL extraction: rows appended as text to a temporary table with
// DuckDB's appender, then converted into the target in one INSERT ... SELECT per flush (and the
// stage emptied), so neither JavaScript nor DuckDB holds more than about one flush of text. A value
// that does not convert fails the extraction, naming the column, the row and the value.
import type { DuckDBAppender } from '@duckdb/node-api';
import { type DataType, formatDataType } from '@pipectl/spec';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type ExtractPlace, SourceValueError } from './extract-errors.js';
import type { ExtractContext } from './extractor.js';
import type { PostgresPlace, ResultColumn } from './postgres-connection.js';
import { duckdbTypeOf } from './postgres-types.js';
import { insertInto, isJsonShaped, type TargetColumn, tempTableName } from './target-table.js';

/** A contract column the source returns, with the source's column. */
export interface PresentColumn {
  readonly column: TargetColumn;
  readonly source: ResultColumn;
}

/** Where the staged rows come from, for the messages of values that do not convert. */
export interface StageOrigin {
  readonly source: string;
  readonly place: PostgresPlace;
  /** `public.orders`, or `the query`. */
  readonly label: string;
}

/** The stage of one extraction: rows go in as text, and into the target at each flush. */
export class TextStage {
  /** Rows appended so far. */
  read = 0;
  /** Rows inserted into the target so far. */
  written = 0;
  /** Time spent converting staged text into the target. */
  convertMs = 0;
  private staged = 0;
  private readonly converted: ReadonlyMap<string, string>;
  private readonly stagedNames: ReadonlyMap<string, string>;

  private constructor(
    private readonly context: ExtractContext,
    private readonly table: string,
    private readonly present: readonly PresentColumn[],
    private readonly stagedColumns: readonly string[],
    private readonly appender: DuckDBAppender,
    private readonly origin: StageOrigin,
  ) {
    this.converted = new Map(
      present.map(({ column, source: found }, index) => [
        column.name,
        duckdbExpression(column, found, stagedColumns[index] as string, sameType(column, found)),
      ]),
    );
    this.stagedNames = new Map(
      present.map(({ column }, index) => [stagedColumns[index] as string, column.name]),
    );
  }

  /** Creates the stage's temporary table, one text column per present column; returns its name. */
  static async create(context: ExtractContext, present: readonly PresentColumn[]): Promise<string> {
    const staging = tempTableName('pg');
    const stagedColumns = present.map((_, index) => `c${index}`);
    await context.warehouse.run(
      `CREATE TEMP TABLE ${quoteIdent(staging)} (${present.length === 0 ? 'c VARCHAR' : stagedColumns.map((c) => `${c} VARCHAR`).join(', ')})`,
    );
    return staging;
  }

  /** The stage over a table `create` made, with an appender open on it. */
  static async open(
    context: ExtractContext,
    staging: string,
    present: readonly PresentColumn[],
    origin: StageOrigin,
  ): Promise<TextStage> {
    const appender = await context.warehouse.connection.createAppender(staging, 'main', 'temp');
    const stagedColumns = present.map((_, index) => `c${index}`);
    return new TextStage(
      context,
      `temp.main.${quoteIdent(staging)}`,
      present,
      stagedColumns,
      appender,
      origin,
    );
  }

  /** Appends a batch of rows (the present columns' text first, in order). */
  append(rows: readonly (string | null)[][]): void {
    const width = this.present.length;
    for (const row of rows) {
      if (width === 0) this.appender.appendNull();
      for (let index = 0; index < width; index++) {
        const value = row[index];
        if (value === null || value === undefined) this.appender.appendNull();
        else this.appender.appendVarchar(value);
      }
      this.appender.endRow();
    }
    this.read += rows.length;
    this.staged += rows.length;
  }

  /** Whether the stage holds `rows` rows or more, and should be flushed. */
  holds(rows: number): boolean {
    return this.staged >= rows;
  }

  /** Converts what is staged into the target and empties the stage. */
  async flush(): Promise<void> {
    this.appender.flushSync();
    if (this.staged === 0) return;
    const { context, origin, read, staged } = this;
    const flushStarted = performance.now();
    await checkConversions(context.warehouse, this.table, this.present, this.stagedColumns, {
      ...origin,
      rowBase: read - staged,
    });
    const inserted = await context.warehouse
      .all<{ Count: bigint }>(
        `${insertInto(context.relation, context.columns)}
               SELECT ${context.columns.map((c) => this.converted.get(c.name) ?? `CAST(NULL AS ${c.type})`).join(', ')}
               FROM ${this.table} ORDER BY rowid`,
      )
      .catch((error: unknown) => {
        throw strictCastFailure(
          error,
          {
            source: origin.source,
            server: origin.place.server,
            where: `rows ${read - staged + 1}-${read} of ${origin.label}`,
          },
          this.stagedNames,
        );
      });
    this.written += Number(inserted[0]?.Count ?? 0);
    await context.warehouse.run(`DELETE FROM ${this.table}`);
    this.staged = 0;
    this.convertMs += performance.now() - flushStarted;
  }

  /** Closes the appender (the table is dropped by whoever created it). */
  close(): void {
    this.appender.closeSync();
  }
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

/** Whether a contract type is a blob (PostgreSQL sends bytea as hex). */
export function isBlob(type: DataType): boolean {
  return type.kind === 'primitive' && type.name === 'blob';
}

/** Fails on the first staged value that is not null but converts to null. */
async function checkConversions(
  warehouse: Warehouse,
  table: string,
  present: readonly { column: TargetColumn; source: ResultColumn }[],
  staged: readonly string[],
  at: StageOrigin & { rowBase: number },
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
