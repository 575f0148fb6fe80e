// dbt constraints -> contract promises: primary_key, not_null, unique and a one-column foreign_key
// become column fields, a unique constraint over several columns a quality check; the rest (check
// constraints, composite foreign keys) is reported as not carried.
import type { IssuePath } from '@pipectl/spec';
import type { ImportReader } from '../odcs/odcs-reader.js';
import { type Check, type Column, type Model, refTarget } from './dbt-model.js';

/** Where a constraint sits and what it can change: the model's columns, checks and issues. */
export interface ConstraintScope {
  readonly models: ReadonlyMap<string, Model>;
  /** The model, for messages: `model "orders" (models/schema.yml)`. */
  readonly label: string;
  readonly at: IssuePath;
  readonly reader: ImportReader;
  /** The model's columns by name; undefined for a column-level constraint. */
  readonly byName?: ReadonlyMap<string, Column>;
  /** The model's quality checks; only model-level constraints add to them. */
  readonly quality?: Check[];
}

/** A dbt constraint on one column (column-level) or on the model (names several columns). */
export function applyConstraint(
  constraint: Record<string, unknown>,
  names: readonly string[],
  column: Column | undefined,
  scope: ConstraintScope,
): void {
  const type = String(constraint.type);
  const single = names.length === 1 && column !== undefined;
  if (type === 'primary_key') markPrimaryKey(names, column, scope.byName);
  else if (type === 'not_null' && single) column.nullable = false;
  else if (type === 'unique' && single) column.unique = true;
  else if (type === 'unique' && scope.quality && names.length > 1)
    scope.quality.push({ check: 'unique', columns: names });
  else if (type === 'foreign_key' && single) applyForeignKey(constraint, column, scope);
  else
    scope.reader.warn(
      'PIPE7011',
      scope.at,
      `${scope.label}: ${type} constraint${names.length > 0 ? ` on ${names.join(', ')}` : ''}${typeof constraint.expression === 'string' ? ` (${constraint.expression})` : ''} has no pipectl equivalent and is not carried`,
    );
}

/** Marks the constraint's columns as the primary key. */
function markPrimaryKey(
  names: readonly string[],
  column: Column | undefined,
  byName: ReadonlyMap<string, Column> | undefined,
): void {
  // A primary key is never null in pipectl: `nullable` says nothing more on its columns.
  const targets = byName === undefined ? [column] : names.map((name) => byName.get(name));
  for (const target of targets) {
    if (!target) continue;
    target.primaryKey = true;
    delete target.nullable;
  }
}

/** A foreign key to one column of a model as the column's `references`; any other is reported. */
function applyForeignKey(constraint: Record<string, unknown>, column: Column, scope: ConstraintScope): void {
  const target = refTarget(constraint.to, scope.models);
  const toColumns = Array.isArray(constraint.to_columns) ? constraint.to_columns : [];
  if (target && toColumns.length === 1) column.references = `${target}.${String(toColumns[0])}`;
  else
    scope.reader.warn(
      'PIPE7011',
      scope.at,
      `${scope.label}: foreign_key to ${String(constraint.to)} (${toColumns.join(', ')}) is not one column of a model, so it is not carried`,
    );
}
