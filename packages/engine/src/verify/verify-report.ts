// What `pipectl verify` reports for one dataset: the schema checks (the table is there, every
// contract column present with the contract's type) first, then the contract's row and relation
// checks as the quality gate reports them. JSON-safe, like the quality report it extends.
import type { CheckResult, QualitySummary } from '../quality/quality-report.js';

/** A schema check: the relation exists, or one drift of its columns from the contract. */
export interface SchemaCheckResult extends Omit<CheckResult, 'kind' | 'origin' | 'status'> {
  readonly kind: 'schema';
  readonly origin: 'schema';
  readonly status: 'pass' | 'fail';
  /** What to do about a failing one. */
  readonly hint?: string;
}

export type VerifyCheck = CheckResult | SchemaCheckResult;

export interface VerifyReport {
  readonly dataset: string;
  /** The relation checked, quoted: `"analytics"."daily_signups"`. */
  readonly relation: string;
  /** False when the relation is not in the warehouse (one failing check says so). */
  readonly exists: boolean;
  readonly rowsChecked: number;
  /** No blocking check. */
  readonly passed: boolean;
  /** Schema checks first, then the contract's checks (and its step's gates) in contract order. */
  readonly checks: readonly VerifyCheck[];
  readonly summary: QualitySummary;
  readonly ms: number;
}
