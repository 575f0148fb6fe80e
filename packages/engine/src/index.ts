// @pipectl/engine: everything a pipeline step does to data, in DuckDB, without Temporal.
export { describeRelation, type ObservedColumn, relationExists } from './warehouse/describe-relation.js';
export { quoteIdent, quoteLiteral, relationOf, splitDataset } from './warehouse/identifiers.js';
export { ensureSystemTables, QUARANTINE_TABLE, SYSTEM_SCHEMA } from './warehouse/system-tables.js';
export { openWarehouse, type Row, type SqlParams, type Warehouse } from './warehouse/warehouse.js';
