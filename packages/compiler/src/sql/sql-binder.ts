// The second thing the compiler asks of a database: bind SQL against the declared schemas of its
// inputs and say what types it produces. The relations are empty (no data is needed); DuckDB does
// all the binding, so the types are the ones a run would see.

/** An empty relation to bind against: a dataset with its contract's declared column types. */
export interface RelationSchema {
  readonly dataset: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export type BoundSql =
  | {
      readonly ok: true;
      /** The result columns with DuckDB's type spelling (as DESCRIBE of a built table gives it). */
      readonly columns: readonly { readonly name: string; readonly type: string }[];
    }
  | {
      readonly ok: false;
      /** DuckDB's error class: `Binder`, `Catalog`, `Parser`, `Conversion`, ... */
      readonly errorType: string;
      /** The message without its class prefix and without DuckDB's `LINE n:` excerpt. */
      readonly message: string;
      /** String index of the error in the bound text, when DuckDB marks one. */
      readonly position?: number;
    };

export interface SqlBinder {
  /**
   * Starts creating `relations` (empty) in a fresh database and returns at once, so DuckDB builds
   * them on its own threads while the compiler does other work. Relations whose declared types
   * DuckDB refuses are left out.
   */
  open(relations: readonly RelationSchema[]): BindSession;
}

export interface BindSession {
  /** Binds each query against the session's relations; answers in the same order. */
  bind(queries: readonly string[]): Promise<readonly BoundSql[]>;
  /** Releases the database; a later bind() is an error. */
  close(): void;
}
