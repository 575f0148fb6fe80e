// The compatibility policy as one table: every rule id the differ can report, what it means, and
// its verdict under each base mode. Classification, version policy and the docs all read this
// table; no code branches on a rule id. Ids are stable: once shipped, an id keeps its meaning.

export type Verdict = 'breaking' | 'review' | 'compatible';

/** The modes a verdict is declared for; `*_transitive` modes use their base mode's verdict. */
export type BaseMode = 'backward' | 'forward' | 'full' | 'none';
export const BASE_MODES: readonly BaseMode[] = ['backward', 'forward', 'full', 'none'];

/** The smallest semver bump a change needs when it is not breaking (breaking always needs major). */
export type RuleBump = 'major' | 'minor' | 'patch';

/**
 * How a rule's verdicts relate to those of its inverse (the rule `diff(next, previous)` reports
 * for the same change): `exact` means backward(rule) = forward(inverse) and forward(rule) =
 * backward(inverse). `removal-stricter` marks an appearance that has a fallback (a nullable column,
 * a column with a default, a new dataset): its inverse is a removal, judged stricter, because data
 * written from now on loses the thing for good while history before it existed is expected to lack
 * it. See docs/compatibility.md, "The symmetry law".
 */
export type Symmetry = 'exact' | 'removal-stricter';

export const RULE_IDS = [
  'DATASET_ADDED',
  'DATASET_REMOVED',
  'DATASET_RENAMED',
  'FIELD_ADDED_OPTIONAL',
  'FIELD_ADDED_REQUIRED_WITH_DEFAULT',
  'FIELD_ADDED_REQUIRED',
  'FIELD_REMOVED',
  'FIELD_RENAMED',
  'FIELD_TYPE_WIDENED',
  'FIELD_TYPE_NARROWED',
  'FIELD_TYPE_CHANGED',
  'FIELD_REQUIRED_ADDED',
  'FIELD_REQUIRED_REMOVED',
  'FIELD_DEFAULT_CHANGED',
  'ENUM_VALUE_ADDED',
  'ENUM_VALUE_REMOVED',
  'CONSTRAINT_TIGHTENED',
  'CONSTRAINT_RELAXED',
  'PATTERN_CHANGED',
  'UNIQUE_ADDED',
  'UNIQUE_REMOVED',
  'PRIMARY_KEY_CHANGED',
  'RELATIONSHIP_ADDED',
  'RELATIONSHIP_REMOVED',
  'CLASSIFICATION_CHANGED',
  'QUALITY_STRENGTHENED',
  'QUALITY_WEAKENED',
  'SLA_STRENGTHENED',
  'SLA_WEAKENED',
  'COMPATIBILITY_MODE_CHANGED',
  'METADATA_CHANGED',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export interface RuleInfo {
  /** One line: what changed. */
  readonly meaning: string;
  readonly verdicts: Readonly<Record<BaseMode, Verdict>>;
  /** What `diff(next, previous)` reports for the same change (several when it depends on the data). */
  readonly inverse: RuleId | readonly RuleId[];
  readonly symmetry: Symmetry;
  readonly bump: RuleBump;
}

const B = 'breaking';
const R = 'review';
const N = 'compatible';

/** Verdicts as written in the catalog: backward, forward, full; `none` is always compatible. */
function v(backward: Verdict, forward: Verdict, full: Verdict): Readonly<Record<BaseMode, Verdict>> {
  return { backward, forward, full, none: N };
}

/** The catalog. Its key order is the order of the docs. */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  DATASET_ADDED: {
    meaning: 'A contract appears for a dataset that had none.',
    verdicts: v(N, N, N),
    inverse: 'DATASET_REMOVED',
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  DATASET_REMOVED: {
    meaning: 'A contract (and the dataset it promises) is removed.',
    verdicts: v(B, B, B),
    inverse: 'DATASET_ADDED',
    symmetry: 'exact',
    bump: 'major',
  },
  DATASET_RENAMED: {
    meaning: 'The dataset name (its DuckDB relation) changed.',
    verdicts: v(B, B, B),
    inverse: 'DATASET_RENAMED',
    symmetry: 'exact',
    bump: 'major',
  },
  FIELD_ADDED_OPTIONAL: {
    meaning: 'A nullable column (or struct field) is added.',
    verdicts: v(N, N, N),
    inverse: 'FIELD_REMOVED',
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  FIELD_ADDED_REQUIRED_WITH_DEFAULT: {
    meaning: 'A required column with a default is added: older data reads as the default.',
    verdicts: v(N, N, N),
    inverse: 'FIELD_REMOVED',
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  FIELD_ADDED_REQUIRED: {
    meaning: 'A required column without a default is added: older data has no value for it.',
    verdicts: v(B, N, B),
    inverse: 'FIELD_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_REMOVED: {
    meaning: 'A column (or struct field) is removed.',
    verdicts: v(N, B, B),
    inverse: ['FIELD_ADDED_OPTIONAL', 'FIELD_ADDED_REQUIRED_WITH_DEFAULT', 'FIELD_ADDED_REQUIRED'],
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_RENAMED: {
    meaning: 'A column is renamed, declared with `renamedFrom` on the new column.',
    verdicts: v(R, R, R),
    inverse: 'FIELD_RENAMED',
    symmetry: 'exact',
    bump: 'major',
  },
  FIELD_TYPE_WIDENED: {
    meaning:
      'A type now holds every value it held before, and more (integer to bigint, varchar(32) to varchar).',
    verdicts: v(N, B, B),
    inverse: 'FIELD_TYPE_NARROWED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_TYPE_NARROWED: {
    meaning:
      'A type no longer holds some values it held before (bigint to integer, decimal(12,2) to decimal(10,2)).',
    verdicts: v(B, N, B),
    inverse: 'FIELD_TYPE_WIDENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_TYPE_CHANGED: {
    meaning:
      'A type changed to one that neither holds all old values nor is held by them (integer to varchar).',
    verdicts: v(B, B, B),
    inverse: 'FIELD_TYPE_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_REQUIRED_ADDED: {
    meaning: 'A nullable column becomes required (not null).',
    verdicts: v(B, N, B),
    inverse: 'FIELD_REQUIRED_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_REQUIRED_REMOVED: {
    meaning: 'A required column becomes nullable.',
    verdicts: v(N, B, B),
    inverse: 'FIELD_REQUIRED_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_DEFAULT_CHANGED: {
    meaning: 'The default consumers assume for data without the column is added, removed or changed.',
    verdicts: v(R, R, R),
    inverse: 'FIELD_DEFAULT_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  ENUM_VALUE_ADDED: {
    meaning: 'A value is added to `acceptedValues`.',
    verdicts: v(N, B, B),
    inverse: 'ENUM_VALUE_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  ENUM_VALUE_REMOVED: {
    meaning: 'A value is removed from `acceptedValues`.',
    verdicts: v(B, N, B),
    inverse: 'ENUM_VALUE_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  CONSTRAINT_TIGHTENED: {
    meaning:
      'A column constraint admits fewer values: min up, max down, length bounds narrowed, pattern or acceptedValues added.',
    verdicts: v(B, N, B),
    inverse: 'CONSTRAINT_RELAXED',
    symmetry: 'exact',
    bump: 'minor',
  },
  CONSTRAINT_RELAXED: {
    meaning: 'A column constraint admits more values, or is removed.',
    verdicts: v(N, B, B),
    inverse: 'CONSTRAINT_TIGHTENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  PATTERN_CHANGED: {
    meaning: 'A column `pattern` changed to another regex; which values it admits cannot be proven.',
    verdicts: v(R, R, R),
    inverse: 'PATTERN_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  UNIQUE_ADDED: {
    meaning: 'A column is now promised to be unique.',
    verdicts: v(B, N, B),
    inverse: 'UNIQUE_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  UNIQUE_REMOVED: {
    meaning: 'A column is no longer promised to be unique.',
    verdicts: v(N, B, B),
    inverse: 'UNIQUE_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  PRIMARY_KEY_CHANGED: {
    meaning: 'The primary key columns, or their order, changed (the grain of the dataset).',
    verdicts: v(R, R, R),
    inverse: 'PRIMARY_KEY_CHANGED',
    symmetry: 'exact',
    bump: 'major',
  },
  RELATIONSHIP_ADDED: {
    meaning: 'A column now promises a foreign key (`references`).',
    verdicts: v(R, N, R),
    inverse: 'RELATIONSHIP_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  RELATIONSHIP_REMOVED: {
    meaning: 'A foreign-key promise (`references`) is removed or points elsewhere.',
    verdicts: v(N, R, R),
    inverse: 'RELATIONSHIP_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  CLASSIFICATION_CHANGED: {
    meaning: 'The PII classification of a column changed, or a column carrying PII appears or disappears.',
    verdicts: v(R, R, R),
    inverse: 'CLASSIFICATION_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  QUALITY_STRENGTHENED: {
    meaning: 'A dataset quality check is added or made stricter.',
    verdicts: v(R, N, R),
    inverse: 'QUALITY_WEAKENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  QUALITY_WEAKENED: {
    meaning: 'A dataset quality check is removed or loosened.',
    verdicts: v(N, R, R),
    inverse: 'QUALITY_STRENGTHENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  SLA_STRENGTHENED: {
    meaning: 'The freshness promise is added or made stricter.',
    verdicts: v(R, N, R),
    inverse: 'SLA_WEAKENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  SLA_WEAKENED: {
    meaning: 'The freshness promise is removed or loosened.',
    verdicts: v(N, R, R),
    inverse: 'SLA_STRENGTHENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  COMPATIBILITY_MODE_CHANGED: {
    meaning: 'The compatibility mode (the promise itself) changed.',
    verdicts: v(R, R, R),
    inverse: 'COMPATIBILITY_MODE_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  METADATA_CHANGED: {
    meaning: 'Description, owner, tags, approvers, waivers or other text for people changed.',
    verdicts: v(N, N, N),
    inverse: 'METADATA_CHANGED',
    symmetry: 'exact',
    bump: 'patch',
  },
};

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** The rules `diff(next, previous)` may report for a change `diff(previous, next)` reports as `rule`. */
export function inversesOf(rule: RuleId): readonly RuleId[] {
  const inverse = RULES[rule].inverse;
  return typeof inverse === 'string' ? [inverse] : inverse;
}
