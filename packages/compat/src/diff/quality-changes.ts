// Changes to the dataset's quality checks and its freshness SLA. Checks are matched by name (or
// their default name, `<check>_<column>`); each check kind declares which of its fields make the
// promise stronger or weaker, so shared code never switches on the kind.
import {
  type Contract,
  type Freshness,
  parseDuration,
  type QualityCheck,
  type QualityCheckKind,
} from '@pipectl/spec';
import { isConstraintSpelling } from '../constraints/spelled-constraints.js';
import type { RuleId } from '../rules/rule-catalog.js';
import { type Change, defined } from './change.js';
import { quote } from './describe.js';
import {
  boundDirection,
  combineDirections,
  type Direction,
  flagDirection,
  opaqueDirection,
  sameValue,
  setDirection,
} from './direction.js';

/** One field of a promise, its values, and which way it moved. */
interface Part {
  readonly field: string;
  readonly direction: Direction;
  readonly before: unknown;
  readonly after: unknown;
}

type CheckOf<K extends QualityCheckKind> = Extract<QualityCheck, { check: K }>;
type KindParts<K extends QualityCheckKind> = (before: CheckOf<K>, after: CheckOf<K>) => Part[];

/** Compares one field of two versions of a promise with the given direction function. */
function part<T extends object, F extends keyof T & string>(
  field: F,
  before: T,
  after: T,
  direction: (b: T[F], a: T[F]) => Direction,
): Part {
  return {
    field,
    direction: direction(before[field], after[field]),
    before: before[field],
    after: after[field],
  };
}

const lower = (b: unknown, a: unknown) => boundDirection(b, a, 'lower');
const upper = (b: unknown, a: unknown) => boundDirection(b, a, 'upper');
const column = <T extends { column?: string | undefined }>(b: T, a: T) =>
  part('column', b, a, opaqueDirection);

/** Per kind: the fields that carry its promise (common fields are compared for every kind). */
const KIND_PARTS: { readonly [K in QualityCheckKind]: KindParts<K> } = {
  not_null: (b, a) => [column(b, a)],
  unique: (b, a) => [column(b, a), part('columns', b, a, opaqueDirection)],
  accepted_values: (b, a) => [column(b, a), part('values', b, a, (x, y) => setDirection(x, y))],
  range: (b, a) => [
    column(b, a),
    part('min', b, a, lower),
    part('max', b, a, upper),
    part('exclusive', b, a, flagDirection),
  ],
  pattern: (b, a) => [column(b, a), part('regex', b, a, opaqueDirection)],
  // More values counted as missing is stricter.
  missing_count: (b, a) => [column(b, a), part('missingValues', b, a, (x, y) => setDirection(x, y, true))],
  relationships: (b, a) => [column(b, a), part('to', b, a, opaqueDirection)],
  row_count: (b, a) => [part('min', b, a, lower), part('max', b, a, upper)],
  freshness: (b, a) => [column(b, a), part('maxAge', b, a, durationDirection)],
  sql: (b, a) => [part('query', b, a, opaqueDirection)],
};

/** Fields every check has: failing at `error` promises more than `warn`; fewer failures tolerated is stricter. */
function commonParts(before: QualityCheck, after: QualityCheck): Part[] {
  return [
    part('severity', before, after, severityDirection),
    part('maxFailing', before, after, toleranceDirection),
  ];
}

function severityDirection(before: 'error' | 'warn', after: 'error' | 'warn'): Direction {
  return flagDirection(before === 'error', after === 'error');
}

/** Fields that change how a check reports, not what it promises. */
const REPORTING_FIELDS = ['description', 'samples', 'onFail'] as const;

function toleranceDirection(before: number | string, after: number | string): Direction {
  if (typeof before === 'number' && typeof after === 'number') return boundDirection(before, after, 'upper');
  if (typeof before === 'string' && typeof after === 'string')
    return boundDirection(Number.parseFloat(before), Number.parseFloat(after), 'upper');
  return 'both';
}

function durationDirection(before: string | undefined, after: string | undefined): Direction {
  return boundDirection(
    before === undefined ? undefined : parseDuration(before),
    after === undefined ? undefined : parseDuration(after),
    'upper',
  );
}

/** Stable ids for checks: the name, or `<check>_<column>`, with `_2`, `_3` for repeats. */
export function qualityCheckIds(checks: readonly QualityCheck[]): string[] {
  const seen = new Map<string, number>();
  return checks.map((check) => {
    const target = 'column' in check && check.column !== undefined ? `_${check.column}` : '';
    const columns = check.check === 'unique' && check.columns ? `_${check.columns.join('_')}` : '';
    const base = check.name ?? `${check.check}${target}${columns}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

/** The rules for a promise that moved: `both` reports both, since it is stricter in part and looser in part. */
interface StrengthRules {
  readonly stronger: RuleId;
  readonly weaker: RuleId;
}
const QUALITY_RULES: StrengthRules = { stronger: 'QUALITY_STRENGTHENED', weaker: 'QUALITY_WEAKENED' };
const SLA_RULES: StrengthRules = { stronger: 'SLA_STRENGTHENED', weaker: 'SLA_WEAKENED' };

function strengthChanges(
  parts: readonly Part[],
  rules: StrengthRules,
  base: Omit<Change, 'rule' | 'message'>,
  subject: string,
): Change[] {
  const direction = combineDirections(parts.map((part) => part.direction));
  if (direction === 'same') return [];
  const fields = (wanted: Direction) =>
    parts
      .filter((p) => p.direction === wanted || p.direction === 'both')
      .map((p) => `${p.field} ${quote(p.before)} -> ${quote(p.after)}`)
      .join(', ');
  const changes: Change[] = [];
  if (direction === 'stronger' || direction === 'both') {
    changes.push({
      ...base,
      rule: rules.stronger,
      message: `${subject} is stricter (${fields('stronger')})`,
    });
  }
  if (direction === 'weaker' || direction === 'both') {
    changes.push({ ...base, rule: rules.weaker, message: `${subject} is looser (${fields('weaker')})` });
  }
  return changes;
}

/** Maps a previous column name to its next name (itself unless the column was renamed). */
export type ColumnRenames = (name: string) => string;

/** A previous check as it reads under the next column names, so a renamed column keeps its checks. */
function underNextNames(check: QualityCheck, renamed: ColumnRenames): QualityCheck {
  const column = 'column' in check && check.column !== undefined ? { column: renamed(check.column) } : {};
  const columns = check.check === 'unique' && check.columns ? { columns: check.columns.map(renamed) } : {};
  return { ...check, ...column, ...columns } as QualityCheck;
}

/**
 * Changes to the quality checks that are not another spelling of a column constraint: blocking
 * `not_null` and `unique` checks are judged with the column flags they mean (FIELD_REQUIRED_*,
 * UNIQUE_*), so the same promise gets the same verdict however it is written.
 */
export function qualityChanges(previous: Contract, next: Contract, renamed: ColumnRenames): Change[] {
  const previousChecks = previous.quality.map((check) => underNextNames(check, renamed));
  const beforeIds = qualityCheckIds(previousChecks);
  const afterIds = qualityCheckIds(next.quality);
  // A check that spells a constraint on either side (made `warn` is the constraint dropped).
  const spelled = new Set([
    ...beforeIds.filter((_, index) => isConstraintSpelling(previous.quality[index] as QualityCheck)),
    ...afterIds.filter((_, index) => isConstraintSpelling(next.quality[index] as QualityCheck)),
  ]);
  const changes: Change[] = [];
  previousChecks.forEach((before, index) => {
    const id = beforeIds[index] as string;
    if (spelled.has(id)) return;
    const after = next.quality[afterIds.indexOf(id)];
    const path = `quality.${id}`;
    const original = previous.quality[index];
    if (after === undefined) {
      changes.push({
        rule: 'QUALITY_WEAKENED',
        path,
        before: original,
        message: `quality check "${id}" (${before.check}) removed`,
      });
      return;
    }
    const base = { path, before: original, after };
    if (before.check !== after.check) {
      const kind: Part = { field: 'check', direction: 'both', before: before.check, after: after.check };
      changes.push(...strengthChanges([kind], QUALITY_RULES, base, `quality check "${id}"`));
      return;
    }
    const kindParts = KIND_PARTS[before.check] as KindParts<QualityCheckKind>;
    const parts = [...kindParts(before, after), ...commonParts(before, after)];
    changes.push(...strengthChanges(parts, QUALITY_RULES, base, `quality check "${id}"`));
    const reporting = REPORTING_FIELDS.filter((field) => !sameValue(before[field], after[field]));
    if (reporting.length > 0) {
      changes.push({
        rule: 'METADATA_CHANGED',
        ...base,
        message: `quality check "${id}" ${reporting.join(', ')} changed`,
      });
    }
  });
  next.quality.forEach((after, index) => {
    const id = afterIds[index] as string;
    if (beforeIds.includes(id) || spelled.has(id)) return;
    changes.push({
      rule: 'QUALITY_STRENGTHENED',
      path: `quality.${id}`,
      after,
      message: `quality check "${id}" (${after.check}) added`,
    });
  });
  return changes;
}

export function freshnessChanges(previous: Contract, next: Contract, renamed: ColumnRenames): Change[] {
  const original = previous.freshness;
  const before: Freshness | undefined = original && { ...original, column: renamed(original.column) };
  const after: Freshness | undefined = next.freshness;
  const base = { path: 'freshness', ...defined('before', original), ...defined('after', after) };
  if (before === undefined && after === undefined) return [];
  if (before === undefined)
    return [
      {
        ...base,
        rule: 'SLA_STRENGTHENED',
        message: `freshness promise added: newest row at most ${after?.maxAge} old`,
      },
    ];
  if (after === undefined)
    return [
      {
        ...base,
        rule: 'SLA_WEAKENED',
        message: `freshness promise (newest row at most ${before.maxAge} old) removed`,
      },
    ];
  const parts = [
    part('column', before, after, opaqueDirection),
    part('maxAge', before, after, durationDirection),
    part('severity', before, after, severityDirection),
  ];
  return strengthChanges(parts, SLA_RULES, base, 'the freshness promise');
}
