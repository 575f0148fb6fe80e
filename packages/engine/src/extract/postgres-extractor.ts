// PostgreSQL sources: a table or a query, read through a server-side cursor `batchSize` rows at a
// time and appended as text to a staging table with DuckDB's appender (nothing is buffered
// beyond one batch in JavaScript). One INSERT ... SELECT then converts the text to the
// contract's types; a value that does not convert fails the extraction naming the column, the
// row and the value. Incremental sources read only rows whose cursor is above the last
// committed run's maximum (`incremental.initial`, inclusive, on the first run), in cursor order,
// and report the new maximum, which the commit records in `_pipectl.extract_state` together with
// the rows.
import type pg from 'pg';
import { quoteIdent } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ExtractError, SourceConfigError } from './extract-errors.js';
import type { ExtractCursor, SourceDrift } from './extract-report.js';
import { readExtractState } from './extract-state.js';
import type { ExtractContext, ExtractOutcome, Extractor, SourceOf } from './extractor.js';
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
import { isBlob, type PresentColumn, TextStage } from './postgres-staging.js';
import { duckdbTypeOf } from './postgres-types.js';
import { describeServer, expandUrl } from './postgres-url.js';
import { sourceDrift } from './source-drift.js';
import { dropTempTables, isJsonShaped, type TargetColumn } from './target-table.js';

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
      const plan = await planRead(client, source, context, place, from);
      return await copyRows(client, source, context, plan, started);
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

/** What one extraction reads, and how: the columns, the SQL sent, and the incremental bound. */
interface ReadPlan {
  readonly place: PostgresPlace;
  readonly from: SourceRelation;
  readonly drift: readonly SourceDrift[];
  /** The contract's columns the source returns, in the contract's order. */
  readonly present: readonly PresentColumn[];
  readonly bound: LowerBound | undefined;
  /** The SELECT sent: the present columns (then the cursor's text), above the bound, in cursor order. */
  readonly sql: string;
  /** Where the user's query sits in `sql`, to place PostgreSQL's errors in it. */
  readonly userQuery: UserQuery | undefined;
  readonly hasCursor: boolean;
}

/** Describes the source's result, compares it with the contract, and writes the SELECT to send. */
async function planRead(
  client: pg.Client,
  source: PostgresSource,
  context: ExtractContext,
  place: PostgresPlace,
  from: SourceRelation,
): Promise<ReadPlan> {
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
  const bound = source.incremental ? await lowerBound(context.warehouse, context, source, byName) : undefined;

  const cursorName = source.incremental ? quoteIdent(source.incremental.cursor) : undefined;
  const head = `SELECT ${[
    ...present.map(({ column, source: found }) => pgExpression(column, found)),
    ...(cursorName ? [`CAST(q.${cursorName} AS text)`] : []),
  ].join(', ')} FROM `;
  const where = cursorName && bound?.value !== undefined ? ` WHERE q.${cursorName} ${bound.operator} $1` : '';
  // Nulls first, so each batch ends on its largest cursor (rows without one are read once, on a first run).
  const order = cursorName ? ` ORDER BY q.${cursorName} NULLS FIRST` : '';
  return {
    place,
    from,
    drift,
    present,
    bound,
    sql: `${head}${from.sql} AS q${where}${order}`,
    userQuery: from.userQuery && { ...from.userQuery, offset: from.userQuery.offset + head.length },
    hasCursor: cursorName !== undefined,
  };
}

/** Reads the plan's rows through a cursor into a text stage, converts them into the target, and reports. */
async function copyRows(
  client: pg.Client,
  source: PostgresSource,
  context: ExtractContext,
  plan: ReadPlan,
  started: number,
): Promise<ExtractOutcome> {
  const staging = await TextStage.create(context, plan.present);
  try {
    const stage = await TextStage.open(context, staging, plan.present, {
      source: source.name,
      place: plan.place,
      label: plan.from.label,
    });
    const { batches, last } = await streamRows(client, source, plan, stage);
    const readMs = performance.now() - started - stage.convertMs;
    let cursorReport: ExtractCursor | undefined;
    if (source.incremental) {
      const before = plan.bound?.value ?? null;
      cursorReport = { column: source.incremental.cursor, before, after: last ?? before };
    }
    return {
      rowsRead: stage.read,
      rowsWritten: stage.written,
      rowsQuarantined: 0,
      quarantineSamples: [],
      drift: plan.drift,
      server: plan.place.server,
      batches,
      ...(cursorReport ? { cursor: cursorReport } : {}),
      // Only a run that read rows moves the cursor: `initial` stays inclusive until then.
      ...(cursorReport && last !== null ? { commitCursor: last } : {}),
      readMs,
    };
  } finally {
    await dropTempTables(context.warehouse, [staging]);
  }
}

/**
 * Reads batches from a server-side cursor into the stage, flushing it every FLUSH_ROWS rows and at
 * the end; returns how many batches were read and the last cursor value seen.
 */
async function streamRows(
  client: pg.Client,
  source: PostgresSource,
  plan: ReadPlan,
  stage: TextStage,
): Promise<{ batches: number; last: string | null }> {
  let batches = 0;
  let last: string | null = null;
  const width = plan.present.length;
  const cursor = openCursor(client, plan.sql, plan.bound?.value === undefined ? [] : [plan.bound.value]);
  try {
    for (;;) {
      const rows = await readBatch(cursor, source.batchSize, plan.place, plan.userQuery);
      if (rows.length === 0) break;
      batches += 1;
      stage.append(rows);
      if (plan.hasCursor) last = rows[rows.length - 1]?.[width] ?? last;
      if (stage.holds(FLUSH_ROWS)) await stage.flush();
      if (rows.length < source.batchSize) break;
    }
    await stage.flush();
  } finally {
    stage.close();
    await cursor.close().catch(() => undefined);
  }
  return { batches, last };
}

interface SourceRelation {
  /** What follows FROM: a quoted table, or the user's query in parentheses. */
  readonly sql: string;
  /** For messages: `public.orders`, or `the query`. */
  readonly label: string;
  readonly userQuery?: UserQuery;
}

/** What the extraction reads FROM: the source's table, or its query in parentheses. */
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
