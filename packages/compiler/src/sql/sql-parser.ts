// The one thing the compiler needs from a database: turn SQL text into DuckDB's JSON AST. Kept
// behind this interface so the compile core stays pure and the parser is given, not reached for.

/** A node of DuckDB's `json_serialize_sql` output; read through the helpers in sql-ast.ts. */
export type SqlAstNode = { readonly [key: string]: unknown };

export type ParsedSql =
  | {
      readonly ok: true;
      /** One entry per statement; each is `{ node: QueryNode }`. */
      readonly statements: readonly SqlAstNode[];
    }
  | {
      readonly ok: false;
      /** DuckDB's `error_type`, e.g. `parser`, or `not implemented` for statements other than SELECT. */
      readonly errorType: string;
      readonly message: string;
      /** String index of the error in the parsed text, when DuckDB gives one. */
      readonly position?: number;
    };

export interface SqlParser {
  /** Parses each text on its own; answers in the same order. */
  parse(sqls: readonly string[]): Promise<readonly ParsedSql[]>;
  /** Releases the database (a later parse() would open it again). */
  close(): void;
}
