// Changes to one column: its appearance or removal, and, for a column present in both versions
// (perhaps renamed), every promise it makes: type, nullability, default, accepted values, bounds,
// pattern, uniqueness, foreign key, PII classification and its descriptive metadata.
import { type Column, type DataType, formatDataType, isNullable, parseDataType } from '@pipectl/spec';
import { patternWitnesses } from '../constraints/pattern-witness.js';
import type { RuleId } from '../rules/rule-catalog.js';
import { compareTypes, type TypeDifference } from '../types/compare-types.js';
import { type Change, defined } from './change.js';
import { quote, quoteList } from './describe.js';
import { type BoundSide, boundDirection, type Direction, sameSet, sameValue, valueKey } from './direction.js';

/** The rule for a new column, chosen by the fallback older data has for it. */
export function additionRule(column: Column): RuleId {
  if (isNullable(column)) return 'FIELD_ADDED_OPTIONAL';
  return column.default !== undefined ? 'FIELD_ADDED_REQUIRED_WITH_DEFAULT' : 'FIELD_ADDED_REQUIRED';
}

export function columnAdded(column: Column): Change[] {
  const path = `columns.${column.name}`;
  const rule = additionRule(column);
  const message = isNullable(column)
    ? `nullable column "${column.name}" (${column.type}) added`
    : column.default !== undefined
      ? `required column "${column.name}" (${column.type}) added with default ${quote(column.default)}`
      : `required column "${column.name}" (${column.type}) added without a default: data written before has no value for it`;
  // Its `pii` comes and goes with it: CLASSIFICATION_* is about a column that stays.
  return [{ rule, path, column: column.name, after: column, message }];
}

export function columnRemoved(column: Column): Change[] {
  const path = `columns.${column.name}`;
  return [
    {
      rule: 'FIELD_REMOVED',
      path,
      column: column.name,
      before: column,
      message: `column "${column.name}" (${column.type}) removed`,
    },
  ];
}

export function columnRenamed(previous: Column, next: Column): Change {
  return {
    rule: 'FIELD_RENAMED',
    path: `columns.${next.name}`,
    column: next.name,
    before: previous.name,
    after: next.name,
    message: `column "${previous.name}" renamed to "${next.name}"`,
  };
}

/** Every change between two versions of the same column (matched by name or `renamedFrom`). */
export function columnChanges(previous: Column, next: Column): Change[] {
  return COLUMN_ASPECTS.flatMap((aspect) => aspect(previous, next, `columns.${next.name}`));
}

type Aspect = (previous: Column, next: Column, path: string) => Change[];

const typeAspect: Aspect = (previous, next, path) => {
  const before = parseDataType(previous.type);
  const after = parseDataType(next.type);
  if (!before.ok || !after.ok) {
    // Unparseable types (the loader reports them) are compared as written.
    if (previous.type === next.type) return [];
    const message = `column "${next.name}" type changed from ${quote(previous.type)} to ${quote(next.type)}`;
    return [
      {
        rule: 'FIELD_TYPE_CHANGED',
        path: `${path}.type`,
        column: next.name,
        before: previous.type,
        after: next.type,
        message,
      },
    ];
  }
  const differences = compareTypes(before.type, after.type);
  const written = [formatDataType(before.type), formatDataType(after.type)] as const;
  if (differences.length === 0 && written[0] !== written[1]) {
    return [
      {
        rule: 'METADATA_CHANGED',
        path: `${path}.type`,
        column: next.name,
        before: written[0],
        after: written[1],
        message: `column "${next.name}" type now written ${written[1]} (was ${written[0]}): the same values (DuckDB keeps no varchar length; declare maxLength to promise one)`,
      },
    ];
  }
  return differences.map((difference) => typeChange(next.name, `${path}.type`, difference));
};

const TYPE_DIFFERENCE_RULES: Readonly<Record<TypeDifference['kind'], RuleId>> = {
  widened: 'FIELD_TYPE_WIDENED',
  narrowed: 'FIELD_TYPE_NARROWED',
  changed: 'FIELD_TYPE_CHANGED',
  // DuckDB struct fields are always nullable: a new one reads as null in older data.
  added: 'FIELD_ADDED_OPTIONAL',
  removed: 'FIELD_REMOVED',
};

function typeChange(column: string, typePath: string, difference: TypeDifference): Change {
  const where = ['type', ...difference.path].join('.');
  const before = formatted(difference.before);
  const after = formatted(difference.after);
  const message =
    difference.kind === 'added'
      ? `column "${column}" gains struct field ${where} (${after})`
      : difference.kind === 'removed'
        ? `column "${column}" loses struct field ${where} (${before})`
        : `column "${column}" ${where} ${difference.kind} from ${before} to ${after}`;
  return {
    rule: TYPE_DIFFERENCE_RULES[difference.kind],
    path: [typePath, ...difference.path].join('.'),
    column,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    message,
  };
}

function formatted(type: DataType | undefined): string | undefined {
  return type === undefined ? undefined : formatDataType(type);
}

const nullabilityAspect: Aspect = (previous, next, path) => {
  const before = isNullable(previous);
  const after = isNullable(next);
  if (before === after) return [];
  return [
    {
      rule: after ? 'FIELD_REQUIRED_REMOVED' : 'FIELD_REQUIRED_ADDED',
      path: `${path}.nullable`,
      column: next.name,
      before,
      after,
      message: after
        ? `column "${next.name}" may now be null`
        : `column "${next.name}" is now required (not null)`,
    },
  ];
};

const defaultAspect: Aspect = (previous, next, path) => {
  if (sameValue(previous.default, next.default)) return [];
  return [
    {
      rule: 'FIELD_DEFAULT_CHANGED',
      path: `${path}.default`,
      column: next.name,
      ...defined('before', previous.default),
      ...defined('after', next.default),
      message: `column "${next.name}" default changed from ${quote(previous.default)} to ${quote(next.default)}`,
    },
  ];
};

const acceptedValuesAspect: Aspect = (previous, next, path) => {
  const before = previous.acceptedValues;
  const after = next.acceptedValues;
  const at = `${path}.acceptedValues`;
  const base = { path: at, column: next.name, ...defined('before', before), ...defined('after', after) };
  if (before === undefined && after === undefined) return [];
  if (before === undefined) {
    return [
      {
        ...base,
        rule: 'CONSTRAINT_TIGHTENED',
        message: `column "${next.name}" now only accepts ${quoteList(after ?? [])}`,
      },
    ];
  }
  if (after === undefined) {
    return [
      {
        ...base,
        rule: 'CONSTRAINT_RELAXED',
        message: `column "${next.name}" no longer restricts its values (was ${quoteList(before)})`,
      },
    ];
  }
  const beforeKeys = new Set(before.map(valueKey));
  const afterKeys = new Set(after.map(valueKey));
  const added = after.filter((value) => !beforeKeys.has(valueKey(value)));
  const removed = before.filter((value) => !afterKeys.has(valueKey(value)));
  const changes: Change[] = [];
  if (added.length > 0) {
    changes.push({
      ...base,
      rule: 'ENUM_VALUE_ADDED',
      message: `column "${next.name}" accepts new ${values(added)} ${quoteList(added)}`,
    });
  }
  if (removed.length > 0) {
    changes.push({
      ...base,
      rule: 'ENUM_VALUE_REMOVED',
      message: `column "${next.name}" no longer accepts ${values(removed)} ${quoteList(removed)}`,
    });
  }
  return changes;
};

function values(list: readonly unknown[]): string {
  return list.length === 1 ? 'value' : 'values';
}

/** Column bounds, each limiting values from one side. */
const BOUNDS: readonly {
  readonly key: 'min' | 'max' | 'minLength' | 'maxLength';
  readonly side: BoundSide;
}[] = [
  { key: 'min', side: 'lower' },
  { key: 'max', side: 'upper' },
  { key: 'minLength', side: 'lower' },
  { key: 'maxLength', side: 'upper' },
];

const DIRECTION_WORDS: Readonly<Record<Exclude<Direction, 'same'>, string>> = {
  stronger: 'fewer values allowed',
  weaker: 'more values allowed',
  both: 'the two cannot be compared, so some values are newly allowed and others newly rejected',
};

const boundsAspect: Aspect = (previous, next, path) =>
  BOUNDS.flatMap(({ key, side }) => {
    const before = previous[key];
    const after = next[key];
    const direction = boundDirection(before, after, side);
    if (direction === 'same') return [];
    const what =
      before === undefined
        ? `${key} ${quote(after)} added`
        : after === undefined
          ? `${key} ${quote(before)} removed`
          : `${key} changed from ${quote(before)} to ${quote(after)}`;
    const message = `column "${next.name}" ${what}: ${DIRECTION_WORDS[direction]}`;
    const base = {
      path: `${path}.${key}`,
      column: next.name,
      ...defined('before', before),
      ...defined('after', after),
      message,
    };
    return constraintRules(direction).map((rule) => ({ ...base, rule }));
  });

/** A move both ways reports both rules: some values are newly rejected and others newly allowed. */
function constraintRules(direction: Exclude<Direction, 'same'>): RuleId[] {
  const rules: Readonly<Record<Exclude<Direction, 'same'>, RuleId[]>> = {
    stronger: ['CONSTRAINT_TIGHTENED'],
    weaker: ['CONSTRAINT_RELAXED'],
    both: ['CONSTRAINT_TIGHTENED', 'CONSTRAINT_RELAXED'],
  };
  return rules[direction];
}

const patternAspect: Aspect = (previous, next, path) => {
  const before = previous.pattern;
  const after = next.pattern;
  if (before === after) return [];
  const base = {
    path: `${path}.pattern`,
    column: next.name,
    ...defined('before', before),
    ...defined('after', after),
  };
  if (before === undefined)
    return [
      {
        ...base,
        rule: 'CONSTRAINT_TIGHTENED',
        message: `column "${next.name}" must now match pattern ${quote(after)}`,
      },
    ];
  if (after === undefined)
    return [
      {
        ...base,
        rule: 'CONSTRAINT_RELAXED',
        message: `column "${next.name}" pattern ${quote(before)} removed`,
      },
    ];
  const changed = `column "${next.name}" pattern changed from ${quote(before)} to ${quote(after)}`;
  const { relaxedBy, tightenedBy } = patternWitnesses(before, after);
  const changes: Change[] = [];
  if (tightenedBy !== undefined)
    changes.push({
      ...base,
      rule: 'CONSTRAINT_TIGHTENED',
      message: `${changed}: ${quote(tightenedBy)} is no longer admitted`,
    });
  if (relaxedBy !== undefined)
    changes.push({
      ...base,
      rule: 'CONSTRAINT_RELAXED',
      message: `${changed}: ${quote(relaxedBy)} is newly admitted`,
    });
  if (tightenedBy === undefined || relaxedBy === undefined) {
    const unproven =
      tightenedBy === undefined && relaxedBy === undefined
        ? 'no value was found that one admits and the other rejects'
        : tightenedBy === undefined
          ? 'whether it also rejects values it admitted cannot be proven'
          : 'whether it also admits values it rejected cannot be proven';
    changes.push({ ...base, rule: 'PATTERN_CHANGED', message: `${changed} (${unproven})` });
  }
  return changes;
};

const referencesAspect: Aspect = (previous, next, path) => {
  const before = previous.references;
  const after = next.references;
  if (before === after) return [];
  const base = {
    path: `${path}.references`,
    column: next.name,
    ...defined('before', before),
    ...defined('after', after),
  };
  const changes: Change[] = [];
  if (before !== undefined) {
    changes.push({
      ...base,
      rule: 'RELATIONSHIP_REMOVED',
      message: `column "${next.name}" no longer promises a foreign key to ${quote(before)}`,
    });
  }
  if (after !== undefined) {
    changes.push({
      ...base,
      rule: 'RELATIONSHIP_ADDED',
      message: `column "${next.name}" now promises a foreign key to ${quote(after)}`,
    });
  }
  return changes;
};

const piiAspect: Aspect = (previous, next, path) => {
  if (previous.pii === next.pii) return [];
  const [rule, message]: [RuleId, string] =
    previous.pii === undefined
      ? ['CLASSIFICATION_ADDED', `column "${next.name}" is now marked as personal data (pii: ${next.pii})`]
      : next.pii === undefined
        ? [
            'CLASSIFICATION_REMOVED',
            `column "${next.name}" is no longer marked as personal data (was pii: ${previous.pii}): what protects it by its tag stops applying`,
          ]
        : [
            'CLASSIFICATION_CHANGED',
            `column "${next.name}" personal data category changed from ${previous.pii} to ${next.pii}`,
          ];
  return [
    {
      rule,
      path: `${path}.pii`,
      column: next.name,
      ...defined('before', previous.pii),
      ...defined('after', next.pii),
      message,
    },
  ];
};

const metadataAspect: Aspect = (previous, next, path) => {
  const changes: Change[] = [];
  const fields: readonly {
    key: 'description' | 'renamedFrom' | 'tags';
    same: (a: unknown, b: unknown) => boolean;
  }[] = [
    { key: 'description', same: (a, b) => a === b },
    { key: 'tags', same: (a, b) => sameSet(a as string[] | undefined, b as string[] | undefined) },
    { key: 'renamedFrom', same: (a, b) => a === b },
  ];
  for (const { key, same } of fields) {
    // `renamedFrom` on a renamed column names the column it was matched with, not metadata.
    if (key === 'renamedFrom' && next.renamedFrom === previous.name) continue;
    const before = previous[key];
    const after = next[key];
    if (same(before, after)) continue;
    changes.push({
      rule: 'METADATA_CHANGED',
      path: `${path}.${key}`,
      column: next.name,
      ...defined('before', before),
      ...defined('after', after),
      message: `column "${next.name}" ${key} changed`,
    });
  }
  return changes;
};

/** The aspects of a column, in the order their changes are reported. */
const COLUMN_ASPECTS: readonly Aspect[] = [
  typeAspect,
  nullabilityAspect,
  defaultAspect,
  acceptedValuesAspect,
  boundsAspect,
  patternAspect,
  referencesAspect,
  piiAspect,
  metadataAspect,
];
