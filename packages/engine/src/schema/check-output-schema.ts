// Does a step's output fit its contract? Every contract column present with a type DuckDB stores
// the same way, and nothing the contract does not declare. Checked before publishing, so a type
// mismatch is a clear message instead of a surprise for consumers.
import type { Contract } from '@pipectl/spec';
import { didYouMean } from '@pipectl/spec';
import type { ObservedColumn } from '../warehouse/describe-relation.js';
import { quoteIdent } from '../warehouse/identifiers.js';
import { storageType } from './storage-type.js';

export type SchemaProblemCode = 'COLUMN_MISSING' | 'COLUMN_NOT_IN_CONTRACT' | 'TYPE_MISMATCH';

export interface SchemaProblem {
  readonly code: SchemaProblemCode;
  readonly column: string;
  /** The contract's type (for TYPE_MISMATCH and COLUMN_MISSING). */
  readonly expected?: string;
  /** The output's type, as DuckDB names it. */
  readonly observed?: string;
  readonly message: string;
  readonly hint: string;
}

export interface SchemaCheck {
  readonly ok: boolean;
  readonly problems: readonly SchemaProblem[];
}

/**
 * Compares the observed columns of a step's output with its contract.
 * @example checkOutputSchema(contract, [{ name: 'order_count', type: 'BIGINT', nullable: true }]).problems[0].message
 * // 'column "order_count" is BIGINT in the output but integer in contract mart.daily_revenue'
 */
export function checkOutputSchema(contract: Contract, observed: readonly ObservedColumn[]): SchemaCheck {
  const problems: SchemaProblem[] = [];
  const byName = new Map(observed.map((column) => [column.name, column]));
  const declared = new Set(contract.columns.map((column) => column.name));
  const observedNames = observed.map((column) => column.name);
  for (const column of contract.columns) {
    const found = byName.get(column.name);
    if (!found) {
      const hint = didYouMean(
        column.name,
        observedNames.filter((name) => !declared.has(name)),
      );
      problems.push({
        code: 'COLUMN_MISSING',
        column: column.name,
        expected: column.type,
        message: `column "${column.name}" of contract ${contract.name} is missing from the output${hint ? ` (${hint})` : ''}`,
        hint: `select it in the step's SQL: ... as ${quoteIdent(column.name)}`,
      });
      continue;
    }
    if (storageType(found.type) !== storageType(column.type)) {
      problems.push({
        code: 'TYPE_MISMATCH',
        column: column.name,
        expected: column.type,
        observed: found.type,
        message: `column "${column.name}" is ${found.type} in the output but ${column.type} in contract ${contract.name}`,
        hint: `cast it in the step's SQL: cast(... as ${column.type}) as ${quoteIdent(column.name)}, or change the contract's type`,
      });
    }
  }
  for (const column of observed) {
    if (declared.has(column.name)) continue;
    const hint = didYouMean(
      column.name,
      [...declared].filter((name) => !byName.has(name)),
    );
    problems.push({
      code: 'COLUMN_NOT_IN_CONTRACT',
      column: column.name,
      observed: column.type,
      message: `column "${column.name}" (${column.type}) is in the output but not in contract ${contract.name}${hint ? ` (${hint})` : ''}`,
      hint: 'declare it in the contract, or leave it out of the SELECT',
    });
  }
  return { ok: problems.length === 0, problems };
}
