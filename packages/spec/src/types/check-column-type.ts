// Which column types a check can judge, as a table per check kind: a freshness check needs a date
// or timestamp, numeric bounds need a number column. Checked at validate (PIPE1018), because at
// run time DuckDB would refuse the check's SQL (`epoch(INTEGER)`) or, worse, compare text with
// numbers. Kinds that work on any type (not_null, unique, pattern, ...) are not listed.
import type { QualityCheck, QualityCheckKind } from '../schema/quality-check.js';
import { type DataType, parseDataType } from './data-type.js';

export interface TypeMisfit {
  /** The field of the check that does not fit, e.g. `min` (the column itself when undefined). */
  readonly field?: string;
  readonly message: string;
  readonly hint: string;
}

type Rule<K extends QualityCheckKind> = (
  check: Extract<QualityCheck, { check: K }>,
  type: DataType,
  written: string,
) => TypeMisfit | undefined;

const TEMPORAL = new Set(['date', 'timestamp', 'timestamp_s', 'timestamp_ms', 'timestamp_ns', 'timestamptz']);
const NUMERIC = new Set([
  'tinyint',
  'smallint',
  'integer',
  'bigint',
  'hugeint',
  'utinyint',
  'usmallint',
  'uinteger',
  'ubigint',
  'uhugeint',
  'float',
  'double',
]);

export const isTemporalType = (type: DataType): boolean =>
  type.kind === 'primitive' && TEMPORAL.has(type.name);
export const isNumericType = (type: DataType): boolean =>
  type.kind === 'decimal' || (type.kind === 'primitive' && NUMERIC.has(type.name));

const RULES: { readonly [K in QualityCheckKind]?: Rule<K> } = {
  freshness: (check, type, written) =>
    isTemporalType(type)
      ? undefined
      : {
          message: `a freshness check needs a date or timestamp column; "${check.column}" is ${written}`,
          hint: 'point the check at a timestamp column (e.g. loaded_at), or declare this column as timestamp',
        },
  range: (check, type, written) => {
    for (const field of ['min', 'max'] as const) {
      const bound = check[field];
      if (typeof bound === 'number' && !isNumericType(type)) {
        return {
          field,
          message: `${field}: ${bound} is a number, but column "${check.column}" is ${written}`,
          hint: isTemporalType(type)
            ? `write the bound as a quoted date or timestamp, e.g. ${field}: '2020-01-01'`
            : type.kind === 'varchar'
              ? `for a length limit write ${field === 'min' ? 'minLength' : 'maxLength'}: ${bound}; for numbers declare the column numeric`
              : 'numeric bounds need a number column: remove the bound or change the column type',
        };
      }
      if (
        typeof bound === 'string' &&
        !isTemporalType(type) &&
        type.kind !== 'varchar' &&
        !isNumericType(type)
      ) {
        return {
          field,
          message: `${field}: "${bound}" cannot bound column "${check.column}" of type ${written}`,
          hint: 'bounds apply to numbers, dates, timestamps and text',
        };
      }
    }
    return undefined;
  },
};

/**
 * Why `check` cannot judge a column of type `columnType`, or undefined when it can (or the type
 * does not parse, which PIPE1009 reports).
 * @example checkColumnType({ check: 'freshness', column: 'id', maxAge: '1d', ... }, 'integer')?.message
 */
export function checkColumnType(check: QualityCheck, columnType: string): TypeMisfit | undefined {
  const parsed = parseDataType(columnType);
  if (!parsed.ok) return undefined;
  const rule = RULES[check.check] as Rule<QualityCheckKind> | undefined;
  return rule?.(check as never, parsed.type, columnType);
}
