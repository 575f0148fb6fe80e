import { parseDataType } from '@pipectl/spec';
import { afterAll, describe, expect, test } from 'vitest';
import { createDuckDbSqlBinder } from '../src/index.js';
import { readDuckDbError } from '../src/sql/binder-error.js';
import { losslessCast } from '../src/typing/lossless-cast.js';

const sessions: { close(): void }[] = [];
afterAll(() => {
  for (const session of sessions) session.close();
});
const bind = (relations: Parameters<ReturnType<typeof createDuckDbSqlBinder>['open']>[0], sql: string[]) => {
  const session = createDuckDbSqlBinder().open(relations);
  sessions.push(session);
  return session.bind(sql);
};

const type = (text: string) => {
  const parsed = parseDataType(text);
  if (!parsed.ok) throw parsed.error;
  return parsed.type;
};

describe('DuckDB binds queries against empty relations with the declared types', () => {
  const orders = {
    dataset: 'raw.orders',
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'placed_at', type: 'timestamp' },
    ],
  };

  test('result types are DuckDB’s, as DESCRIBE of the built table spells them', async () => {
    const [bound] = await bind(
      [orders],
      ['select count(*) as n, sum(amount) as total, current_timestamp as at from "raw"."orders"'],
    );
    expect(bound).toEqual({
      ok: true,
      columns: [
        { name: 'n', type: 'BIGINT' },
        { name: 'total', type: 'DECIMAL(38,2)' },
        { name: 'at', type: 'TIMESTAMP WITH TIME ZONE' },
      ],
    });
  });

  test('a relation whose type DuckDB refuses is left out, and the others are still created', async () => {
    const broken = { dataset: 'raw.broken', columns: [{ name: 'x', type: 'no_such_type' }] };
    const bound = await bind(
      [broken, orders],
      ['select id from "raw"."orders"', 'select x from "raw"."broken"'],
    );
    expect(bound.map((b) => (b.ok ? b.columns : b.errorType))).toEqual([
      [{ name: 'id', type: 'INTEGER' }],
      'Catalog',
    ]);
  });

  test('unknown functions, columns and tables are errors at their position in the query', async () => {
    const sql = [
      'select upper_case(id) from "raw"."orders"',
      'select\n  idd from "raw"."orders"',
      'select 1 from raw.nope',
    ];
    const bound = await bind([orders], sql);
    expect(bound.map((b) => (b.ok ? b : [b.errorType, b.position]))).toEqual([
      ['Catalog', 7],
      ['Binder', 9],
      ['Catalog', 14],
    ]);
  });
});

test('DuckDB errors are read for their class, message and position, also in a shortened excerpt', () => {
  const sql = `select ${'x, '.repeat(40)}foo(1) from t`;
  const excerpt = 'LINE 1: ...x, x, x, foo(1) from t';
  const caret = `${' '.repeat(excerpt.indexOf('foo'))}^`;
  const raw = `Catalog Error: Scalar Function with name foo does not exist!\nDid you mean "floor"?\n\n${excerpt}\n${caret}`;
  expect(readDuckDbError(raw, sql)).toEqual({
    errorType: 'Catalog',
    message: 'Scalar Function with name foo does not exist! Did you mean "floor"?',
    position: sql.indexOf('foo'),
  });
});

test.each([
  ['integer', 'bigint', true],
  ['bigint', 'integer', false],
  ['decimal(12,2)', 'decimal(18,2)', true],
  ['decimal(38,2)', 'decimal(12,2)', false],
  ['decimal(12,2)', 'decimal(12,3)', false],
  ['integer', 'decimal(12,2)', true],
  ['bigint', 'decimal(12,2)', false],
  ['timestamptz', 'timestamp', false],
  ['date', 'timestamp', true],
  ['uinteger', 'bigint', true],
  ['float', 'double', true],
])('a cast from %s to %s is lossless: %s', (from, to, lossless) => {
  expect(losslessCast(type(from), type(to))).toBe(lossless);
});
