// Drift: how the schema a source shows differs from its contract. The observed columns are put
// into a copy of the contract and the compatibility differ compares the two, so drift carries
// the same rule ids as `pipectl check` (FIELD_REMOVED: a contract column the source lacks,
// FIELD_ADDED_OPTIONAL: a source column the contract lacks, FIELD_TYPE_*: another type).
import { type Change, diff } from '@pipectl/compat';
import type { Column, Contract } from '@pipectl/spec';
import type { SourceDrift } from './extract-report.js';

export interface ObservedSourceColumn {
  readonly name: string;
  /** DuckDB type the source declares; absent when it declares none (CSV text, JSON keys). */
  readonly type?: string;
}

/**
 * Column-level changes from the contract to what the source shows. Columns the source shows
 * without a type are taken as the contract's type, or as `untyped` when the contract lacks them.
 */
export function sourceDrift(
  contract: Contract,
  observed: readonly ObservedSourceColumn[],
  untyped = 'json',
): Change[] {
  const declared = new Map(contract.columns.map((column) => [column.name, column]));
  const columns = observed.map((seen): Column => {
    const column = declared.get(seen.name);
    if (column) return { ...column, type: seen.type ?? column.type };
    return { name: seen.name, type: seen.type ?? untyped, nullable: true, primaryKey: false, unique: false };
  });
  const source: Contract = { ...contract, columns };
  return diff(contract, source)
    .filter((change) => change.column !== undefined)
    .map((change) => ({
      ...change,
      // A whole column added or removed is shown by its type: the rest of it is the contract's.
      ...(isColumn(change.before) ? { before: change.before.type } : {}),
      ...(isColumn(change.after) ? { after: change.after.type } : {}),
      message: driftMessage(change),
    }));
}

function isColumn(value: unknown): value is Column {
  return typeof value === 'object' && value !== null && 'name' in value && 'type' in value;
}

function driftMessage(change: Change): string {
  const column = change.column as string;
  const typeOf = (value: unknown) => (value as Column | undefined)?.type ?? 'unknown';
  switch (change.rule) {
    case 'FIELD_REMOVED':
      return `contract column "${column}" (${typeOf(change.before)}) is missing from the source`;
    case 'FIELD_ADDED_OPTIONAL':
    case 'FIELD_ADDED_REQUIRED':
    case 'FIELD_ADDED_REQUIRED_WITH_DEFAULT':
      return change.path === `columns.${column}`
        ? `the source has column "${column}" (${typeOf(change.after)}), which the contract does not declare`
        : change.message;
    case 'FIELD_TYPE_CHANGED':
    case 'FIELD_TYPE_WIDENED':
    case 'FIELD_TYPE_NARROWED':
      return change.path === `columns.${column}.type`
        ? `column "${column}" is ${String(change.after)} in the source, ${String(change.before)} in the contract`
        : change.message;
    default:
      return change.message;
  }
}

/** One drift list for many files: each change once, with the files that show it. */
export function mergeFileDrift(
  perFile: readonly { file: string; changes: readonly Change[] }[],
): SourceDrift[] {
  const merged = new Map<string, { change: Change; files: string[] }>();
  for (const { file, changes } of perFile) {
    for (const change of changes) {
      const key = `${change.rule} ${change.path}`;
      const entry = merged.get(key);
      if (entry) entry.files.push(file);
      else merged.set(key, { change, files: [file] });
    }
  }
  return [...merged.values()].map(({ change, files }) => ({ ...change, files }));
}
