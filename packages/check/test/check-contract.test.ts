// One contract, two versions: each kind of change is placed on the YAML line that says it (what
// is gone is placed at the list it left), and the version line is found for the bump.
import { type ContractDocument, parseDocument } from '@pipectl/spec';
import { describe, expect, test } from 'vitest';
import { checkContract } from '../src/index.js';

const BASE = `apiVersion: pipectl/v1
kind: Contract
name: sales.orders
version: 1.0.0
owner: sales@example.com
columns:
  - name: order_id
    type: bigint
    primaryKey: true
  - name: amount
    type: decimal(12,2)
  - name: status
    type: varchar
    acceptedValues: [NEW, PAID]
quality:
  - check: row_count
    min: 1
`;

function contract(file: string, text: string): ContractDocument {
  const parsed = parseDocument(file, text);
  if (parsed.document?.kind !== 'Contract') throw new Error(JSON.stringify(parsed.issues));
  return parsed.document;
}

const base = contract('contracts/orders.contract.yaml', BASE);

describe('where each change is written', () => {
  test.each([
    [
      'a narrowed type, at the type',
      'type: decimal(12,2)',
      'type: decimal(10,2)',
      'FIELD_TYPE_NARROWED',
      '11:11',
    ],
    ['an added accepted value, at the list', '[NEW, PAID]', '[NEW, PAID, VOID]', 'ENUM_VALUE_ADDED', '14:21'],
    [
      'a removed column, at the columns key',
      '  - name: status\n    type: varchar\n    acceptedValues: [NEW, PAID]\n',
      '',
      'FIELD_REMOVED',
      '6:1',
    ],
    ['a stricter quality check, at the check', 'min: 1', 'min: 5', 'QUALITY_STRENGTHENED', '16:5'],
    [
      'a renamed dataset, at its name',
      'name: sales.orders',
      'name: sales.all_orders',
      'DATASET_RENAMED',
      '3:7',
    ],
    [
      'a new owner, at the owner',
      'owner: sales@example.com',
      'owner: finance@example.com',
      'METADATA_CHANGED',
      '5:8',
    ],
    [
      'a changed key, at the first key column',
      '    primaryKey: true\n',
      '    primaryKey: true\n  - name: line\n    type: integer\n    primaryKey: true\n',
      'PRIMARY_KEY_CHANGED',
      '9:17',
    ],
  ])('%s', (_what, from, to, rule, place) => {
    const head = contract('contracts/orders.contract.yaml', BASE.replace(from, to));
    const check = checkContract({ base, head });
    const change = check.changes.find((candidate) => candidate.rule === rule);
    expect(change, JSON.stringify(check.changes.map((c) => c.rule))).toBeDefined();
    expect(`${change?.location?.line}:${change?.location?.col}`).toBe(place);
    expect(change?.location?.side).toBe('head');
  });
});

describe('a contract check', () => {
  test("judges under the base version's mode, or the mode asked for", () => {
    const head = contract(
      'contracts/orders.contract.yaml',
      BASE.replace('type: decimal(12,2)', 'type: decimal(18,2)'),
    );
    expect(checkContract({ base, head }).changes[0]).toMatchObject({
      rule: 'FIELD_TYPE_WIDENED',
      verdict: 'breaking',
    });
    expect(checkContract({ base, head, mode: 'backward' }).changes[0]?.verdict).toBe('compatible');
  });

  test('checks the version bump, placed at the version line', () => {
    const head = contract(
      'contracts/orders.contract.yaml',
      BASE.replace('[NEW, PAID]', '[NEW, PAID, VOID]').replace('1.0.0', '1.1.0'),
    );
    const check = checkContract({ base, head });
    expect(check.versionCheck).toMatchObject({ ok: false, required: 'major', suggested: '2.0.0' });
    expect(check.versionLocation).toEqual({
      file: 'contracts/orders.contract.yaml',
      line: 4,
      col: 10,
      side: 'head',
    });
    expect(check.failed).toBe(true);
  });

  test('a new contract is added, a removed one is placed in the base file', () => {
    expect(checkContract({ head: base })).toMatchObject({
      status: 'added',
      changes: [{ rule: 'DATASET_ADDED' }],
    });
    const removed = checkContract({ base });
    expect(removed).toMatchObject({ status: 'removed', file: 'contracts/orders.contract.yaml' });
    expect(removed.changes[0]?.location).toEqual({
      file: 'contracts/orders.contract.yaml',
      line: 3,
      col: 7,
      side: 'base',
    });
  });
});
