// Each check kind passes on good data and fails on bad data, with the failing rows as samples; the
// fused scan gives exactly the answers of one query per check.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CheckSpec, type QualityReport, runQualityGate } from '../../src/index.js';
import { type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';
import { warehouseKinds } from '../support/warehouse-kinds.js';
import { createCheckTable, KIND_CASES, NOW } from './check-table.js';

describe.each(warehouseKinds())('on a $name', (kind) => {
  let db: TempWarehouse;
  beforeAll(async () => {
    db = await tempWarehouse(kind);
    await createCheckTable(db.warehouse);
  });
  afterAll(() => db.close());

  const gate = (checks: CheckSpec[], strategy: 'fused' | 'per-check' = 'fused'): Promise<QualityReport> =>
    runQualityGate(db.warehouse, { dataset: 'sales.items', checks, runId: 'run-1', now: NOW, strategy });

  const spec = (id: string, r: CheckSpec['rule']): CheckSpec => ({ id, origin: 'gate', rule: r });

  describe('each check kind', () => {
    test.each(KIND_CASES)('$kind passes when the data keeps the rule', async ({ passing }) => {
      const report = await gate([spec('check', passing)]);
      const [result] = report.checks;
      expect(result?.message).toBeUndefined();
      expect(result?.status).toBe('pass');
      expect(result?.samples).toEqual([]);
      expect(report.passed).toBe(true);
    });

    test.each(KIND_CASES)(
      '$kind fails when the data breaks the rule, with samples',
      async ({ failing, failingIds, observed }) => {
        const report = await gate([spec('check', failing)]);
        const [result] = report.checks;
        expect(result?.message).toBeUndefined();
        expect(report.passed).toBe(false);
        if (failingIds === undefined) {
          expect(result).toMatchObject({ status: 'fail', blocking: true, observed, samples: [] });
          return;
        }
        expect(result).toMatchObject({ status: 'fail', blocking: true, failingRows: failingIds.length });
        expect(result?.samples.map((row) => row.id)).toEqual(failingIds);
      },
    );
  });

  describe('the fused scan', () => {
    const all = KIND_CASES.flatMap((c, i) => [spec(`pass_${i}`, c.passing), spec(`fail_${i}`, c.failing)]);

    test('gives the same answers as one query per check, over every kind', async () => {
      const fused = await gate(all, 'fused');
      const separate = await gate(all, 'per-check');
      expect(fused.checks).toEqual(separate.checks);
      expect(fused.rowsChecked).toBe(5);
    });

    test('reads the relation in one query, plus one recount and one sample query per failing check', async () => {
      const fused = await gate(all, 'fused');
      const separate = await gate(all, 'per-check');
      const failing = fused.checks.filter((c) => c.status === 'fail' && c.failingRows !== undefined);
      // The scan screens uniqueness (keys minus distinct keys); failing unique checks are then
      // counted exactly by one more query (one per check when each check has its own query).
      const failingUnique = failing.filter((c) => c.kind === 'unique').length;
      expect(fused.queries).toBe(1 + 1 + failing.length);
      expect(separate.queries).toBe(all.length + failingUnique + failing.length);
    });

    test('gives the same verdict for each check as running it alone', async () => {
      const fused = await gate(all);
      for (const [index, check] of all.entries()) {
        const alone = await gate([check]);
        expect(fused.checks[index], check.id).toEqual(alone.checks[0]);
      }
    });

    test('one check with a bad value errors alone while the others are still measured', async () => {
      const report = await gate([
        spec('bad_bound', {
          ...(KIND_CASES[4]?.failing as CheckSpec['rule']),
          min: 'not a number',
        } as CheckSpec['rule']),
        spec('fine', KIND_CASES[0]?.failing as CheckSpec['rule']),
      ]);
      expect(report.checks[0]).toMatchObject({ status: 'error', blocking: true });
      expect(report.checks[0]?.message).toContain('Could not convert');
      expect(report.checks[1]).toMatchObject({ status: 'fail', failingRows: 1 });
    });
  });

  describe('checks that cannot run', () => {
    test('an unknown column is an error naming the closest column', async () => {
      const report = await gate([
        spec('nn', {
          ...(KIND_CASES[0]?.failing as CheckSpec['rule']),
          column: 'amout',
        } as CheckSpec['rule']),
      ]);
      expect(report.checks[0]).toMatchObject({
        status: 'error',
        blocking: true,
        message: 'column "amout" is not in sales.items (did you mean "amount"?)',
      });
    });

    test('a relationship to a dataset not built yet is skipped, not failed', async () => {
      const r = {
        ...(KIND_CASES[9]?.failing as CheckSpec['rule']),
        to: 'sales.nowhere.id',
      } as CheckSpec['rule'];
      const report = await gate([spec('rel', r)]);
      expect(report.checks[0]).toMatchObject({
        status: 'skipped',
        blocking: false,
        message: 'sales.nowhere does not exist yet, so references to it cannot be checked',
      });
      expect(report.passed).toBe(true);
    });
  });
});
