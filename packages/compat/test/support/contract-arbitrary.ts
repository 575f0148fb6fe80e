// fast-check arbitraries that build valid Contract values (through the real zod schema): a few
// columns drawn from a small pool of names, so two generated contracts share columns often, with
// varied DuckDB types, constraints, quality checks and freshness.
import { COMPATIBILITY_MODES, type Contract, contractSchema } from '@pipectl/spec';
import fc from 'fast-check';

const COLUMN_NAMES = ['id', 'amount', 'status', 'note', 'address'] as const;

const TYPES = [
  'tinyint',
  'integer',
  'bigint',
  'uinteger',
  'float',
  'double',
  'decimal(10,2)',
  'decimal(12,2)',
  'decimal(12,4)',
  'varchar',
  'varchar(16)',
  'varchar(64)',
  'json',
  'date',
  'timestamp',
  'timestamp_ms',
  'timestamptz',
  'boolean',
  'integer[]',
  'bigint[]',
  'integer[3]',
  'map(varchar, integer)',
  'map(varchar, bigint)',
  'struct(a integer, b varchar)',
  'struct(a bigint)',
  'struct(a integer, c struct(x float))',
] as const;

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** Drops keys whose value is undefined, as YAML would not write them. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const bound = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('2020-01-01', '2021-06-30'));

function columnArbitrary(name: string, withRenames: boolean) {
  return fc
    .record({
      type: fc.constantFrom(...TYPES),
      nullable: fc.boolean(),
      primaryKey: fc.boolean(),
      unique: fc.boolean(),
      acceptedValues: optional(fc.subarray(['a', 'b', 'c'], { minLength: 1 })),
      min: optional(bound),
      max: optional(bound),
      minLength: optional(fc.integer({ min: 0, max: 3 })),
      maxLength: optional(fc.integer({ min: 3, max: 6 })),
      pattern: optional(fc.constantFrom('^[a-z]+$', '^[A-Z]+$')),
      pii: optional(fc.constantFrom('email', 'name')),
      default: optional(fc.constantFrom('x', 0)),
      references: optional(fc.constantFrom('sales.customers.id', 'sales.stores.id')),
      renamedFrom: withRenames ? optional(fc.constantFrom(...COLUMN_NAMES)) : fc.constant(undefined),
      description: optional(fc.constantFrom('first', 'second')),
      tags: optional(fc.subarray(['core', 'finance'])),
    })
    .map((column) => compact({ name, ...column }));
}

const qualityArbitrary = fc
  .tuple(
    fc.oneof(
      fc.record({ check: fc.constant('not_null'), column: fc.constantFrom(...COLUMN_NAMES) }),
      fc.record({ check: fc.constant('unique'), column: fc.constantFrom(...COLUMN_NAMES) }),
      fc.record({
        check: fc.constant('row_count'),
        min: optional(fc.nat(10)),
        max: optional(fc.integer({ min: 10, max: 20 })),
      }),
      fc.record({
        check: fc.constant('range'),
        column: fc.constantFrom(...COLUMN_NAMES),
        min: optional(fc.integer({ min: -3, max: 3 })),
        max: optional(fc.integer({ min: 3, max: 9 })),
        exclusive: fc.boolean(),
      }),
      fc.record({
        check: fc.constant('accepted_values'),
        column: fc.constantFrom(...COLUMN_NAMES),
        values: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
      }),
      fc.record({
        check: fc.constant('freshness'),
        column: fc.constantFrom(...COLUMN_NAMES),
        maxAge: fc.constantFrom('1h', '26h', '2d'),
      }),
      fc.record({ check: fc.constant('sql'), query: fc.constantFrom('select 1', 'select 2') }),
    ),
    fc.record({
      name: optional(fc.constantFrom('first_check', 'second_check')),
      severity: optional(fc.constantFrom('error', 'warn')),
      maxFailing: optional(fc.constantFrom(0, 5, '1%', '2.5%')),
      description: optional(fc.constantFrom('checked', 'audited')),
    }),
  )
  .map(([check, common]) => compact({ ...check, ...common }));

/** A valid Contract; `withRenames` lets columns carry `renamedFrom`. */
export function contractArbitrary({ withRenames = true } = {}): fc.Arbitrary<Contract> {
  return fc
    .record({
      name: fc.constantFrom('sales.orders', 'sales.order_lines'),
      version: fc.constantFrom('1.0.0', '1.1.0', '2.0.0'),
      owner: fc.constantFrom('sales-data@example.com', 'finance@example.com'),
      description: optional(fc.constantFrom('Orders.', 'All orders.')),
      compatibility: fc.constantFrom(...COMPATIBILITY_MODES),
      approvers: fc.subarray(['ana', 'bo']),
      tags: optional(fc.subarray(['sales', 'core'])),
      columns: fc
        .uniqueArray(fc.constantFrom(...COLUMN_NAMES), { minLength: 1, maxLength: 4 })
        .chain((names) => fc.tuple(...names.map((name) => columnArbitrary(name, withRenames)))),
      quality: fc.array(qualityArbitrary, { maxLength: 3 }),
      freshness: optional(
        fc.record({
          column: fc.constantFrom(...COLUMN_NAMES),
          maxAge: fc.constantFrom('2h', '26h'),
          severity: fc.constantFrom('error', 'warn'),
        }),
      ),
      except: fc.subarray([
        { rule: 'FIELD_REMOVED', reason: 'agreed with consumers' },
        { rule: 'FIELD_TYPE_WIDENED', path: 'columns.amount', reason: 'readers use double' },
      ]),
    })
    .map((input) => contractSchema.parse(compact({ apiVersion: 'pipectl/v1', kind: 'Contract', ...input })));
}
