// Which checks a built dataset must pass: the contract's column constraints (each implies a check),
// its `quality` list and `freshness` block, and the step's extra `gates`, in that order.
import { qualityCheckIds } from '@pipectl/compat';
import { type Column, type Contract, isNullable, primaryKeyOf, type QualityCheck } from '@pipectl/spec';
import type { CheckOrigin, CheckSpec } from './check-spec.js';

/**
 * The checks of a dataset built by a step. Implied checks have severity `error` and
 * `maxFailing: 0`, and are named `<check>_<column>` (`unique_order_id_line_number` for a
 * composite primary key); ids are unique across all sources.
 * @example deriveChecks(contract, step.gates).map((c) => c.id) // ['not_null_order_id', 'unique_order_id', ...]
 */
export function deriveChecks(
  contract: Contract | undefined,
  gates: readonly QualityCheck[] = [],
): CheckSpec[] {
  const sourced: { rule: QualityCheck; origin: CheckOrigin }[] = [];
  if (contract) {
    for (const rule of impliedByColumns(contract)) sourced.push({ rule, origin: 'constraint' });
    for (const rule of contract.quality) sourced.push({ rule, origin: 'contract' });
    if (contract.freshness) {
      const { column, maxAge, severity } = contract.freshness;
      sourced.push({ rule: implied({ check: 'freshness', column, maxAge, severity }), origin: 'freshness' });
    }
  }
  for (const rule of gates) sourced.push({ rule, origin: 'gate' });
  const ids = qualityCheckIds(sourced.map((s) => s.rule));
  return sourced.map((s, i) => ({ id: ids[i] as string, origin: s.origin, rule: s.rule }));
}

/** The checks the column constraints of a contract imply, one kind after another per column. */
function impliedByColumns(contract: Contract): QualityCheck[] {
  const key = primaryKeyOf(contract);
  const rules: QualityCheck[] = [];
  for (const column of contract.columns) {
    rules.push(...impliedByColumn(column, key));
    if (column.name === key[key.length - 1] && key.length > 0) {
      // The key's uniqueness, after its last column, over all key columns together.
      rules.push(
        implied(
          key.length === 1 ? { check: 'unique', column: column.name } : { check: 'unique', columns: key },
        ),
      );
    }
  }
  return rules;
}

function impliedByColumn(column: Column, key: readonly string[]): QualityCheck[] {
  const name = column.name;
  const rules: QualityCheck[] = [];
  if (!isNullable(column)) rules.push(implied({ check: 'not_null', column: name }));
  // A single-column key already implies this uniqueness.
  if (column.unique && !(key.length === 1 && key[0] === name))
    rules.push(implied({ check: 'unique', column: name }));
  if (column.acceptedValues)
    rules.push(implied({ check: 'accepted_values', column: name, values: column.acceptedValues }));
  if (column.pattern !== undefined)
    rules.push(implied({ check: 'pattern', column: name, regex: column.pattern }));
  if (column.min !== undefined || column.max !== undefined) {
    rules.push(
      implied({
        check: 'range',
        column: name,
        ...(column.min !== undefined ? { min: column.min } : {}),
        ...(column.max !== undefined ? { max: column.max } : {}),
        exclusive: false,
      }),
    );
  }
  if (column.references !== undefined)
    rules.push(implied({ check: 'relationships', column: name, to: column.references }));
  return rules;
}

type CommonField = 'severity' | 'maxFailing' | 'samples' | 'onFail';
type Implied = QualityCheck extends infer Q
  ? Q extends QualityCheck
    ? Omit<Q, CommonField> & Partial<Pick<Q, CommonField>>
    : never
  : never;

/**
 * A rule with the schema's defaults (severity error, maxFailing 0, 5 samples, onFail fail), built
 * directly rather than parsed: the contract was validated already, and library callers may use
 * names YAML would refuse.
 */
function implied(input: Implied): QualityCheck {
  return { severity: 'error', maxFailing: 0, samples: 5, onFail: 'fail', ...input } as QualityCheck;
}
