// The differ: every change between two versions of a contract, each named by a rule id and
// placed by a path. Pure: contracts in, changes out. Classification (verdicts per mode) is a
// separate step, so the same diff serves every mode and every renderer.
import { type Column, type Contract, primaryKeyOf } from '@pipectl/spec';
import { isImpliedBy, isRequired, uniqueKeysOf } from '../constraints/spelled-constraints.js';
import { type Change, defined } from './change.js';
import { columnAdded, columnChanges, columnRemoved, columnRenamed } from './column-changes.js';
import { quote } from './describe.js';
import { sameSet, sameValue } from './direction.js';
import { type ColumnRenames, freshnessChanges, qualityChanges } from './quality-changes.js';
import { applyWaivers } from './waivers.js';

export interface DiffOptions {
  /**
   * Today's date (`YYYY-MM-DD`, UTC) for judging a removal against a `deprecation` date. Defaults
   * to the current UTC date; pass it to make a diff reproducible.
   */
  readonly today?: string;
}

/**
 * Every change from `previous` to `next`, with the next version's `except` waivers applied.
 * @example diff(v1, v2) // [{ rule: 'FIELD_REMOVED', path: 'columns.legacy_code', column: 'legacy_code', ... }]
 */
export function diff(previous: Contract, next: Contract): Change[] {
  return applyWaivers(rawDiff(previous, next), next.except);
}

/**
 * Like `diff`, over optional sides: a contract that appears is DATASET_ADDED, one that
 * disappears is DATASET_REMOVED, and nothing on either side is no change.
 */
export function diffContracts(
  previous: Contract | undefined,
  next: Contract | undefined,
  options: DiffOptions = {},
): Change[] {
  if (previous && next) return diff(previous, next);
  if (next) {
    const added: Change = {
      rule: 'DATASET_ADDED',
      path: '',
      after: next.name,
      message: `dataset "${next.name}" added (version ${next.version})`,
    };
    return applyWaivers([added], next.except);
  }
  if (previous) return [removal(previous, options.today ?? new Date().toISOString().slice(0, 10))];
  return [];
}

/** A removal retires the dataset when its last version announced a deprecation whose date has come. */
function removal(previous: Contract, today: string): Change {
  const deprecation = previous.deprecation;
  const base = { path: '', before: previous.name };
  if (deprecation && deprecation.date <= today) {
    return {
      ...base,
      rule: 'DATASET_RETIRED',
      message: `dataset "${previous.name}" retired (version ${previous.version} was deprecated for ${deprecation.date}: ${deprecation.reason})`,
    };
  }
  const why = deprecation
    ? `it is deprecated for ${deprecation.date}, which has not come yet (today is ${today})`
    : 'it was not deprecated first (declare `deprecation` with a date in a released version, then remove it on or after that date)';
  return {
    ...base,
    rule: 'DATASET_REMOVED',
    message: `dataset "${previous.name}" removed (was version ${previous.version}): ${why}`,
  };
}

function rawDiff(previous: Contract, next: Contract): Change[] {
  const changes: Change[] = [];
  if (previous.name !== next.name) {
    changes.push({
      rule: 'DATASET_RENAMED',
      path: 'name',
      before: previous.name,
      after: next.name,
      message: `dataset renamed from "${previous.name}" to "${next.name}"`,
    });
  }
  if (previous.compatibility !== next.compatibility) {
    changes.push({
      rule: 'COMPATIBILITY_MODE_CHANGED',
      path: 'compatibility',
      before: previous.compatibility,
      after: next.compatibility,
      message: `compatibility mode changed from ${previous.compatibility} to ${next.compatibility}`,
    });
  }
  const matches = matchColumns(previous, next);
  const renamedTo = new Map([...matches].map(([after, before]) => [before.name, after.name]));
  const renamed = (name: string) => renamedTo.get(name) ?? name;
  changes.push(...deprecationChanges(previous, next));
  changes.push(...columnDiff(previous, next, matches));
  changes.push(...uniqueKeyChanges(previous, next, renamed));
  changes.push(...primaryKeyChanges(previous, next, renamed));
  changes.push(...qualityChanges(previous, next, renamed));
  changes.push(...freshnessChanges(previous, next, renamed));
  changes.push(...metadataChanges(previous, next));
  return changes;
}

/** For each next column, the previous column it continues: same name, or the one it was `renamedFrom`. */
function matchColumns(previous: Contract, next: Contract): Map<Column, Column> {
  const byName = new Map(previous.columns.map((column) => [column.name, column]));
  const nextNames = new Set(next.columns.map((column) => column.name));
  const matches = new Map<Column, Column>();
  const claimed = new Set<Column>();
  for (const column of next.columns) {
    const same = byName.get(column.name);
    if (same) {
      matches.set(column, same);
      continue;
    }
    // A rename only when the old column is gone: otherwise the new column is a copy, an addition.
    const from = column.renamedFrom === undefined ? undefined : byName.get(column.renamedFrom);
    if (from && !nextNames.has(from.name) && !claimed.has(from)) {
      matches.set(column, from);
      claimed.add(from);
    }
  }
  return matches;
}

function columnDiff(previous: Contract, next: Contract, matches: Map<Column, Column>): Change[] {
  const changes: Change[] = [];
  const continued = new Set(matches.values());
  // Nullability as promised by any spelling; uniqueness is compared per key, below.
  const promised = (contract: Contract, column: Column): Column => ({
    ...column,
    nullable: !isRequired(contract, column),
  });
  for (const column of previous.columns) {
    if (!continued.has(column)) changes.push(...columnRemoved(promised(previous, column)));
  }
  for (const column of next.columns) {
    const before = matches.get(column);
    if (before === undefined) {
      changes.push(...columnAdded(promised(next, column)));
      continue;
    }
    if (before.name !== column.name) changes.push(columnRenamed(before, column));
    changes.push(...columnChanges(promised(previous, before), promised(next, column)));
  }
  return changes;
}

/**
 * Keys promised unique in one version and not implied by the other's keys: `(a)` unique implies
 * `(a, b)` unique, so a key that grows loses a promise and one that shrinks gains one.
 */
function uniqueKeyChanges(previous: Contract, next: Contract, renamed: ColumnRenames): Change[] {
  const before = uniqueKeysOf(previous, renamed);
  const after = uniqueKeysOf(next);
  const nextColumns = new Set(next.columns.map((column) => column.name));
  const previousColumns = new Set(previous.columns.map((column) => renamed(column.name)));
  const keyChange = (key: string[], rule: 'UNIQUE_ADDED' | 'UNIQUE_REMOVED'): Change => {
    const single = key.length === 1 ? key[0] : undefined;
    const what = single === undefined ? `(${key.join(', ')}) together are` : `column "${single}" is`;
    return {
      rule,
      path: single === undefined ? `unique.${key.join('+')}` : `columns.${single}.unique`,
      ...(single === undefined ? {} : { column: single }),
      ...(rule === 'UNIQUE_ADDED' ? { after: key } : { before: key }),
      message: rule === 'UNIQUE_ADDED' ? `${what} now promised unique` : `${what} no longer promised unique`,
    };
  };
  const changes: Change[] = [];
  // A key with a column that is gone (or new) goes (or comes) with the column: FIELD_* says so.
  for (const key of before) {
    if (key.every((name) => nextColumns.has(name)) && !isImpliedBy(key, after))
      changes.push(keyChange(key, 'UNIQUE_REMOVED'));
  }
  for (const key of after) {
    if (key.every((name) => previousColumns.has(name)) && !isImpliedBy(key, before))
      changes.push(keyChange(key, 'UNIQUE_ADDED'));
  }
  return changes;
}

function deprecationChanges(previous: Contract, next: Contract): Change[] {
  if (sameValue(previous.deprecation, next.deprecation)) return [];
  const message =
    next.deprecation === undefined
      ? 'deprecation withdrawn'
      : `deprecated for ${next.deprecation.date}: ${next.deprecation.reason}`;
  return [
    {
      rule: 'DATASET_DEPRECATION_CHANGED',
      path: 'deprecation',
      ...defined('before', previous.deprecation),
      ...defined('after', next.deprecation),
      message,
    },
  ];
}

function primaryKeyChanges(previous: Contract, next: Contract, renamed: ColumnRenames): Change[] {
  const before = primaryKeyOf(previous);
  // Under their next names, so a renamed key column keeps the key.
  const beforeRenamed = before.map(renamed);
  const after = primaryKeyOf(next);
  if (sameValue(beforeRenamed, after)) return [];
  const show = (key: readonly string[]) => (key.length === 0 ? 'none' : `(${key.join(', ')})`);
  return [
    {
      rule: 'PRIMARY_KEY_CHANGED',
      path: 'primaryKey',
      before,
      after,
      message: `primary key changed from ${show(before)} to ${show(after)}`,
    },
  ];
}

/** Dataset-level fields for people: compared as text or, for lists, as sets. */
const METADATA_FIELDS: readonly {
  readonly key: 'owner' | 'description' | 'tags' | 'approvers' | 'except';
  readonly same: (a: unknown, b: unknown) => boolean;
}[] = [
  { key: 'owner', same: (a, b) => a === b },
  { key: 'description', same: (a, b) => a === b },
  { key: 'tags', same: (a, b) => sameSet(a as string[] | undefined, b as string[] | undefined) },
  { key: 'approvers', same: (a, b) => sameSet(a as string[], b as string[]) },
  { key: 'except', same: sameValue },
];

function metadataChanges(previous: Contract, next: Contract): Change[] {
  return METADATA_FIELDS.flatMap(({ key, same }) => {
    const before = previous[key];
    const after = next[key];
    if (same(before, after)) return [];
    const message =
      typeof before === 'string' || typeof after === 'string'
        ? `${key} changed from ${quote(before)} to ${quote(after)}`
        : `${key} changed`;
    return [
      {
        rule: 'METADATA_CHANGED' as const,
        path: key,
        ...defined('before', before),
        ...defined('after', after),
        message,
      },
    ];
  });
}
