// The result of a quality gate: one entry per check with what was expected and observed, failing
// counts and samples, plus totals and timings. JSON-safe and small, to travel as a Temporal payload.
import type { QualityCheckKind } from '@pipectl/spec';
import type { JsonRow, JsonValue } from '../report/json-safe.js';
import type { CheckOrigin } from './check-spec.js';

/**
 * - `pass`: within its threshold.
 * - `fail`: beyond it (blocking at severity `error`; a warning at `warn`).
 * - `quarantined`: its failing rows were moved to the quarantine table (`onFail: quarantine`).
 * - `error`: it could not run (unknown column, SQL error, custom SQL not read-only).
 * - `skipped`: a relation it needs does not exist yet (a `relationships` target not built).
 */
export type CheckStatus = 'pass' | 'fail' | 'quarantined' | 'error' | 'skipped';

export interface CheckResult {
  readonly id: string;
  readonly kind: QualityCheckKind;
  readonly origin: CheckOrigin;
  readonly column?: string;
  readonly columns?: readonly string[];
  readonly severity: 'error' | 'warn';
  readonly status: CheckStatus;
  /** Failed or errored at severity `error`: nothing may be published. */
  readonly blocking: boolean;
  /** The rule in a few words: `country_code in (DE, AT, FR)`. */
  readonly rule: string;
  readonly expected: string;
  readonly observed: string;
  /** Row checks: failing rows found, and how many the threshold allows. */
  readonly failingRows?: number;
  readonly allowedFailing?: number;
  /** Relation checks: the measured value (row count, age in seconds). */
  readonly value?: JsonValue;
  readonly quarantinedRows?: number;
  /** Up to `samples` failing rows (capped in number and size). */
  readonly samples: readonly JsonRow[];
  /** More samples existed than the report keeps. */
  readonly samplesTruncated?: boolean;
  /** Why the check errored or was skipped. */
  readonly message?: string;
  readonly description?: string;
}

export interface QualitySummary {
  readonly passed: number;
  /** Failed at severity error (blocking). */
  readonly failed: number;
  /** Failed at severity warn. */
  readonly warned: number;
  readonly quarantined: number;
  readonly errored: number;
  readonly skipped: number;
}

export interface QualityReport {
  readonly dataset: string;
  /** The relation tested (the staging relation of a step). */
  readonly relation: string;
  /** Rows of the relation when the verdicts were made (after quarantine). */
  readonly rowsChecked: number;
  readonly rowsQuarantined: number;
  /** No blocking check: the dataset may be published. */
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
  readonly summary: QualitySummary;
  /** SQL statements run against the warehouse, samples included. */
  readonly queries: number;
  readonly timings: {
    readonly scanMs: number;
    readonly quarantineMs: number;
    readonly samplesMs: number;
    readonly totalMs: number;
  };
}

export function summarize(checks: readonly Pick<CheckResult, 'status' | 'severity'>[]): QualitySummary {
  const count = (test: (check: Pick<CheckResult, 'status' | 'severity'>) => boolean) =>
    checks.filter(test).length;
  return {
    passed: count((c) => c.status === 'pass'),
    failed: count((c) => c.status === 'fail' && c.severity === 'error'),
    warned: count((c) => c.status === 'fail' && c.severity === 'warn'),
    quarantined: count((c) => c.status === 'quarantined'),
    errored: count((c) => c.status === 'error'),
    skipped: count((c) => c.status === 'skipped'),
  };
}
