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
 * `duckdb_tables()`, then `duckdb_views()` only when it is no table: information_schema.tables is
 * both of them with every entry's SQL text, ~3× the cost, and `duckdb_views()` alone costs about
 * twice `duckdb_tables()` (it lists DuckDB's own views too). The names are quoted literals, not
 * parameters: one call into DuckDB instead of four (extract, prepare, bind and run, destroy).
 */
export async function relationKind(
  warehouse: Warehouse,
  name: RelationName,
): Promise<RelationKind | undefined> {
  const [kind] = await relationKinds(warehouse, [name]);
  return kind;
}

/**
 * `relationKind` of each of `names`, in their order: one statement for all of them when they are
 * tables, a second for those that are not.
 */
export async function relationKinds(
  warehouse: Warehouse,
  names: readonly RelationName[],
): Promise<(RelationKind | undefined)[]> {
  const kinds: (RelationKind | undefined)[] = names.map(() => undefined);
  const tables = await found(warehouse, 'duckdb_tables()', 'table_name', names);
  for (const i of tables) kinds[i] = 'table';
  const rest = names.map((_, i) => i).filter((i) => kinds[i] === undefined);
  if (rest.length === 0) return kinds;
  const views = await found(
    warehouse,
    'duckdb_views()',
    'view_name',
    rest.map((i) => names[i] as RelationName),
  );
  for (const j of views) kinds[rest[j] as number] = 'view';
  return kinds;
}

/** The positions in `names` of the relations `catalog` (a DuckDB table function) lists. */
async function found(
  warehouse: Warehouse,
  catalog: string,
  column: string,
  names: readonly RelationName[],
): Promise<number[]> {
  const conditions = names.map(
    (name) =>
      `(database_name = ${name.catalog === undefined ? 'current_database()' : quoteLiteral(name.catalog)}
        AND schema_name = ${quoteLiteral(name.schema)} AND ${column} = ${quoteLiteral(name.table)})`,
  );
  const which =
    conditions.length === 1 ? '0' : `CASE ${conditions.map((c, i) => `WHEN ${c} THEN ${i}`).join(' ')} END`;
  const rows = await warehouse.all<{ i: number }>(
    `SELECT ${which} AS i FROM ${catalog} WHERE ${conditions.join(' OR ')}`,
  );
  return rows.map((row) => Number(row.i));
}

/** Drops a table or view if it exists (DuckDB's DROP names the kind it drops). */
export async function dropRelation(warehouse: Warehouse, name: RelationName): Promise<void> {
  const kind = await relationKind(warehouse, name);
  if (kind === 'view') await warehouse.run(`DROP VIEW ${quoteRelation(name)}`);
  if (kind === 'table') await warehouse.run(`DROP TABLE ${quoteRelation(name)}`);
}

/**
 * Drops a relation that is most likely a `kind` (a step's staging of an earlier attempt), if it
 * exists: one `DROP … IF EXISTS`, and the catalog is asked only when it turns out to be the other kind.
 */
export async function dropRelationLike(
  warehouse: Warehouse,
  name: RelationName,
  kind: RelationKind,
): Promise<void> {
  try {
    await warehouse.run(`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteRelation(name)}`);
  } catch (error) {
    // DuckDB: "Existing object … is of type View, trying to drop type Table".
    if (!(error instanceof Error && /trying to drop type/i.test(error.message))) throw error;
    await dropRelation(warehouse, name);
  }
}
