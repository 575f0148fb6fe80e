// The relation an extraction writes: the contract's columns with the contract's DuckDB types,
// created (or replaced) inside the extraction's transaction. Rows reach it only through
// `INSERT INTO target (columns) SELECT ...`, so an existing table's column order never matters.
import { type Column, type Contract, type DataType, formatDataType, parseDataType } from '@pipectl/spec';
import { quoteIdent, relationOf, splitDataset } from '../warehouse/identifiers.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { ensureOnce } from '../warehouse/warehouse-errors.js';
import type { ExtractMode } from './extract-report.js';

export interface TargetColumn {
  readonly name: string;
  /** The contract's type in DuckDB's SQL spelling, e.g. `decimal(12,2)`. */
  readonly type: string;
  readonly dataType: DataType;
  readonly column: Column;
}

/** The contract's columns with their parsed types; the loader has already rejected bad types. */
export function contractColumns(contract: Contract): TargetColumn[] {
  return contract.columns.map((column) => {
    const parsed = parseDataType(column.type);
    if (!parsed.ok)
      throw new Error(`contract "${contract.name}": column "${column.name}" has an invalid type`);
    return { name: column.name, type: formatDataType(parsed.type), dataType: parsed.type, column };
  });
}

/**
 * Creates the target relation (`schema.table`): replaced by an empty one in `replace` mode,
 * created when missing in `append` mode. Returns its quoted relation.
 */
export async function prepareTarget(
  warehouse: Warehouse,
  target: string,
  columns: readonly TargetColumn[],
  mode: ExtractMode,
): Promise<string> {
  const { schema } = splitDataset(target);
  const relation = relationOf(target);
  const definition = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  const create = mode === 'replace' ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE IF NOT EXISTS';
  const quoted = quoteIdent(schema);
  await ensureOnce(warehouse, `schema:${quoted}`, () =>
    warehouse.run(`CREATE SCHEMA IF NOT EXISTS ${quoted}`),
  );
  await warehouse.run(`${create} ${relation} (${definition})`);
  return relation;
}

/** `INSERT INTO "raw"."orders" ("a", "b")`: the head of every write to the target. */
export function insertInto(relation: string, columns: readonly TargetColumn[]): string {
  return `INSERT INTO ${relation} (${columns.map((c) => quoteIdent(c.name)).join(', ')})`;
}

/** Whether values of this type arrive as JSON text (nested types, json itself). */
export function isJsonShaped(type: DataType): boolean {
  return (
    type.kind === 'list' ||
    type.kind === 'array' ||
    type.kind === 'struct' ||
    type.kind === 'map' ||
    (type.kind === 'primitive' && type.name === 'json')
  );
}

let tempCounter = 0;

/** A fresh name for a temporary table of this connection. */
export function tempTableName(purpose: string): string {
  tempCounter += 1;
  return `pipectl_${purpose}_${process.pid}_${tempCounter}`;
}

/** Drops temporary tables, ignoring failures (after an error the transaction is rolled back anyway). */
export async function dropTempTables(warehouse: Warehouse, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await warehouse.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(name)}`).catch(() => undefined);
  }
}
