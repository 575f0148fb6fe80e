// One promise, several spellings: a column is unique through `unique: true`, a one-column primary
// key or a blocking `unique` quality check; it is not null through `nullable: false`, a primary key
// or a blocking `not_null` check. The differ compares what is promised, read here, so every
// spelling of the same promise gets the same verdict (tested as a property).
import type { Column, Contract, QualityCheck } from '@pipectl/spec';
import { primaryKeyOf } from '@pipectl/spec';

/**
 * A quality check that is only another spelling of a column constraint: `not_null` or `unique`
 * at severity error that tolerates no failing row. Publication is blocked (or the rows are
 * quarantined) whenever it fails, so the published data keeps the promise exactly as a column flag.
 */
export function isConstraintSpelling(check: QualityCheck): boolean {
  if (check.check !== 'not_null' && check.check !== 'unique') return false;
  return check.severity === 'error' && check.maxFailing === 0;
}

/** True when some spelling in `contract` promises `column` holds no null. */
export function isRequired(contract: Contract, column: Column): boolean {
  if (!column.nullable || column.primaryKey) return true;
  return contract.quality.some(
    (check) => isConstraintSpelling(check) && check.check === 'not_null' && check.column === column.name,
  );
}

/**
 * Every set of columns promised unique, each sorted by name: `unique: true` columns, the primary
 * key, and blocking `unique` checks. Names are mapped through `rename` (previous names to next).
 */
export function uniqueKeysOf(contract: Contract, rename: (name: string) => string = (n) => n): string[][] {
  const keys: string[][] = [];
  for (const column of contract.columns) if (column.unique) keys.push([column.name]);
  const primaryKey = primaryKeyOf(contract);
  if (primaryKey.length > 0) keys.push(primaryKey);
  for (const check of contract.quality) {
    if (!isConstraintSpelling(check) || check.check !== 'unique') continue;
    const columns = check.columns ?? (check.column === undefined ? [] : [check.column]);
    if (columns.length > 0) keys.push(columns);
  }
  const unique = new Map<string, string[]>();
  for (const key of keys) {
    const names = [...new Set(key.map(rename))].sort();
    unique.set(names.join('\u0000'), names);
  }
  return [...unique.values()];
}

/** True when `key` is unique because some promised key is a subset of it. */
export function isImpliedBy(key: readonly string[], promised: readonly (readonly string[])[]): boolean {
  return promised.some((other) => other.every((name) => key.includes(name)));
}
