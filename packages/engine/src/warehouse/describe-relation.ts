// The observed schema of a relation, as DuckDB reports it: the engine compares it with contracts
// (drift of sources, output of steps) and records it in the registry.
import { relationOf } from './identifiers.js';
import type { Warehouse } from './warehouse.js';

export interface ObservedColumn {
  readonly name: string;
  /** DuckDB's spelling, e.g. `DECIMAL(12,2)`, `VARCHAR[]`; parse with `parseDataType`. */
  readonly type: string;
  readonly nullable: boolean;
}

/** Columns of a table or view (`schema.table` dataset name or a quoted relation expression). */
export async function describeRelation(warehouse: Warehouse, relation: string): Promise<ObservedColumn[]> {
  const target = relation.includes('"') ? relation : relationOf(relation);
  const rows = await warehouse.all<{ column_name: string; column_type: string; null: string }>(
    `DESCRIBE ${target}`,
  );
  return rows.map((row) => ({ name: row.column_name, type: row.column_type, nullable: row.null !== 'NO' }));
}

/** Whether a relation exists. */
export async function relationExists(warehouse: Warehouse, schema: string, table: string): Promise<boolean> {
  const rows = await warehouse.all<{ n: bigint }>(
    // current_database(): on a lake, information_schema also lists the catalog's own metadata tables.
    `SELECT count(*) AS n FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?`,
    [schema, table],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
