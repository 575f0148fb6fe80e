// What a project's SQL may call in FROM. Table functions are how DuckDB SQL reaches outside the
// warehouse (read_csv, read_text, glob, parquet_metadata, postgres_scan, ...), so step SQL and
// `sql` checks may call only the ones below, which compute rows from their arguments alone.
// Everything else is refused at validate (PIPE3011); the warehouse refuses it again at run time.
import { isNode, locationOf, nodeAt, textAt } from './sql-ast.js';
import type { SqlAstNode } from './sql-parser.js';
import { byteOffsetMapper } from './text-position.js';

/** Table functions that read nothing but their arguments. */
export const PURE_TABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'range',
  'generate_series',
  'unnest',
  'json_each',
  'json_tree',
]);

export interface TableFunctionCall {
  /** As written, lower-cased, with its schema when one was written (`main.read_csv`). */
  readonly name: string;
  /** String index of the call in the parsed text, when DuckDB gives one. */
  readonly offset: number | undefined;
}

/**
 * Every table-function call in the parsed statements that is not pure, in text order: FROM
 * clauses, joins, CTEs and subqueries anywhere in the tree.
 * @example forbiddenTableFunctions(parsed.statements, sql) // [{ name: 'read_text', offset: 14 }]
 */
export function forbiddenTableFunctions(statements: readonly SqlAstNode[], sql: string): TableFunctionCall[] {
  const toIndex = byteOffsetMapper(sql);
  const calls: TableFunctionCall[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    const call = forbiddenCall(value, toIndex);
    if (call) calls.push(call);
    for (const child of Object.values(value)) visit(child);
  };
  visit(statements);
  return calls.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
}

/** The call a node makes when it is a table function that is not pure; undefined otherwise. */
function forbiddenCall(
  node: SqlAstNode,
  toIndex: (byteOffset: number) => number,
): TableFunctionCall | undefined {
  if (node.type !== 'TABLE_FUNCTION') return undefined;
  const fn = nodeAt(node, 'function');
  const name = fn ? textAt(fn, 'function_name').toLowerCase() : '';
  const schema = fn ? textAt(fn, 'schema').toLowerCase() : '';
  if (PURE_TABLE_FUNCTIONS.has(name) && (schema === '' || schema === 'main')) return undefined;
  const at = locationOf(node);
  return { name: schema ? `${schema}.${name}` : name, offset: at === undefined ? undefined : toIndex(at) };
}
