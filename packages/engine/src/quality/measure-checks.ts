// Measures a relation's prepared checks: one fused scan of them all (plus one exact recount of the
// screened checks that found something), or one query per check; a fused scan that fails is
// measured again check by check, so each error lands on its own check.
import { capString, toCount } from '../report/json-safe.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type MeasuredCheck, planScan, ROW_COUNT_SLOT } from './plan-scan.js';

/** What a check measured: its slots' values and the relation's row count, or the error. */
export type Values =
  | { readonly ok: true; readonly values: readonly unknown[]; readonly rowCount: number }
  | { readonly ok: false; readonly error: string };

/**
 * Measures checks: one fused scan (plus one exact recount when a screen found failures), or one
 * query per check; a failing fused scan is retried per check to find the culprit.
 */
export async function measureChecks(
  warehouse: Warehouse,
  relation: string,
  checks: readonly MeasuredCheck[],
  strategy: 'fused' | 'per-check',
): Promise<{ values: Map<string, Values>; queries: number }> {
  const values = new Map<string, Values>();
  if (checks.length === 0) return { values, queries: 0 };
  let queries = 0;
  /** One scan; screened checks that found something are counted exactly by a second one. */
  const scan = async (group: readonly MeasuredCheck[]) => {
    const plan = planScan(relation, group);
    queries++;
    const [row] = await warehouse.all(plan.sql);
    for (const check of group) values.set(check.id, valuesOf(row ?? {}, plan.slots.get(check.id) ?? []));
    const recount = group.filter((check) => {
      const v = values.get(check.id);
      return plan.screened.has(check.id) && v?.ok === true && toCount(v.values[0]) !== 0;
    });
    if (recount.length === 0) return;
    const exact = planScan(relation, recount, { exact: true });
    queries++;
    const [exactRow] = await warehouse.all(exact.sql);
    for (const check of recount)
      values.set(check.id, valuesOf(exactRow ?? {}, exact.slots.get(check.id) ?? []));
  };
  if (strategy === 'fused') {
    try {
      await scan(checks);
      return { values, queries };
    } catch {
      // Fall through: measured one by one, each error lands on its own check.
      values.clear();
    }
  }
  for (const check of checks) {
    try {
      await scan([check]);
    } catch (error) {
      values.set(check.id, { ok: false, error: firstLine(error) });
    }
  }
  return { values, queries };
}

/** A check's values from its slots of the scan's row. */
function valuesOf(row: Record<string, unknown>, slots: readonly string[]): Values {
  return { ok: true, values: slots.map((slot) => row[slot]), rowCount: toCount(row[ROW_COUNT_SLOT]) };
}

/** The first line of an error's message, capped. */
function firstLine(error: unknown): string {
  return capString((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'error', 500);
}
