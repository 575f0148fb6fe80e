// The table of check kinds: each kind's module, keyed by the `check` value of the YAML.
import type { QualityCheck, QualityCheckKind } from '@pipectl/spec';
import type { CheckKind, Measurement, RequiredColumn, SqlContext } from './check-kind.js';
import { acceptedValuesCheck } from './checks/accepted-values.js';
import { freshnessCheck } from './checks/freshness.js';
import { missingCountCheck } from './checks/missing-count.js';
import { notNullCheck } from './checks/not-null.js';
import { patternCheck } from './checks/pattern.js';
import { rangeCheck } from './checks/range.js';
import { relationshipsCheck } from './checks/relationships.js';
import { rowCountCheck } from './checks/row-count.js';
import { sqlCheck } from './checks/sql.js';
import { uniqueCheck } from './checks/unique.js';

export const CHECK_KINDS: { readonly [K in QualityCheckKind]: CheckKind<K> } = {
  not_null: notNullCheck,
  unique: uniqueCheck,
  accepted_values: acceptedValuesCheck,
  range: rangeCheck,
  pattern: patternCheck,
  missing_count: missingCountCheck,
  relationships: relationshipsCheck,
  row_count: rowCountCheck,
  freshness: freshnessCheck,
  sql: sqlCheck,
};

/** A kind's module seen through any rule: `kindOf(rule)` pairs each rule with its own kind's module. */
export interface RuleKind {
  columns(rule: QualityCheck): readonly string[];
  requires?(rule: QualityCheck): readonly RequiredColumn[];
  describe(rule: QualityCheck): string;
  measure(rule: QualityCheck, context: SqlContext): Measurement;
}

/**
 * The module of the rule's kind. The table is keyed by `check`, so the module found always
 * receives rules of its own kind; the cast only forgets that pairing.
 */
export function kindOf(rule: QualityCheck): RuleKind {
  return CHECK_KINDS[rule.check] as unknown as RuleKind;
}
