// Identifier quoting: every name that comes from YAML (datasets, columns, sources) reaches SQL
// only through these functions, so no name can inject SQL.

/** `"name"` with embedded quotes doubled, as DuckDB and PostgreSQL expect. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'` with embedded quotes doubled: a SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The relation of a dataset: `sales.orders` -> `"sales"."orders"`. */
export function relationOf(dataset: string): string {
  const dot = dataset.indexOf('.');
  if (dot < 0) return quoteIdent(dataset);
  return `${quoteIdent(dataset.slice(0, dot))}.${quoteIdent(dataset.slice(dot + 1))}`;
}

/** Schema and table of a dataset name. */
export function splitDataset(dataset: string): { schema: string; table: string } {
  const dot = dataset.indexOf('.');
  return dot < 0
    ? { schema: 'main', table: dataset }
    : { schema: dataset.slice(0, dot), table: dataset.slice(dot + 1) };
}
