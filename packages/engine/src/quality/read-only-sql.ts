// Custom SQL (sql checks, step SELECTs) must be exactly one read-only SELECT. DuckDB itself decides:
// `json_serialize_sql` parses the text and serializes only SELECT statements (so PRAGMA, SET, COPY,
// ATTACH, INSTALL/LOAD, EXPORT, DDL and DML are refused), the connection's statement splitter counts
// the statements, and only then is the one SELECT prepared, to check its type again and bind it
// (unknown tables fail here). Nothing is prepared before the parser said SELECT: planning some
// statements has effects of its own. A warehouse remembers the texts it found to be one SELECT
// (`Warehouse.known`) and does not ask again: a step's SQL is judged once per warehouse, not per
// run (its binding is checked again anyway when it runs).
import { StatementType } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse/warehouse.js';

export type ReadOnlyVerdict =
  | { readonly ok: true; readonly sql: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether `sql` is one read-only SELECT. On success, `sql` comes back without a trailing `;`,
 * ready to be nested as a subquery.
 * @example await checkReadOnlySelect(wh, 'drop table x') // { ok: false, reason: 'only a read-only SELECT is allowed, found DROP' }
 */
export async function checkReadOnlySelect(warehouse: Warehouse, sql: string): Promise<ReadOnlyVerdict> {
  const text = withoutTrailingSemicolons(sql);
  if (text === '') return { ok: false, reason: 'the query is empty' };
  // The verdict is the parser's on the text alone: a text found to be one SELECT stays one.
  const fact = `read-only-select:${text}`;
  if (warehouse.known.has(fact)) return { ok: true, sql: text };
  const verdict = await judge(warehouse, text);
  if (verdict.ok) warehouse.known.add(fact);
  return verdict;
}

async function judge(warehouse: Warehouse, text: string): Promise<ReadOnlyVerdict> {
  const [parsed] = await warehouse.all<{ json: string }>('SELECT json_serialize_sql(?::VARCHAR) AS json', [
    text,
  ]);
  const tree = JSON.parse(parsed?.json ?? '{}') as {
    error?: boolean;
    error_message?: string;
    statements?: unknown[];
  };
  let statements: Awaited<ReturnType<Warehouse['connection']['extractStatements']>>;
  try {
    statements = await warehouse.connection.extractStatements(text);
  } catch (error) {
    return { ok: false, reason: firstLine(error) };
  }
  if (statements.count !== 1 || (tree.statements !== undefined && tree.statements.length !== 1)) {
    return {
      ok: false,
      reason: `only one SELECT statement is allowed, found ${statements.count} statements`,
    };
  }
  if (tree.error) {
    // Never prepared: binding is not free of effects for every statement (EXPORT DATABASE creates
    // its directory while being planned). The message names the statement's leading keyword.
    return { ok: false, reason: `only a read-only SELECT is allowed, found ${leadingKeyword(text)}` };
  }
  let kind: string;
  try {
    kind = (await statementKind(statements)) ?? 'an unknown statement';
  } catch (error) {
    return { ok: false, reason: firstLine(error) };
  }
  if (kind !== 'SELECT') return { ok: false, reason: `only a read-only SELECT is allowed, found ${kind}` };
  return { ok: true, sql: text };
}

async function statementKind(
  statements: Awaited<ReturnType<Warehouse['connection']['extractStatements']>>,
): Promise<string | undefined> {
  const prepared = await statements.prepare(0);
  try {
    return StatementType[prepared.statementType];
  } finally {
    prepared.destroySync();
  }
}

/** The text without trailing whitespace and semicolons (a subquery cannot end in `;`). */
function withoutTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** The first word of the statement, after comments, for messages only. */
function leadingKeyword(sql: string): string {
  const body = sql.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
  return (/^[A-Za-z_]+/.exec(body)?.[0] ?? 'another statement').toUpperCase();
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'invalid SQL';
}
