// Which checks a dataset gets: implied by column constraints, the contract's quality and freshness,
// then the step's gates; ids as compat names them.
import { describe, expect, test } from 'vitest';
import { deriveChecks } from '../../src/index.js';
import { fixtureContract, rule } from '../helpers/temp-warehouse.js';

describe('deriveChecks', () => {
  test('column constraints, contract quality, freshness and gates, in that order', () => {
    const checks = deriveChecks(fixtureContract('orders'), [
      rule({ check: 'not_null', column: 'email', severity: 'warn', maxFailing: '5%' }),
      rule({ check: 'not_null', column: 'amount' }),
    ]);
    expect(
      checks.map((c) => `${c.origin} ${c.id} ${c.rule.severity} ${c.rule.maxFailing}`),
    ).toMatchInlineSnapshot(`
      [
        "constraint not_null_order_id error 0",
        "constraint unique_order_id error 0",
        "constraint not_null_customer_id error 0",
        "constraint relationships_customer_id error 0",
        "constraint not_null_status error 0",
        "constraint accepted_values_status error 0",
        "constraint pattern_email error 0",
        "constraint not_null_amount error 0",
        "constraint range_amount error 0",
        "constraint not_null_ordered_at error 0",
        "contract has_orders error 0",
        "contract no_free_paid_orders error 0",
        "freshness freshness_ordered_at warn 0",
        "gate not_null_email warn 5%",
        "gate not_null_amount_2 error 0",
      ]
    `);
  });

  test('a composite primary key implies not_null per column and one unique over all of them', () => {
    const checks = deriveChecks(fixtureContract('order-lines'));
    expect(checks.map((c) => c.id)).toEqual([
      'not_null_order_id',
      'not_null_line_number',
      'unique_order_id_line_number',
      'not_null_quantity',
      'range_quantity',
    ]);
    expect(checks[2]?.rule).toMatchObject({ check: 'unique', columns: ['order_id', 'line_number'] });
  });

  test('implied range bounds are inclusive, implied checks tolerate nothing', () => {
    const range = deriveChecks(fixtureContract('orders')).find((c) => c.id === 'range_amount');
    expect(range?.rule).toEqual({
      check: 'range',
      column: 'amount',
      min: 0,
      max: 1000,
      exclusive: false,
      severity: 'error',
      maxFailing: 0,
      samples: 5,
      onFail: 'fail',
    });
  });

  test('without a contract, only the gates', () => {
    expect(
      deriveChecks(undefined, [rule({ check: 'row_count', name: 'some', min: 1 })]).map((c) => c.id),
    ).toEqual(['some']);
  });
});
