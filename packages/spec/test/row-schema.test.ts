// Row schemas: the JSON Schema of one record of a contract's dataset, and the validator that
// quarantines bad JSON records with a reason.
import { describe, expect, test } from 'vitest';
import { type Contract, createRowValidator, parseDocument } from '../src/index.js';
import { contractRowSchema } from '../src/rows/row-schema.js';
import { fixtureText } from './support.js';

const contract = (() => {
  const result = parseDocument('orders.contract.yaml', fixtureText('rows/orders.contract.yaml'));
  if (result.document?.kind !== 'Contract') throw new Error(JSON.stringify(result.issues));
  return result.document.value as Contract;
})();
const validate = createRowValidator(contract);

const VALID = {
  order_id: 1,
  quantity: 2,
  priority: 3,
  status: 'placed',
  channel: 'web',
  code: 'AB-12',
  country: 'DE',
  amount: '12.50',
  ordered_at: '2024-05-01T10:00:00Z',
  day: '2024-05-01',
  token: '0f8fad5b-d9cb-469f-a165-70867728950e',
  active: true,
  address: { street: 'Main St 1', zip: '12345' },
  tags: ['a', 'b'],
  point: [1.5, 2.5],
  counts: { a: 1, b: 2 },
  payload: { anything: ['goes', 1, null] },
};

describe('createRowValidator', () => {
  test('a row with every column right has no problems', () => {
    expect(validate(VALID)).toEqual([]);
  });

  test('only the primary key and non-nullable columns are required; extra fields are allowed', () => {
    expect(
      validate({ order_id: '9007199254740993', quantity: 1, status: 'shipped', extra: 'dropped later' }),
    ).toEqual([]);
  });

  test('nullable columns accept null, also in structs and enums', () => {
    const row = {
      ...VALID,
      priority: null,
      channel: null,
      code: null,
      amount: null,
      address: { street: null, zip: null },
      tags: null,
      payload: null,
    };
    expect(validate(row)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, { pointer: string; message: string }[]]>([
    [
      'a missing required column',
      { quantity: undefined },
      [{ pointer: '/quantity', message: 'required column "quantity" is missing' }],
    ],
    [
      'a null in a non-nullable column',
      { status: null },
      [
        { pointer: '/status', message: 'status must be a string, found null' },
        { pointer: '/status', message: 'status must be one of "placed", "shipped", found null' },
      ],
    ],
    [
      'a null primary key',
      { order_id: null },
      [{ pointer: '/order_id', message: 'order_id must be an integer or a string, found null' }],
    ],
    [
      'a string in an integer column',
      { quantity: 'two' },
      [{ pointer: '/quantity', message: 'quantity must be an integer, found "two"' }],
    ],
    [
      'a fraction in an integer column',
      { quantity: 1.5 },
      [{ pointer: '/quantity', message: 'quantity must be an integer, found 1.5' }],
    ],
    [
      'a value below the declared min',
      { quantity: 0 },
      [{ pointer: '/quantity', message: 'quantity must be >= 1, found 0' }],
    ],
    [
      'a value out of the type range',
      { priority: 300 },
      [{ pointer: '/priority', message: 'priority must be <= 127, found 300' }],
    ],
    [
      'a value above the declared max',
      { amount: 1000.5 },
      [{ pointer: '/amount', message: 'amount must be <= 1000, found 1000.5' }],
    ],
    [
      'a decimal string that is not a number',
      { amount: '12,50' },
      [{ pointer: '/amount', message: 'amount must match pattern "^-?\\d+(\\.\\d+)?$", found "12,50"' }],
    ],
    [
      'a value outside acceptedValues',
      { channel: 'phone' },
      [{ pointer: '/channel', message: 'channel must be one of "web", "store", null, found "phone"' }],
    ],
    [
      'a value not matching the pattern',
      { code: 'ab-12' },
      [{ pointer: '/code', message: 'code must match pattern "^[A-Z]{2}-[0-9]+$", found "ab-12"' }],
    ],
    [
      'a string longer than its varchar(n)',
      { country: 'DEU' },
      [{ pointer: '/country', message: 'country must NOT have more than 2 characters, found "DEU"' }],
    ],
    [
      'a date in another format',
      { day: '01.05.2024' },
      [{ pointer: '/day', message: 'day must match pattern "^\\d{4}-\\d{2}-\\d{2}$", found "01.05.2024"' }],
    ],
    [
      'a timestamp that is not ISO 8601',
      { ordered_at: 'yesterday' },
      [
        {
          pointer: '/ordered_at',
          message: expect.stringMatching(/^ordered_at must match pattern .*, found "yesterday"$/),
        },
      ],
    ],
    [
      'a malformed uuid',
      { token: 'abc' },
      [{ pointer: '/token', message: expect.stringMatching(/^token must match pattern .*, found "abc"$/) }],
    ],
    [
      'a string for a boolean',
      { active: 'yes' },
      [{ pointer: '/active', message: 'active must be a boolean or null, found "yes"' }],
    ],
    [
      'a wrong struct field type',
      { address: { street: 'x', zip: 12345 } },
      [{ pointer: '/address/zip', message: 'address.zip must be a string or null, found 12345' }],
    ],
    [
      'a too-long struct field',
      { address: { street: 'x', zip: '123456' } },
      [
        {
          pointer: '/address/zip',
          message: 'address.zip must NOT have more than 5 characters, found "123456"',
        },
      ],
    ],
    [
      'an unknown struct field',
      { address: { street: 'x', city: 'y' } },
      [{ pointer: '/address/city', message: 'address has an unknown field "city"' }],
    ],
    [
      'a list element of the wrong type',
      { tags: ['a', 2] },
      [{ pointer: '/tags/1', message: 'tags[1] must be a string, found 2' }],
    ],
    [
      'a scalar for a list',
      { tags: 'a' },
      [{ pointer: '/tags', message: 'tags must be an array or null, found "a"' }],
    ],
    [
      'a fixed-size array of the wrong size',
      { point: [1] },
      [{ pointer: '/point', message: 'point must NOT have fewer than 2 items, found [1]' }],
    ],
    [
      'a map value of the wrong type',
      { counts: { a: 'x' } },
      [{ pointer: '/counts/a', message: 'counts.a must be an integer, found "x"' }],
    ],
  ])('%s is a problem at its pointer', (_, change, problems) => {
    const row: Record<string, unknown> = { ...VALID, ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete row[key];
    expect(validate(row)).toEqual(problems);
  });

  test('every problem in a row is reported, not only the first', () => {
    const problems = validate({ order_id: 1, quantity: 'x', status: 'lost', country: 'DEU' });
    expect(problems.map((p) => p.pointer)).toEqual(['/quantity', '/status', '/country']);
  });

  test('a record that is not an object is one problem at the root', () => {
    expect(validate([1, 2])).toEqual([{ pointer: '/', message: '(record) must be an object, found [1,2]' }]);
  });
});

describe('contractRowSchema', () => {
  test('is a draft-07 object schema requiring the non-nullable columns', () => {
    const schema = contractRowSchema(contract);
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'raw.orders row (contract 1.0.0)',
      type: 'object',
      required: ['order_id', 'quantity', 'status'],
    });
  });

  test('maps column types to JSON types', () => {
    const properties = contractRowSchema(contract).properties as Record<string, unknown>;
    expect(properties.order_id).toEqual({ type: ['integer', 'string'], pattern: '^-?\\d+$' });
    expect(properties.priority).toEqual({ type: ['integer', 'null'], minimum: -128, maximum: 127 });
    expect(properties.country).toEqual({ type: ['string', 'null'], maxLength: 2 });
    expect(properties.status).toEqual({ type: 'string', enum: ['placed', 'shipped'] });
    expect(properties.payload).toEqual({});
  });
});
