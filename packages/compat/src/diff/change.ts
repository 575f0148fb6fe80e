// A Change is one difference between two versions of a contract, named by a stable rule id and
// placed by a path into the contract. The differ produces them; classification adds a verdict.
import type { RuleId } from '../rules/rule-catalog.js';

export interface Change {
  readonly rule: RuleId;
  /**
   * Where in the contract, dot-separated: `columns.amount.type`, `columns.address.type.city`
   * (a struct field), `columns.tags.type.element`, `quality.row_count`, `freshness`, `name`.
   * Whole-dataset changes (added, removed) have the empty path.
   */
  readonly path: string;
  /** The top-level column the change is about, when it is about one. */
  readonly column?: string;
  /** The value before and after (JSON-friendly: strings, numbers, lists, plain objects). */
  readonly before?: unknown;
  readonly after?: unknown;
  /** One sentence naming the field and quoting the values. */
  readonly message: string;
  /** Set when the next contract's `except` waives this change: it stays visible but never blocks. */
  readonly waived?: { readonly reason: string };
}

/** `{ before: value }` when the value is defined, `{}` otherwise (exactOptionalPropertyTypes). */
export function defined<K extends string>(key: K, value: unknown): { [P in K]?: unknown } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: unknown });
}
