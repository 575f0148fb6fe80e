// The PostgreSQL edge of extraction: a `pg` client that returns every value as PostgreSQL's
// own text (DuckDB converts it to the contract's type), batches read through a server-side
// cursor, and every failure turned into a PostgresSourceError naming the server — refused
// connections, refused logins and failed queries each with their own code.
import pg from 'pg';
import Cursor from 'pg-cursor';
import { PostgresSourceError } from './extract-errors.js';

export interface PostgresPlace {
  readonly source: string;
  /** `host:port/database`. */
  readonly server: string;
}

/** Every value as text, exactly as PostgreSQL prints it: no lossy JS numbers or Dates. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** Fixed session settings, so values print the same on every server (UTC, ISO dates). */
const SESSION = '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=3';

export async function connectPostgres(url: string, place: PostgresPlace): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    types: RAW_TEXT,
    options: SESSION,
    connectionTimeoutMillis: 15_000,
    application_name: 'pipectl',
  });
  // A connection lost mid-read is reported by the pending query; without a listener it would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw postgresError(error, place);
  }
  return client;
}

export interface ResultColumn {
  readonly name: string;
  /** As `format_type()` names it: `numeric(12,2)`, `timestamp with time zone`, `text[]`. */
  readonly pgType: string;
}

/** The columns `sql` returns, without reading a row. */
export async function describeQuery(
  client: pg.Client,
  sql: string,
  place: PostgresPlace,
  userQuery?: UserQuery,
): Promise<ResultColumn[]> {
  try {
    const result = await client.query({ text: `SELECT * FROM ${sql} AS q LIMIT 0`, rowMode: 'array' });
    if (result.fields.length === 0) return [];
    const types = await client.query<{ type: string }>(
      'SELECT format_type(t.oid, t.mod) AS type FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS t(oid, mod, i) ORDER BY t.i',
      [result.fields.map((f) => f.dataTypeID), result.fields.map((f) => f.dataTypeModifier)],
    );
    return result.fields.map((field, index) => ({
      name: field.name,
      pgType: types.rows[index]?.type ?? 'text',
    }));
  } catch (error) {
    throw postgresError(
      error,
      place,
      userQuery && { ...userQuery, offset: userQuery.offset + 'SELECT * FROM '.length },
    );
  }
}

/** Where the user's own query sits in the SQL sent, to turn PostgreSQL's position into a line. */
export interface UserQuery {
  readonly text: string;
  /** 0-based offset of `text` in the SQL sent. */
  readonly offset: number;
}

/** Opens a server-side cursor over `sql`; rows come as arrays of text. */
export function openCursor(
  client: pg.Client,
  sql: string,
  params: readonly unknown[],
): Cursor<(string | null)[]> {
  return client.query(new Cursor<(string | null)[]>(sql, [...params], { rowMode: 'array' }));
}

/** The next batch of at most `size` rows (empty at the end). */
export async function readBatch(
  cursor: Cursor<(string | null)[]>,
  size: number,
  place: PostgresPlace,
  userQuery?: UserQuery,
): Promise<(string | null)[][]> {
  try {
    return await cursor.read(size);
  } catch (error) {
    throw postgresError(error, place, userQuery);
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
]);

/** Any failure talking to PostgreSQL, as the error a user can act on. */
export function postgresError(
  error: unknown,
  place: PostgresPlace,
  userQuery?: UserQuery,
): PostgresSourceError {
  const cause = error as { code?: string; message?: string; errors?: { code?: string }[]; position?: string };
  const code = cause.code ?? cause.errors?.[0]?.code;
  const message = cause.message || (code ?? String(error));
  const base = { source: place.source, server: place.server };
  const sqlState = code !== undefined && /^[0-9A-Z]{5}$/.test(code);
  if ((code !== undefined && UNREACHABLE.has(code)) || (!sqlState && /timeout|terminated/i.test(message))) {
    const why =
      code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'unknown host' : message;
    return new PostgresSourceError(
      'PIPE5106',
      `source "${place.source}": cannot reach PostgreSQL at ${place.server} (${why})`,
      base,
      {
        hint: 'Check that the server is running and that the host and port of the url are right.',
        reason: code,
        cause: error,
      },
    );
  }
  if (code === '28P01' || code === '28000' || code === '3D000') {
    return new PostgresSourceError(
      'PIPE5107',
      `source "${place.source}": PostgreSQL at ${place.server} refused the login: ${message}`,
      base,
      {
        hint: 'Check the user, password and database of the url (or the variable it reads).',
        reason: code,
        cause: error,
      },
    );
  }
  if (code?.startsWith('08') || code === '57P01' || code === '57P03') {
    return new PostgresSourceError(
      'PIPE5106',
      `source "${place.source}": lost the connection to PostgreSQL at ${place.server}: ${message}`,
      base,
      { hint: 'Check that the server is running; the run may be retried.', reason: code, cause: error },
    );
  }
  const line = lineOf(cause.position, userQuery);
  return new PostgresSourceError(
    'PIPE5108',
    `source "${place.source}": the query failed on PostgreSQL at ${place.server}${line === undefined ? '' : ` (line ${line} of the query)`}: ${message}`,
    base,
    {
      hint: "Fix the source's table or query: the server's message names the problem.",
      reason: code,
      cause: error,
    },
  );
}

function lineOf(position: string | undefined, userQuery: UserQuery | undefined): number | undefined {
  if (position === undefined || userQuery === undefined) return undefined;
  const at = Number(position) - 1 - userQuery.offset;
  if (!Number.isInteger(at) || at < 0 || at > userQuery.text.length) return undefined;
  return userQuery.text.slice(0, at).split('\n').length;
}
