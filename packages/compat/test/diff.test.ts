// diff: what the differ reports for changes that need more than one fixture to show.
import { describe, expect, test } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { diffContracts } from '../src/diff/diff-contracts.js';
import { type Change, diff } from '../src/index.js';
import { contractYaml } from './support/fixtures.js';

const summary = (changes: readonly Change[]) => changes.map((change) => `${change.rule} ${change.path}`);

describe('diff', () => {
  test('a contract compared with itself has no changes', () => {
    const contract = contractYaml(`
      columns:
        - name: id
          type: bigint
          primaryKey: true
    `);
    expect(diff(contract, contract)).toEqual([]);
  });

  test('fields added, removed and changed inside a struct are their own changes, with paths below the type', () => {
    const before = contractYaml(`
      columns:
        - name: address
          type: struct(city integer, zip varchar, geo struct(lat float, lon float))
    `);
    const after = contractYaml(`
      columns:
        - name: address
          type: struct(city bigint, geo struct(lat double, lon float), country varchar)
    `);
    const changes = diff(before, after);
    expect(summary(changes)).toEqual([
      'FIELD_TYPE_WIDENED columns.address.type.city',
      'FIELD_REMOVED columns.address.type.zip',
      'FIELD_TYPE_WIDENED columns.address.type.geo.lat',
      'FIELD_ADDED_OPTIONAL columns.address.type.country',
    ]);
    expect(changes.every((change) => change.column === 'address')).toBe(true);
    expect(changes.map((change) => change.message)).toMatchInlineSnapshot(`
      [
        "column "address" type.city widened from integer to bigint",
        "column "address" loses struct field type.zip (varchar)",
        "column "address" type.geo.lat widened from float to double",
        "column "address" gains struct field type.country (varchar)",
      ]
    `);
  });

  test('list elements and map values are compared on their own paths', () => {
    const before = contractYaml(`
      columns:
        - name: tags
          type: integer[]
        - name: counts
          type: map(varchar, integer)
    `);
    const after = contractYaml(`
      columns:
        - name: tags
          type: bigint[]
        - name: counts
          type: map(varchar, bigint)
    `);
    expect(summary(diff(before, after))).toEqual([
      'FIELD_TYPE_WIDENED columns.tags.type.element',
      'FIELD_TYPE_WIDENED columns.counts.type.value',
    ]);
  });

  test('a rename is followed by the changes of the renamed column, under its new name', () => {
    const before = contractYaml(`
      columns:
        - name: customer
          type: integer
          primaryKey: true
    `);
    const after = contractYaml(`
      columns:
        - name: customer_id
          type: bigint
          primaryKey: true
          renamedFrom: customer
    `);
    // The key is the same column under its new name, so the primary key did not change.
    expect(summary(diff(before, after))).toEqual([
      'FIELD_RENAMED columns.customer_id',
      'FIELD_TYPE_WIDENED columns.customer_id.type',
    ]);
  });

  test('quality checks and freshness follow a renamed column', () => {
    const before = contractYaml(`
      columns:
        - name: placed
          type: timestamp
      quality:
        - check: not_null
          column: placed
      freshness:
        column: placed
        maxAge: 26h
    `);
    const after = contractYaml(`
      columns:
        - name: placed_at
          type: timestamp
          renamedFrom: placed
      quality:
        - check: not_null
          column: placed_at
      freshness:
        column: placed_at
        maxAge: 26h
    `);
    expect(summary(diff(before, after))).toEqual(['FIELD_RENAMED columns.placed_at']);
  });

  test('renamedFrom naming a column that still exists is a copy: an addition, not a rename', () => {
    const before = contractYaml(`
      columns:
        - name: customer
          type: bigint
    `);
    const after = contractYaml(`
      columns:
        - name: customer
          type: bigint
        - name: customer_id
          type: bigint
          renamedFrom: customer
    `);
    expect(summary(diff(before, after))).toEqual(['FIELD_ADDED_OPTIONAL columns.customer_id']);
  });

  test('a rename without renamedFrom is a removal and an addition', () => {
    const before = contractYaml(`
      columns:
        - name: customer
          type: bigint
    `);
    const after = contractYaml(`
      columns:
        - name: customer_id
          type: bigint
    `);
    expect(summary(diff(before, after))).toEqual([
      'FIELD_REMOVED columns.customer',
      'FIELD_ADDED_OPTIONAL columns.customer_id',
    ]);
  });

  test('a primary key column is never nullable, whatever `nullable` says', () => {
    const before = contractYaml(`
      columns:
        - name: id
          type: bigint
          primaryKey: true
    `);
    const after = contractYaml(`
      columns:
        - name: id
          type: bigint
    `);
    // The key promised id unique and not null: both promises go with it.
    expect(summary(diff(before, after))).toEqual([
      'FIELD_REQUIRED_REMOVED columns.id.nullable',
      'UNIQUE_REMOVED columns.id.unique',
      'PRIMARY_KEY_CHANGED primaryKey',
    ]);
  });

  test('accepted values that gain one value and lose another report both rules', () => {
    const before = contractYaml(`
      columns:
        - name: status
          type: varchar
          acceptedValues: [placed, shipped]
    `);
    const after = contractYaml(`
      columns:
        - name: status
          type: varchar
          acceptedValues: [placed, delivered]
    `);
    expect(summary(diff(before, after))).toEqual([
      'ENUM_VALUE_ADDED columns.status.acceptedValues',
      'ENUM_VALUE_REMOVED columns.status.acceptedValues',
    ]);
  });

  test('bounds that cannot be compared move both ways', () => {
    const before = contractYaml(`
      columns:
        - name: placed_at
          type: varchar
          min: 0
    `);
    const after = contractYaml(`
      columns:
        - name: placed_at
          type: varchar
          min: '2020-01-01'
    `);
    expect(summary(diff(before, after))).toEqual([
      'CONSTRAINT_TIGHTENED columns.placed_at.min',
      'CONSTRAINT_RELAXED columns.placed_at.min',
    ]);
  });

  test('date bounds compare as dates', () => {
    const before = contractYaml(`
      columns:
        - name: placed_on
          type: date
          min: '2020-01-01'
    `);
    const after = contractYaml(`
      columns:
        - name: placed_on
          type: date
          min: '2019-06-30'
    `);
    expect(summary(diff(before, after))).toEqual(['CONSTRAINT_RELAXED columns.placed_on.min']);
  });

  test('quality checks are matched by name or default name; a check stricter in one field and looser in another reports both', () => {
    const before = contractYaml(`
      columns:
        - name: amount
          type: decimal(12,2)
      quality:
        - check: range
          column: amount
          min: 0
          max: 1000
        - check: row_count
          min: 1
    `);
    const after = contractYaml(`
      columns:
        - name: amount
          type: decimal(12,2)
      quality:
        - check: range
          column: amount
          min: 1
          max: 5000
          description: Amounts are positive.
        - check: unique
          column: amount
          severity: warn
    `);
    const changes = diff(before, after);
    expect(
      changes.map((change) => `${change.rule} ${change.path}: ${change.message}`),
    ).toMatchInlineSnapshot(`
      [
        "QUALITY_STRENGTHENED quality.range_amount: quality check "range_amount" is stricter (min 0 -> 1)",
        "QUALITY_WEAKENED quality.range_amount: quality check "range_amount" is looser (max 1000 -> 5000)",
        "METADATA_CHANGED quality.range_amount: quality check "range_amount" description changed",
        "QUALITY_WEAKENED quality.row_count: quality check "row_count" (row_count) removed",
        "QUALITY_STRENGTHENED quality.unique_amount: quality check "unique_amount" (unique) added",
      ]
    `);
  });

  test('contract metadata changes are METADATA_CHANGED; lists compare as sets', () => {
    const before = contractYaml(`
      description: Orders.
      tags: [sales, core]
      approvers: [ana]
      columns:
        - name: id
          type: bigint
    `);
    const after = contractYaml(`
      description: Orders placed online.
      tags: [core, sales]
      approvers: [ana, bo]
      columns:
        - name: id
          type: bigint
    `);
    expect(summary(diff(before, after))).toEqual([
      'METADATA_CHANGED description',
      'METADATA_CHANGED approvers',
    ]);
  });

  test('a column added with personal data is an addition: its tag comes with it', () => {
    const before = contractYaml(`
      columns:
        - name: id
          type: bigint
    `);
    const after = contractYaml(`
      columns:
        - name: id
          type: bigint
        - name: email
          type: varchar
          pii: email
    `);
    expect(summary(diff(before, after))).toEqual(['FIELD_ADDED_OPTIONAL columns.email']);
  });

  test('types are compared after parsing, so aliases are no change', () => {
    const before = contractYaml(`
      columns:
        - name: id
          type: INT8
        - name: at
          type: timestamp with time zone
    `);
    const after = contractYaml(`
      columns:
        - name: id
          type: bigint
        - name: at
          type: timestamptz
    `);
    expect(diff(before, after)).toEqual([]);
  });

  test('types the loader would reject are compared as written', () => {
    const before = contractYaml(`
      columns:
        - name: id
          type: bigint
    `);
    const after = {
      ...before,
      columns: [{ ...before.columns[0], name: 'id', type: 'bigintt' }],
    } as typeof before;
    expect(summary(diff(before, after))).toEqual(['FIELD_TYPE_CHANGED columns.id.type']);
  });
});

describe('waivers', () => {
  const before = contractYaml(`
    columns:
      - name: id
        type: bigint
      - name: legacy_code
        type: varchar
      - name: address
        type: struct(city varchar, zip varchar)
  `);

  test('the next version waives a rule at a path, and at every path below it', () => {
    const after = contractYaml(`
      columns:
        - name: id
          type: bigint
        - name: address
          type: struct(city varchar)
      except:
        - rule: FIELD_REMOVED
          path: columns.address
          reason: zip was never populated
    `);
    const changes = classify(diff(before, after), 'forward');
    expect(changes.map((change) => [change.path, change.verdict, change.waived?.reason])).toEqual([
      ['columns.legacy_code', 'breaking', undefined],
      ['columns.address.type.zip', 'breaking', 'zip was never populated'],
      ['except', 'compatible', undefined],
    ]);
  });

  test('a waiver without a path waives the rule everywhere', () => {
    const after = contractYaml(`
      columns:
        - name: id
          type: bigint
      except:
        - rule: FIELD_REMOVED
          reason: consumers migrated in ticket DATA-42
    `);
    const changes = diff(before, after).filter((change) => change.rule === 'FIELD_REMOVED');
    expect(changes).toHaveLength(2);
    expect(changes.every((change) => change.waived?.reason === 'consumers migrated in ticket DATA-42')).toBe(
      true,
    );
  });

  test('waivers come from the next version only', () => {
    const after = contractYaml(`
      columns:
        - name: id
          type: bigint
    `);
    const waiving = { ...before, except: [{ rule: 'FIELD_REMOVED', reason: 'old waiver' }] };
    expect(diff(waiving, after).some((change) => change.waived)).toBe(false);
  });

  test('a removed dataset has no next version, so nothing waives its removal', () => {
    expect(diffContracts(before, undefined)).toEqual([
      {
        rule: 'DATASET_REMOVED',
        path: '',
        before: 'sales.orders',
        message:
          'dataset "sales.orders" removed (was version 1.0.0): it was not deprecated first (declare `deprecation` with a date in a released version, then remove it on or after that date)',
      },
    ]);
  });
});
