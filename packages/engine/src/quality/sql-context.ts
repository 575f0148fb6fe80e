// The SqlContext of a relation under test: how kinds name its columns, other datasets, `{{ this }}`.
import type { ObservedColumn } from '../warehouse/describe-relation.js';
import { quoteIdent, relationOf } from '../warehouse/identifiers.js';
import type { SqlContext } from './check-kind.js';

const THIS = /\{\{\s*this\s*\}\}/g;

export function createSqlContext(
  relation: string,
  dataset: string,
  columns: readonly ObservedColumn[],
): SqlContext {
  const types = new Map(columns.map((column) => [column.name, column.type]));
  return {
    relation,
    dataset,
    column: (name, alias = 'r') => `${alias}.${quoteIdent(name)}`,
    columnType: (name) => types.get(name),
    relationOf: (other) => (other === dataset ? relation : relationOf(other)),
    renderThis: (sql) => sql.replace(THIS, relation),
  };
}
