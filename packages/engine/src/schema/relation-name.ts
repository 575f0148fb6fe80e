// A relation by schema and table name, and the catalog questions the engine asks about one:
// does it exist, is it a table or a view, drop it whatever it is.
import { quoteIdent, quoteLiteral, splitDataset } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface RelationName {
  /** The database it lives in when not the warehouse's own: `temp` for a connection's staging. */
  readonly catalog?: string;
  readonly schema: string;
  readonly table: string;
}

/** `"schema"."table"` (or `"catalog"."schema"."table"`), each part quoted. */
export function quoteRelation(name: RelationName): string {
  const catalog = name.catalog === undefined ? '' : `${quoteIdent(name.catalog)}.`;
  return `${catalog}${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

/** The relation a dataset is published as: `mart.orders` -> `{ schema: 'mart', table: 'orders' }`. */
export function relationNameOf(dataset: string): RelationName {
  return splitDataset(dataset);
}

export type RelationKind = 'table' | 'view';

/**
 * Whether the relation is a table or a view; undefined when it does not exist. Asks
 * `duckdb_tables()` first, then `duckdb_views()`: information_schema.tables is both of them with
 * every entry's SQL text, ~3× the cost, and the engine asks this several times per step. The names
 * are quoted literals, not parameters: one call into DuckDB instead of four (extract, prepare,
 * bind and run, destroy).
 */
export async function relationKind(
  warehouse: Warehouse,
  name: RelationName,
): Promise<RelationKind | undefined> {
  const where = (column: string) =>
    `database_name = ${name.catalog === undefined ? 'current_database()' : quoteLiteral(name.catalog)}
     AND schema_name = ${quoteLiteral(name.schema)} AND ${column} = ${quoteLiteral(name.table)}`;
  const tables = await warehouse.all(`SELECT 1 FROM duckdb_tables() WHERE ${where('table_name')}`);
  if (tables.length > 0) return 'table';
  const views = await warehouse.all(`SELECT 1 FROM duckdb_views() WHERE ${where('view_name')}`);
  return views.length > 0 ? 'view' : undefined;
}

/** Drops a table or view if it exists (DuckDB's DROP names the kind it drops). */
export async function dropRelation(warehouse: Warehouse, name: RelationName): Promise<void> {
  const kind = await relationKind(warehouse, name);
  if (kind === 'view') await warehouse.run(`DROP VIEW ${quoteRelation(name)}`);
  if (kind === 'table') await warehouse.run(`DROP TABLE ${quoteRelation(name)}`);
}
