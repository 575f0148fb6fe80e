// Schema observation: a relation's columns as contract columns (canonical type spellings), the form
// the registry records and @pipectl/compat compares.
import type { Column } from '@pipectl/spec';
import { describeRelation, type ObservedColumn } from '../warehouse/describe-relation.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { quoteRelation, type RelationName } from './relation-name.js';
import { storageType } from './storage-type.js';

/**
 * The columns of a table or view as contract columns.
 * @example await observeSchema(wh, { schema: 'mart', table: 'orders' }) // [{ name: 'order_id', type: 'bigint', nullable: true, ... }]
 */
export async function observeSchema(warehouse: Warehouse, relation: RelationName): Promise<Column[]> {
  return toContractColumns(await describeRelation(warehouse, quoteRelation(relation)));
}

/** Observed columns as contract columns: canonical types, nullability as DuckDB reports it. */
export function toContractColumns(observed: readonly ObservedColumn[]): Column[] {
  return observed.map((column) => plainColumn(column.name, storageType(column.type), column.nullable));
}

/**
 * A column with no promise beyond its name, type and nullability, built directly (not parsed): an
 * observed name need not follow the YAML naming rules.
 */
export function plainColumn(name: string, type: string, nullable = true): Column {
  return { name, type, nullable, primaryKey: false, unique: false };
}
