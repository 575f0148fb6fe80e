// The same promise, spelled differently, gets the same verdict: a column is unique through
// `unique: true`, a one-column primary key, or a blocking `unique` quality check; it is not null
// through `nullable: false`, a primary key, or a blocking `not_null` check. For any two generated
// contracts and any column, re-spelling the promise on either side never changes the verdict
// under any mode.
import { type Contract, contractSchema } from '@pipectl/spec';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkCompatibility } from '../src/index.js';
import { BASE_MODES, type Verdict } from '../src/rules/rule-catalog.js';
import { contractYaml } from './support/fixtures.js';

/** How a column promises uniqueness and not-null. */
type Spelling = 'flags' | 'primary-key' | 'checks';
const SPELLINGS: readonly Spelling[] = ['flags', 'primary-key', 'checks'];

/** What one column promises, independent of spelling. */
interface Promise {
  readonly unique: boolean;
  readonly required: boolean;
}

const COLUMNS = ['id', 'code', 'amount'] as const;

/**
 * A contract whose columns make the given promises, each spelled as asked. `primary-key` spells
 * unique-and-required as a one-column key (so only one column may use it; the others fall back to
 * flags), and a lone `required` as a flag.
 */
function spelled(promises: readonly Promise[], spellings: readonly Spelling[]): Contract {
  const columns: Record<string, unknown>[] = [];
  const quality: Record<string, unknown>[] = [];
  let keyUsed = false;
  promises.forEach((promise, index) => {
    const name = COLUMNS[index] as string;
    const column: Record<string, unknown> = { name, type: 'varchar' };
    const spelling = spellings[index] ?? 'flags';
    if (spelling === 'primary-key' && promise.unique && promise.required && !keyUsed) {
      keyUsed = true;
      column.primaryKey = true;
    } else if (spelling === 'checks') {
      if (promise.unique) quality.push({ check: 'unique', column: name });
      if (promise.required) quality.push({ check: 'not_null', column: name });
    } else {
      if (promise.unique) column.unique = true;
      if (promise.required) column.nullable = false;
    }
    columns.push(column);
  });
  return contractSchema.parse({
    apiVersion: 'pipectl/v1',
    kind: 'Contract',
    name: 'sales.orders',
    version: '1.0.0',
    owner: 'sales-data@example.com',
    columns,
    quality,
  });
}

/** The verdict of the whole change under each base mode. */
function verdicts(before: Contract, after: Contract): Record<string, Verdict> {
  return Object.fromEntries(
    BASE_MODES.map((mode) => {
      const report = checkCompatibility([before], after, mode);
      return [mode, report.breaking ? 'breaking' : report.needsReview ? 'review' : 'compatible'];
    }),
  );
}

const promise = fc.record({ unique: fc.boolean(), required: fc.boolean() });
const promises = fc.array(promise, { minLength: 1, maxLength: COLUMNS.length });
const spellings = fc.array(fc.constantFrom(...SPELLINGS), {
  minLength: COLUMNS.length,
  maxLength: COLUMNS.length,
});

describe('one promise, one verdict, however it is spelled', () => {
  test('re-spelling unique / primary key / not null on either side keeps every verdict', () => {
    fc.assert(
      fc.property(
        promises,
        promises,
        spellings,
        spellings,
        spellings,
        spellings,
        (beforePromises, afterPromises, s1, s2, s3, s4) => {
          const width = Math.min(beforePromises.length, afterPromises.length);
          const b = beforePromises.slice(0, width);
          const a = afterPromises.slice(0, width);
          const reference = verdicts(spelled(b, s1), spelled(a, s2));
          expect(verdicts(spelled(b, s3), spelled(a, s4))).toEqual(reference);
        },
      ),
      { numRuns: 400 },
    );
  });

  test.each(SPELLINGS)('dropping uniqueness spelled as %s breaks forward, and only forward', (spelling) => {
    const before = spelled([{ unique: true, required: true }], [spelling]);
    const after = spelled([{ unique: false, required: true }], ['flags']);
    expect(verdicts(before, after)).toEqual({
      backward: 'compatible',
      forward: 'breaking',
      full: 'breaking',
      none: 'compatible',
    });
  });

  test('a key that grows loses the uniqueness of its smaller key; one that shrinks gains it', () => {
    const narrow = contractYaml(`
      columns:
        - name: order_id
          type: bigint
          primaryKey: true
        - name: line
          type: integer
          nullable: false
    `);
    const wide = contractYaml(`
      columns:
        - name: order_id
          type: bigint
          primaryKey: true
        - name: line
          type: integer
          primaryKey: true
    `);
    const grow = checkCompatibility([narrow], wide, 'forward').changes.map((c) => `${c.rule} ${c.path}`);
    expect(grow).toEqual(['UNIQUE_REMOVED columns.order_id.unique', 'PRIMARY_KEY_CHANGED primaryKey']);
    const shrink = checkCompatibility([wide], narrow, 'backward').changes.map((c) => `${c.rule} ${c.path}`);
    expect(shrink).toEqual(['UNIQUE_ADDED columns.order_id.unique', 'PRIMARY_KEY_CHANGED primaryKey']);
  });

  test('a composite unique check and a composite primary key are the same promise', () => {
    const checked = contractYaml(`
      columns:
        - name: order_id
          type: bigint
          nullable: false
        - name: line
          type: integer
          nullable: false
      quality:
        - check: unique
          columns: [order_id, line]
    `);
    const keyed = contractYaml(`
      columns:
        - name: order_id
          type: bigint
          primaryKey: true
        - name: line
          type: integer
          primaryKey: true
    `);
    const none = contractYaml(`
      columns:
        - name: order_id
          type: bigint
          nullable: false
        - name: line
          type: integer
          nullable: false
    `);
    expect(verdicts(checked, none)).toEqual(verdicts(keyed, none));
    expect(verdicts(none, checked)).toEqual(verdicts(none, keyed));
    expect(verdicts(checked, keyed)).toEqual(verdicts(keyed, keyed));
  });

  test('a warn-only check is not the promise: making not_null warn drops the promise', () => {
    const strict = contractYaml(`
      columns:
        - name: amount
          type: decimal(12,2)
      quality:
        - check: not_null
          column: amount
    `);
    const lenient = contractYaml(`
      columns:
        - name: amount
          type: decimal(12,2)
      quality:
        - check: not_null
          column: amount
          severity: warn
    `);
    const rules = checkCompatibility([strict], lenient, 'forward').changes.map(
      (c) => `${c.rule} ${c.verdict}`,
    );
    expect(rules).toEqual(['FIELD_REQUIRED_REMOVED breaking']);
  });
});
