// A PostgreSQL table, brought into an in-memory DuckDB so `pipectl verify` can run a contract's
// checks on it. Read through the extraction path's own connection helpers (every value as
// PostgreSQL's text, a server-side cursor, errors naming the server), inside one
// `READ ONLY` transaction at `REPEATABLE READ`: PostgreSQL refuses any write in it, and every batch
// sees the same snapshot of the table. Each column gets the DuckDB type of its PostgreSQL type
// (as source drift maps them), so the schema checks see the table's own types.
import type { Contract } from '@pipectl/spec';
import { parseDataType } from '@pipectl/spec';
import type pg from 'pg';
import { ExtractError } from '../extract/extract-errors.js';
import {
  connectPostgres,
  describeQuery,
  openCursor,
  type PostgresPlace,
  postgresError,
  type ResultColumn,
  readBatch,
} from '../extract/postgres-connection.js';
import { duckdbTypeOf } from '../extract/postgres-types.js';
import { describeServer, expandUrl } from '../extract/postgres-url.js';
import { dropTempTables, tempTableName } from '../extract/target-table.js';
import type { RelationName } from '../schema/relation-name.js';
import { quoteRelation } from '../schema/relation-name.js';
import { quoteIdent, splitDataset } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { WarehouseError } from '../warehouse/warehouse-errors.js';

export interface PostgresTableInput {
  /** `postgres://user@host:5432/db`; `${VAR}`s are read from `env`. */
  readonly url: string;
  /** `schema.table` on the server. */
  readonly table: string;
  /** The contract checked, for the types PostgreSQL leaves open (numeric without precision). */
  readonly contract: Contract;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Rows per cursor read (default 10,000). */
  readonly batchSize?: number;
}

export interface CopiedPostgresTable {
  /** Where the copy is in the warehouse: the table's own `schema.table`. */
  readonly relation: RelationName;
  /** `host:port/database`, never the password. */
  readonly server: string;
  /** False when the server has no such table (nothing was copied). */
  readonly exists: boolean;
  readonly rows: number;
}

/** Rows staged as text before they are converted (and the stage emptied). */
const FLUSH_ROWS = 50_000;

/**
 * Copies `input.table` into `warehouse` (an in-memory DuckDB) as the relation of the same name.
 * @example const copy = await copyPostgresTable(wh, { url, table: 'public.orders', contract }); await verifyDataset(wh, { contract, relation: copy.relation })
 */
export async function copyPostgresTable(
  warehouse: Warehouse,
  input: PostgresTableInput,
): Promise<CopiedPostgresTable> {
  const relation = splitDataset(input.table);
  const label = `${relation.schema}.${relation.table}`;
  let url: string;
  try {
    url = expandUrl(input.url, input.env ?? process.env, label);
  } catch (error) {
    throw unreadable(error, label);
  }
  const place: PostgresPlace = { source: label, server: describeServer(url) };
  const client = await connectPostgres(url, place).catch((error: unknown) => {
    throw unreadable(error, label);
  });
  const query = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    client.query<T>(sql, params).catch((error: unknown) => {
      throw unreadable(error, label);
    });
  try {
    await query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const from = `${quoteIdent(relation.schema)}.${quoteIdent(relation.table)}`;
    const found = await query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [from]);
    if (found.rows[0]?.found === null || found.rows[0]?.found === undefined)
      return { relation, server: place.server, exists: false, rows: 0 };
    const columns = await describeQuery(client, from, place).catch((error: unknown) => {
      throw unreadable(error, label);
    });
    const rows = await copyRows(warehouse, client, { from, relation, columns, place, input });
    return { relation, server: place.server, exists: true, rows };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function copyRows(
  warehouse: Warehouse,
  client: Awaited<ReturnType<typeof connectPostgres>>,
  at: {
    from: string;
    relation: RelationName;
    columns: readonly ResultColumn[];
    place: PostgresPlace;
    input: PostgresTableInput;
  },
): Promise<number> {
  const contractType = new Map(
    at.input.contract.columns.map((column) => [column.name, safeParse(column.type)] as const),
  );
  const typed = at.columns.map((column) => ({
    ...column,
    type: duckdbTypeOf(column.pgType, contractType.get(column.name)),
  }));
  const target = quoteRelation(at.relation);
  await warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(at.relation.schema)}`);
  await warehouse.run(
    `CREATE TABLE ${target} (${typed.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
  );
  if (typed.length === 0) return 0;
  const staging = tempTableName('verify');
  const staged = typed.map((_, index) => `c${index}`);
  await warehouse.run(
    `CREATE TEMP TABLE ${quoteIdent(staging)} (${staged.map((c) => `${c} VARCHAR`).join(', ')})`,
  );
  let read = 0;
  let pending = 0;
  const appender = await warehouse.connection.createAppender(staging, 'main', 'temp');
  const flush = async () => {
    appender.flushSync();
    if (pending === 0) return;
    const select = typed.map((column, index) => duckdbExpression(column, staged[index] as string)).join(', ');
    await warehouse
      .run(`INSERT INTO ${target} SELECT ${select} FROM temp.main.${quoteIdent(staging)} ORDER BY rowid`)
      .catch((error: unknown) => {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
        const column = /source column (c\d+)/.exec(message)?.[1];
        const name = column === undefined ? undefined : typed[Number(column.slice(1))]?.name;
        throw new WarehouseError(
          'PIPE5218',
          `a value of ${name === undefined ? '' : `column "${name}" of `}${at.place.source} on ${at.place.server} (rows ${read - pending + 1}-${read}) does not convert to its DuckDB type: ${message}`,
          {
            hint: 'fix the value, or verify a view that casts the column; the contract checks need every value',
            retryable: false,
            cause: error,
          },
        );
      });
    await warehouse.run(`DELETE FROM temp.main.${quoteIdent(staging)}`);
    pending = 0;
  };
  const head = typed.map((column) => pgExpression(column)).join(', ');
  const cursor = openCursor(client, `SELECT ${head} FROM ${at.from} AS q`, []);
  const batchSize = at.input.batchSize ?? 10_000;
  try {
    for (;;) {
      const rows = await readBatch(cursor, batchSize, at.place).catch((error: unknown) => {
        throw unreadable(error, at.place.source);
      });
      for (const row of rows) {
        for (let index = 0; index < typed.length; index++) {
          const value = row[index];
          if (value === null || value === undefined) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      read += rows.length;
      pending += rows.length;
      if (pending >= FLUSH_ROWS) await flush();
      if (rows.length < batchSize) break;
    }
    await flush();
  } finally {
    appender.closeSync();
    await cursor.close().catch(() => undefined);
    await dropTempTables(warehouse, [staging]);
  }
  return read;
}

/** What PostgreSQL sends: its text; JSON for arrays and composites, hex for bytes. */
function pgExpression(column: ResultColumn & { type: string }): string {
  const name = `q.${quoteIdent(column.name)}`;
  if (column.pgType === 'bytea') return `encode(${name}, 'hex')`;
  if (column.pgType.endsWith('[]')) return `CAST(to_json(${name}) AS text)`;
  return name;
}

/** The staged text as the column's DuckDB type. */
function duckdbExpression(column: ResultColumn & { type: string }, staged: string): string {
  if (column.pgType === 'bytea') return `unhex(${staged})`;
  if (column.type === 'varchar') return staged;
  if (column.type.endsWith('[]')) return `CAST(CAST(${staged} AS JSON) AS ${column.type})`;
  return `CAST(${staged} AS ${column.type})`;
}

function safeParse(type: string) {
  const parsed = parseDataType(type);
  return parsed.ok ? parsed.type : undefined;
}

/** A failure to reach or read the table, as PIPE5217 with the server's words and the fix. */
function unreadable(error: unknown, label: string): unknown {
  if (error instanceof WarehouseError) return error;
  const coded = error instanceof ExtractError ? error : postgresError(error, { source: label, server: '' });
  const message = coded.message.replace(/^source "[^"]*": /, '');
  return new WarehouseError('PIPE5217', `the PostgreSQL table ${label} cannot be read: ${message}`, {
    hint: coded.hint,
    retryable: coded.retryable,
    cause: error,
  });
}
