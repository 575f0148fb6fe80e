// A relation by schema and table name, and the catalog questions the engine asks about one:
// does it exist, is it a table or a view, drop it whatever it is.
import { quoteIdent, splitDataset } from '../warehouse/identifiers.js';
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

/** Whether the relation is a table or a view; undefined when it does not exist. */
export async function relationKind(
  warehouse: Warehouse,
  name: RelationName,
): Promise<RelationKind | undefined> {
  const [row] = await warehouse.all<{ table_type: string }>(
    `SELECT table_type FROM information_schema.tables
     WHERE table_catalog = coalesce(?, current_database()) AND table_schema = ? AND table_name = ?`,
    [name.catalog ?? null, name.schema, name.table],
  );
  if (!row) return undefined;
  return row.table_type === 'VIEW' ? 'view' : 'table';
}

/** Drops a table or view if it exists (DuckDB's DROP names the kind it drops). */
export async function dropRelation(warehouse: Warehouse, name: RelationName): Promise<void> {
  const kind = await relationKind(warehouse, name);
  if (kind === 'view') await warehouse.run(`DROP VIEW ${quoteRelation(name)}`);
  if (kind === 'table') await warehouse.run(`DROP TABLE ${quoteRelation(name)}`);
}
