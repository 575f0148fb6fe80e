// What each check kind declares about itself. Shared code (the scan planner, the runner) reads
// these declarations and never branches on a kind: adding a kind is adding a module to the table
// in check-kinds.ts.
import type { QualityCheckKind } from '@pipectl/spec';
import type { JsonValue } from '../report/json-safe.js';
import type { RuleOf } from './check-spec.js';

/** What a kind's SQL may refer to. Every name reaching SQL goes through these (quoted). */
export interface SqlContext {
  /** The relation under test, quoted (`"mart"."_pipectl_stage_..."`). */
  readonly relation: string;
  /** The dataset it will be published as (`mart.orders`). */
  readonly dataset: string;
  /**
   * A column of the relation under test inside the scan over it, which is aliased `r`: `r."amount"`.
   * Give another alias for a subquery over the same relation.
   */
  column(name: string, alias?: string): string;
  /** DuckDB's type of a column of the relation under test (`VARCHAR`, `DECIMAL(12,2)`), if known. */
  columnType(name: string): string | undefined;
  /** The relation of another dataset; the relation under test when it names the dataset itself. */
  relationOf(dataset: string): string;
  /** Reads `{{ this }}` in custom SQL as the relation under test. */
  renderThis(sql: string): string;
}

/** A relation a check needs besides the one under test, and the column it reads there. */
export interface RequiredColumn {
  readonly dataset: string;
  readonly column: string;
}

/** The verdict of a check that judges the relation as a whole (row_count, freshness). */
export interface RelationVerdict {
  readonly passed: boolean;
  /** What was expected and what was found, in words: `at least 30 rows`, `12 rows`. */
  readonly expected: string;
  readonly observed: string;
  /** The measured value, JSON-safe: a row count, an age in seconds. */
  readonly value: JsonValue;
}

/** What the relation-level judge receives besides the aggregate values. */
export interface JudgeContext {
  readonly rowCount: number;
  readonly now: Date;
}

/**
 * How a kind is measured. Row checks give a failing-row filter (fused into the one scan as
 * `count(*) FILTER (WHERE ...)`, and reused for samples and quarantine); relation checks give
 * aggregates and judge them; custom SQL gives a query whose rows are the failing rows.
 */
export type Measurement =
  | {
      readonly type: 'rows';
      /** True for a failing row of the relation under test (alias `r`); may hold uncorrelated subqueries. */
      readonly filter: string;
      /** Optional ordering of samples, e.g. by key so duplicates show side by side. */
      readonly sampleOrder?: string;
      /**
       * An aggregate that is 0 exactly when no row fails, cheaper than counting failing rows
       * (uniqueness: non-null keys minus distinct keys). The fused scan computes it instead, and
       * failing rows are counted only for checks whose screen is not 0.
       */
      readonly screen?: string;
    }
  | {
      readonly type: 'relation';
      /** Aggregate expressions over the relation under test (alias `r`), computed in the fused scan. */
      readonly aggregates: readonly string[];
      judge(values: readonly unknown[], context: JudgeContext): RelationVerdict;
    }
  | {
      readonly type: 'query';
      /** A read-only SELECT (already checked); each row it returns is a failing row. */
      readonly query: string;
    };

export interface CheckKind<K extends QualityCheckKind> {
  readonly kind: K;
  /** Columns of the relation under test the rule reads; each must exist before any SQL runs. */
  columns(rule: RuleOf<K>): readonly string[];
  /** Columns of other datasets the rule reads; the check is skipped while one is missing. */
  requires?(rule: RuleOf<K>): readonly RequiredColumn[];
  /** The rule in a few words, for reports: `country_code in (DE, AT, FR)`. */
  describe(rule: RuleOf<K>): string;
  measure(rule: RuleOf<K>, context: SqlContext): Measurement;
}
