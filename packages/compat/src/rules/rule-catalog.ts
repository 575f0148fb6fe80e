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
 * it. `one-sided` marks a change only the new version can declare (a rename's `renamedFrom`): its
 * mirror is not the same change, so the law does not apply. See docs/compatibility.md, "The
 * symmetry law".
 */
export type Symmetry = 'exact' | 'removal-stricter' | 'one-sided';

/**
 * The families of rules a project's review policy can name instead of single rule ids
 * (`compatibility.review.rules` in pipectl.yaml).
 */
export const RULE_CLASSES = [
  'dataset',
  'field',
  'type',
  'constraint',
  'key',
  'relationship',
  'classification',
  'quality',
  'sla',
  'metadata',
] as const;
export type RuleClass = (typeof RULE_CLASSES)[number];

export const RULE_IDS = [
  'DATASET_ADDED',
  'DATASET_REMOVED',
  'DATASET_RETIRED',
  'DATASET_DEPRECATION_CHANGED',
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
  'CLASSIFICATION_ADDED',
  'CLASSIFICATION_REMOVED',
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
  /** The family a review policy may name for it. */
  readonly class: RuleClass;
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
    class: 'dataset',
    verdicts: v(N, N, N),
    inverse: ['DATASET_REMOVED', 'DATASET_RETIRED'],
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  DATASET_REMOVED: {
    meaning:
      'A contract (and the dataset it promises) is removed without a `deprecation` whose date has passed: consumers outside the project cannot be seen, so a removal always breaks unless it was announced first.',
    class: 'dataset',
    verdicts: v(B, B, B),
    inverse: 'DATASET_ADDED',
    symmetry: 'exact',
    bump: 'major',
  },
  DATASET_RETIRED: {
    meaning:
      'A contract whose latest version declared a `deprecation` is removed on or after its date (breaking still when something in the project reads it).',
    class: 'dataset',
    verdicts: v(N, N, N),
    inverse: 'DATASET_ADDED',
    symmetry: 'exact',
    bump: 'major',
  },
  DATASET_DEPRECATION_CHANGED: {
    meaning: 'A `deprecation` (date, reason, replacement) is declared, changed or withdrawn.',
    class: 'dataset',
    verdicts: v(N, N, N),
    inverse: 'DATASET_DEPRECATION_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  DATASET_RENAMED: {
    meaning: 'The dataset name (its DuckDB relation) changed.',
    class: 'dataset',
    verdicts: v(B, B, B),
    inverse: 'DATASET_RENAMED',
    symmetry: 'exact',
    bump: 'major',
  },
  FIELD_ADDED_OPTIONAL: {
    meaning: 'A nullable column (or struct field) is added.',
    class: 'field',
    verdicts: v(N, N, N),
    inverse: 'FIELD_REMOVED',
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  FIELD_ADDED_REQUIRED_WITH_DEFAULT: {
    meaning: 'A required column with a default is added: older data reads as the default.',
    class: 'field',
    verdicts: v(N, N, N),
    inverse: 'FIELD_REMOVED',
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  FIELD_ADDED_REQUIRED: {
    meaning: 'A required column without a default is added: older data has no value for it.',
    class: 'field',
    verdicts: v(B, N, B),
    inverse: 'FIELD_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_REMOVED: {
    meaning: 'A column (or struct field) is removed.',
    class: 'field',
    verdicts: v(N, B, B),
    inverse: ['FIELD_ADDED_OPTIONAL', 'FIELD_ADDED_REQUIRED_WITH_DEFAULT', 'FIELD_ADDED_REQUIRED'],
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_RENAMED: {
    meaning:
      'A column is renamed, declared with `renamedFrom` on the new column: new readers find old data under the declared old name, old readers cannot find the new name.',
    class: 'field',
    verdicts: v(N, B, B),
    inverse: 'FIELD_RENAMED',
    symmetry: 'one-sided',
    bump: 'major',
  },
  FIELD_TYPE_WIDENED: {
    meaning:
      'A type now holds every value it held before, and more (integer to bigint, decimal(10,2) to decimal(12,2)).',
    class: 'type',
    verdicts: v(N, B, B),
    inverse: 'FIELD_TYPE_NARROWED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_TYPE_NARROWED: {
    meaning:
      'A type no longer holds some values it held before (bigint to integer, decimal(12,2) to decimal(10,2)).',
    class: 'type',
    verdicts: v(B, N, B),
    inverse: 'FIELD_TYPE_WIDENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_TYPE_CHANGED: {
    meaning:
      'A type changed to one that neither holds all old values nor is held by them (integer to varchar).',
    class: 'type',
    verdicts: v(B, B, B),
    inverse: 'FIELD_TYPE_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_REQUIRED_ADDED: {
    meaning:
      'A column that could hold nulls cannot any more, however it is spelled: `nullable: false`, `primaryKey: true`, or a `not_null` quality check at severity error that tolerates no failure.',
    class: 'field',
    verdicts: v(B, N, B),
    inverse: 'FIELD_REQUIRED_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_REQUIRED_REMOVED: {
    meaning: 'A column that could not hold nulls now may (every spelling of not-null is gone).',
    class: 'field',
    verdicts: v(N, B, B),
    inverse: 'FIELD_REQUIRED_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  FIELD_DEFAULT_CHANGED: {
    meaning: 'The default consumers assume for data without the column is added, removed or changed.',
    class: 'field',
    verdicts: v(R, R, R),
    inverse: 'FIELD_DEFAULT_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  ENUM_VALUE_ADDED: {
    meaning: 'A value is added to `acceptedValues`.',
    class: 'constraint',
    verdicts: v(N, B, B),
    inverse: 'ENUM_VALUE_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  ENUM_VALUE_REMOVED: {
    meaning: 'A value is removed from `acceptedValues`.',
    class: 'constraint',
    verdicts: v(B, N, B),
    inverse: 'ENUM_VALUE_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  CONSTRAINT_TIGHTENED: {
    meaning:
      'A column constraint rejects some values it admitted: min up, max down, length bounds narrowed, pattern or acceptedValues added, or a new pattern that provably rejects a value the old one matched.',
    class: 'constraint',
    verdicts: v(B, N, B),
    inverse: 'CONSTRAINT_RELAXED',
    symmetry: 'exact',
    bump: 'minor',
  },
  CONSTRAINT_RELAXED: {
    meaning:
      'A column constraint admits some values it rejected, or is removed (a new pattern that provably matches a value the old one rejected included).',
    class: 'constraint',
    verdicts: v(N, B, B),
    inverse: 'CONSTRAINT_TIGHTENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  PATTERN_CHANGED: {
    meaning:
      'A column `pattern` changed to another regex, and for at least one direction no value was found that one admits and the other rejects: which values it admits cannot be proven.',
    class: 'constraint',
    verdicts: v(R, R, R),
    inverse: 'PATTERN_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  UNIQUE_ADDED: {
    meaning:
      'Values (of a column or a combination of columns) are now promised unique, however it is spelled: `unique: true`, a primary key, or a `unique` quality check at severity error that tolerates no failure.',
    class: 'key',
    verdicts: v(B, N, B),
    inverse: 'UNIQUE_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  UNIQUE_REMOVED: {
    meaning:
      'Values (of a column or a combination of columns) are no longer promised unique by any spelling, nor implied by a smaller unique key.',
    class: 'key',
    verdicts: v(N, B, B),
    inverse: 'UNIQUE_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  PRIMARY_KEY_CHANGED: {
    meaning:
      'The primary key declaration changed; the uniqueness and not-null it implies are judged by UNIQUE_* and FIELD_REQUIRED_*, so only the declaration is left here.',
    class: 'key',
    verdicts: v(N, N, N),
    inverse: 'PRIMARY_KEY_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  RELATIONSHIP_ADDED: {
    meaning: 'A column now promises a foreign key (`references`).',
    class: 'relationship',
    verdicts: v(R, N, R),
    inverse: 'RELATIONSHIP_REMOVED',
    symmetry: 'exact',
    bump: 'minor',
  },
  RELATIONSHIP_REMOVED: {
    meaning: 'A foreign-key promise (`references`) is removed or points elsewhere.',
    class: 'relationship',
    verdicts: v(N, R, R),
    inverse: 'RELATIONSHIP_ADDED',
    symmetry: 'exact',
    bump: 'minor',
  },
  CLASSIFICATION_ADDED: {
    meaning: 'A column that stays is now marked as personal data (`pii`).',
    class: 'classification',
    verdicts: v(N, N, N),
    inverse: 'CLASSIFICATION_REMOVED',
    symmetry: 'removal-stricter',
    bump: 'minor',
  },
  CLASSIFICATION_REMOVED: {
    meaning:
      'A column that stays is no longer marked as personal data: masking, access and retention keyed on the tag stop applying, which no reader can notice.',
    class: 'classification',
    verdicts: v(B, B, B),
    inverse: 'CLASSIFICATION_ADDED',
    symmetry: 'exact',
    bump: 'major',
  },
  CLASSIFICATION_CHANGED: {
    meaning: 'The personal-data category of a column changed (e.g. `email` to `name`).',
    class: 'classification',
    verdicts: v(R, R, R),
    inverse: 'CLASSIFICATION_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  QUALITY_STRENGTHENED: {
    meaning: 'A dataset quality check is added or made stricter.',
    class: 'quality',
    verdicts: v(R, N, R),
    inverse: 'QUALITY_WEAKENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  QUALITY_WEAKENED: {
    meaning: 'A dataset quality check is removed or loosened.',
    class: 'quality',
    verdicts: v(N, R, R),
    inverse: 'QUALITY_STRENGTHENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  SLA_STRENGTHENED: {
    meaning: 'The freshness promise is added or made stricter.',
    class: 'sla',
    verdicts: v(R, N, R),
    inverse: 'SLA_WEAKENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  SLA_WEAKENED: {
    meaning: 'The freshness promise is removed or loosened.',
    class: 'sla',
    verdicts: v(N, R, R),
    inverse: 'SLA_STRENGTHENED',
    symmetry: 'exact',
    bump: 'minor',
  },
  COMPATIBILITY_MODE_CHANGED: {
    meaning: 'The compatibility mode (the promise itself) changed.',
    class: 'metadata',
    verdicts: v(R, R, R),
    inverse: 'COMPATIBILITY_MODE_CHANGED',
    symmetry: 'exact',
    bump: 'minor',
  },
  METADATA_CHANGED: {
    meaning:
      'Description, owner, tags, approvers, waivers, a varchar length (DuckDB does not keep it) or other text for people changed.',
    class: 'metadata',
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
