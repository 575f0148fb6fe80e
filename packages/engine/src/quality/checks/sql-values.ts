// Values from YAML as SQL literals. Strings are quoted literals, which DuckDB casts to the column's
// type where they meet it (so '2024-01-01' compares with a date and '7' with an integer); numbers
// must be finite and are written as they are; booleans as TRUE/FALSE.
import { quoteLiteral } from '../../warehouse/identifiers.js';

export type Scalar = string | number | boolean;

export function sqlValue(value: Scalar): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
    return String(value);
  }
  return quoteLiteral(value);
}

/**
 * Values to compare with a column: all as text literals when the column holds text (a number
 * against a VARCHAR would make DuckDB cast every value of the column to a number), else as typed.
 */
export function valueList(values: readonly Scalar[], columnType: string | undefined): string {
  const text = columnType !== undefined && isTextType(columnType);
  return values.map((value) => (text ? quoteLiteral(String(value)) : sqlValue(value))).join(', ');
}

export function isTextType(type: string): boolean {
  return /^(varchar|json|enum)/i.test(type.trim());
}

/** `a, b, c` for a report, capped at `max` values. */
export function showValues(values: readonly Scalar[], max = 8): string {
  const shown = values.slice(0, max).map(String).join(', ');
  return values.length > max ? `${shown}, … (${values.length} values)` : shown;
}
