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
 * `duckdb_tables()` and `duckdb_views()`: information_schema.tables is both of them with every
 * entry's SQL text, ~3× the cost, and the engine asks this several times per step. The names
 * are quoted literals, not parameters: one call into DuckDB instead of four (extract, prepare,
 * bind and run, destroy).
 */
export async function relationKind(
  warehouse: Warehouse,
  name: RelationName,
): Promise<RelationKind | undefined> {
  const [kind] = await relationKinds(warehouse, [name]);
  return kind;
}

/** `relationKind` of each of `names`, in their order, asked in one statement. */
export async function relationKinds(
  warehouse: Warehouse,
  names: readonly RelationName[],
): Promise<(RelationKind | undefined)[]> {
  if (names.length === 0) return [];
  const kindOf = (name: RelationName) => {
    const where = (column: string) =>
      `database_name = ${name.catalog === undefined ? 'current_database()' : quoteLiteral(name.catalog)}
       AND schema_name = ${quoteLiteral(name.schema)} AND ${column} = ${quoteLiteral(name.table)}`;
    return `CASE WHEN EXISTS (SELECT 1 FROM duckdb_tables() WHERE ${where('table_name')}) THEN 'table'
      WHEN EXISTS (SELECT 1 FROM duckdb_views() WHERE ${where('view_name')}) THEN 'view' END`;
  };
  const [row] = await warehouse.all<Record<string, string | null>>(
    `SELECT ${names.map((name, i) => `${kindOf(name)} AS k${i}`).join(',\n  ')}`,
  );
  return names.map((_, i) => {
    const kind = row?.[`k${i}`];
    return kind === 'table' || kind === 'view' ? kind : undefined;
  });
}

/** Drops a table or view if it exists (DuckDB's DROP names the kind it drops). */
export async function dropRelation(warehouse: Warehouse, name: RelationName): Promise<void> {
  const kind = await relationKind(warehouse, name);
  if (kind === 'view') await warehouse.run(`DROP VIEW ${quoteRelation(name)}`);
  if (kind === 'table') await warehouse.run(`DROP TABLE ${quoteRelation(name)}`);
}
