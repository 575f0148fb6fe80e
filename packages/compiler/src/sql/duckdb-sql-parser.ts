// The SqlParser over DuckDB: one in-memory instance and one connection, and every SQL text of a
// project parsed in a single query (`json_serialize_sql` over an unnested list), which is far
// faster than a round trip per statement.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ParsedSql, SqlAstNode, SqlParser } from './sql-parser.js';
import { codePointToIndex } from './text-position.js';

const BATCH_SIZE = 10_000;
// Parsing reads no file and loads nothing: the instance is closed to the host from the start and
// its configuration locked, whatever text it is handed (docs/security.md).
const SANDBOXED = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  enable_external_access: 'false',
  lock_configuration: 'true',
};
// skip_null/skip_empty shrink the JSON by a third; readers treat a missing key as empty.
const PARSE_BATCH = `
  SELECT json_serialize_sql(sql, skip_null := true, skip_empty := true) AS ast
  FROM unnest($1::VARCHAR[]) WITH ORDINALITY AS input(sql, position)
  ORDER BY position`;

/**
 * A SqlParser backed by an in-memory DuckDB. It starts opening at once, so a caller that creates it
 * before reading files gets the database ready while they are read.
 * @example const parser = createDuckDbSqlParser(); await parser.parse(['select 1']); parser.close();
 */
export function createDuckDbSqlParser(): SqlParser {
  let instance: DuckDBInstance | undefined;
  let connection: Promise<DuckDBConnection> | undefined;
  // Loaded here, not at the top: commands that never parse SQL (`pipectl diff`, `check` of
  // contracts) then never load DuckDB's native library.
  const duckdb = import('@duckdb/node-api');
  const connect = (): Promise<DuckDBConnection> => {
    connection ??= duckdb
      .then(({ DuckDBInstance }) => DuckDBInstance.create(':memory:', SANDBOXED))
      .then((created) => {
        instance = created;
        return created.connect();
      });
    return connection;
  };
  // Failures surface from parse(); this only keeps an early one from going unhandled.
  connect().catch(() => undefined);

  return {
    async parse(sqls) {
      if (sqls.length === 0) return [];
      const db = await connect();
      const { LIST, listValue, VARCHAR } = await duckdb;
      const results: ParsedSql[] = [];
      for (let start = 0; start < sqls.length; start += BATCH_SIZE) {
        const batch = sqls.slice(start, start + BATCH_SIZE);
        const reader = await db.runAndReadAll(PARSE_BATCH, [listValue(batch)], { 1: LIST(VARCHAR) });
        const rows = reader.getRows();
        for (const [index, sql] of batch.entries())
          results.push(readParsed(String(rows[index]?.[0] ?? ''), sql));
      }
      return results;
    },
    close() {
      if (!connection) return;
      connection
        .then((db) => {
          db.closeSync();
          instance?.closeSync();
        })
        .catch(() => undefined);
      connection = undefined;
    },
  };
}

function readParsed(json: string, sql: string): ParsedSql {
  const parsed = JSON.parse(json) as SqlAstNode;
  if (parsed.error === true) {
    const position = Number(parsed.position);
    return {
      ok: false,
      errorType: String(parsed.error_type ?? 'parser'),
      message: String(parsed.error_message ?? 'the SQL does not parse'),
      ...(Number.isFinite(position) && parsed.position !== undefined
        ? { position: codePointToIndex(sql, position) }
        : {}),
    };
  }
  const statements = Array.isArray(parsed.statements) ? (parsed.statements as SqlAstNode[]) : [];
  return { ok: true, statements };
}
