// The engine-neutral description of one check: the rule as written (or implied by a contract),
// its stable id and where it came from. Per-kind modules compile it to SQL; nothing here knows SQL.
import type { QualityCheck, QualityCheckKind } from '@pipectl/spec';

/** Where a check was declared. */
export type CheckOrigin =
  /** Implied by a column constraint of the contract (`nullable: false`, `unique`, `pattern`, ...). */
  | 'constraint'
  /** The contract's `quality` list. */
  | 'contract'
  /** The contract's `freshness` block. */
  | 'freshness'
  /** The pipeline step's `gates`. */
  | 'gate';

/** The rule of one kind, e.g. `RuleOf<'range'>` has `min`, `max`, `exclusive`. */
export type RuleOf<K extends QualityCheckKind> = Extract<QualityCheck, { check: K }>;

export interface CheckSpec<K extends QualityCheckKind = QualityCheckKind> {
  /** Stable id in reports: the check's `name`, else `<check>_<column>`, with `_2`, `_3` for repeats. */
  readonly id: string;
  readonly origin: CheckOrigin;
  /** The rule with its defaults applied (severity, maxFailing, samples, onFail). */
  readonly rule: RuleOf<K>;
}
