// The three equivalent projects of the peer benchmark, written into bench/.out/peers/: the quality
// benchmark's 20 checks (bench/quality/workload.ts) over the same 10-million-row Parquet file, as
//   pipectl       a contract with the 20 checks as its `quality` and a pipeline landing the file
//   dbt           a dbt-duckdb project: the file as a source (external_location) and 20 data tests
//   datacontract  an ODCS 3 contract for datacontract-cli with the same rules on a local server
// RULES maps each check id to what implements it in dbt and datacontract, so a run's failing
// checks can be compared rule by rule.
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS, parquetPath, OUT_DIR as QUALITY_DIR } from '../quality/workload.js';

export const OUT_DIR = join(import.meta.dirname, '..', '.out', 'peers');
/** The pipectl project; its data/ folder holds the Parquet files all three tools read. */
export const PIPECTL_DIR = join(OUT_DIR, 'pipectl');
export const DATA_DIR = join(PIPECTL_DIR, 'data');
export const DBT_DIR = join(OUT_DIR, 'dbt');
export const DATACONTRACT_DIR = join(OUT_DIR, 'datacontract');

/**
 * `failing`: the quality workload as it is (range_amount fails: every 2000th amount is -1).
 * `passing`: range_amount allows -1, so every error-severity check passes and pipectl commits
 * (copies) the 10 million rows into its scratch warehouse, as a clean day's run does.
 */
export type Scenario = 'failing' | 'passing';

/** How each of the 20 checks is written for dbt and datacontract, by check id. */
export const RULES: Record<string, { dbt: string; datacontract: string[] }> = {
  not_null_order_id: { dbt: 'not_null', datacontract: ['orders__order_id__field_required'] },
  unique_order_id: { dbt: 'unique', datacontract: ['orders__order_id__field_unique'] },
  not_null_customer_id: { dbt: 'not_null', datacontract: ['orders__customer_id__field_required'] },
  relationships_customer_id: {
    dbt: 'relationships, error_if >0.1% of rows',
    datacontract: ['orders__customer_id__quality_sql_0'],
  },
  relationships_product_id: {
    dbt: 'relationships',
    datacontract: ['orders__product_id__products__product_id__field_relationships'],
  },
  not_null_status: { dbt: 'not_null', datacontract: ['orders__status__field_required'] },
  accepted_values_status: { dbt: 'accepted_values', datacontract: ['orders__status__field_invalid_values'] },
  pattern_currency_code: {
    dbt: 'pattern (project generic test)',
    datacontract: ['orders__currency_code__field_regex'],
  },
  range_amount: {
    dbt: 'range (project generic test)',
    datacontract: ['orders__amount__field_minimum', 'orders__amount__field_maximum'],
  },
  range_discount: { dbt: 'range', datacontract: ['orders__discount__field_minimum'] },
  range_quantity: {
    dbt: 'range',
    datacontract: ['orders__quantity__field_minimum', 'orders__quantity__field_maximum'],
  },
  email_mostly_present: {
    dbt: 'missing_count, severity warn, warn_if >5% of rows',
    datacontract: ['orders__email__field_missing_values'],
  },
  pattern_email: { dbt: 'pattern, severity warn', datacontract: ['orders__email__field_invalid_values'] },
  accepted_values_country_code: {
    dbt: 'accepted_values',
    datacontract: ['orders__country_code__field_invalid_values'],
  },
  not_null_ordered_at: { dbt: 'not_null', datacontract: ['orders__ordered_at__field_required'] },
  range_ordered_at: { dbt: 'range', datacontract: ['orders__ordered_at__quality_sql_0'] },
  freshness_ordered_at: {
    dbt: 'freshness (project generic test)',
    datacontract: ['orders__ordered_at__servicelevel_freshness'],
  },
  enough_orders: { dbt: 'row_count_min (project generic test)', datacontract: ['orders__row_count'] },
  discount_within_amount: {
    dbt: 'singular test, severity warn',
    datacontract: ['orders__quality_sql_1'],
  },
  accepted_values_sales_channel: {
    dbt: 'accepted_values',
    datacontract: ['orders__sales_channel__field_invalid_values'],
  },
};

const COLUMNS: [name: string, duckdb: string, odcs: string][] = [
  ['order_id', 'bigint', 'integer'],
  ['customer_id', 'integer', 'integer'],
  ['product_id', 'integer', 'integer'],
  ['status', 'varchar', 'string'],
  ['currency_code', 'varchar', 'string'],
  ['amount', 'decimal(12,2)', 'number'],
  ['discount', 'decimal(12,2)', 'number'],
  ['quantity', 'integer', 'integer'],
  ['email', 'varchar', 'string'],
  ['country_code', 'varchar', 'string'],
  ['sales_channel', 'varchar', 'string'],
  ['ordered_at', 'timestamp', 'timestamp'],
];

/** The check's rule as the quality workload has it (ids and rules stay in one place). */
function rule(id: string): Record<string, unknown> {
  const found = CHECKS.find((check) => check.id === id);
  if (!found) throw new Error(`bench/quality/workload.ts has no check ${id}`);
  return found.rule as unknown as Record<string, unknown>;
}

const amountMin = (scenario: Scenario) => (scenario === 'passing' ? -1 : 0);
/** Percent of `rows` as a row count: maxFailing "0.1%" is "more than 10000 rows fail" at 10 M. */
const percentOf = (rows: number, percent: string) => Math.floor((rows * Number.parseFloat(percent)) / 100);

/** Links (or copies) the quality benchmark's Parquet files into DATA_DIR under model names. */
export function linkData(rows: number): void {
  mkdirSync(DATA_DIR, { recursive: true });
  const files: [string, string][] = [
    [parquetPath(rows), 'orders.parquet'],
    [join(QUALITY_DIR, 'customers.parquet'), 'customers.parquet'],
    [join(QUALITY_DIR, 'products.parquet'), 'products.parquet'],
  ];
  for (const [from, name] of files) {
    const to = join(DATA_DIR, name);
    rmSync(to, { force: true });
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
}

export function writeProjects(rows: number, scenario: Scenario): void {
  const ids = Object.keys(RULES).sort();
  const workload = CHECKS.map((check) => check.id).sort();
  if (ids.join() !== workload.join())
    throw new Error(`RULES and bench/quality's CHECKS differ: ${ids.join()} vs ${workload.join()}`);
  writePipectl(scenario);
  writeDbt(rows, scenario);
  writeDatacontract(rows, scenario);
}

/** JSON is YAML: the benchmark needs no YAML writer (the workspace root has no `yaml`). */
const stringify = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

function writePipectl(scenario: Scenario): void {
  for (const sub of ['contracts', 'pipelines'])
    rmSync(join(PIPECTL_DIR, sub), { recursive: true, force: true });
  write(
    join(PIPECTL_DIR, 'pipectl.yaml'),
    stringify({
      apiVersion: 'pipectl/v1',
      kind: 'Project',
      name: 'peers',
      contracts: 'contracts',
      pipelines: 'pipelines',
      warehouse: { path: '.pipectl/warehouse.duckdb' },
    }),
  );
  const quality = CHECKS.map((check) => {
    const r: Record<string, unknown> = { name: check.id, ...rule(check.id) };
    if (r.check === 'relationships') r.to = String(r.to).replace(/^bench\./, 'raw.');
    if (check.id === 'range_amount') r.min = amountMin(scenario);
    return r;
  });
  const contract = (name: string, columns: [string, string][], extra: Record<string, unknown> = {}) =>
    stringify({
      apiVersion: 'pipectl/v1',
      kind: 'Contract',
      name,
      version: '1.0.0',
      owner: 'bench@example.com',
      columns: columns.map(([column, type]) => ({ name: column, type })),
      ...extra,
    });
  write(
    join(PIPECTL_DIR, 'contracts', 'orders.contract.yaml'),
    contract(
      'raw.orders',
      COLUMNS.map(([name, type]) => [name, type]),
      { quality },
    ),
  );
  write(
    join(PIPECTL_DIR, 'contracts', 'customers.contract.yaml'),
    contract('raw.customers', [['customer_id', 'integer']]),
  );
  write(
    join(PIPECTL_DIR, 'contracts', 'products.contract.yaml'),
    contract('raw.products', [['product_id', 'integer']]),
  );
  write(
    join(PIPECTL_DIR, 'contracts', 'order_count.contract.yaml'),
    contract('bench.order_count', [['order_count', 'bigint']]),
  );
  write(
    join(PIPECTL_DIR, 'pipelines', 'peers.pipeline.yaml'),
    stringify({
      apiVersion: 'pipectl/v1',
      kind: 'Pipeline',
      name: 'peers',
      owner: 'bench@example.com',
      // Dimensions first: the relationships checks on orders read them.
      sources: ['customers', 'products', 'orders'].map((name) => ({
        name,
        kind: 'parquet',
        contract: `raw.${name}`,
        path: `data/${name}.parquet`,
      })),
      // A pipeline needs a step; this one costs a count over the landed table.
      steps: [
        {
          name: 'order_count',
          produces: 'bench.order_count',
          sql: "select count(*) as order_count from {{ source('orders') }}",
        },
      ],
    }),
  );
}

function writeDbt(rows: number, scenario: Scenario): void {
  rmSync(join(DBT_DIR, 'models'), { recursive: true, force: true });
  rmSync(join(DBT_DIR, 'tests'), { recursive: true, force: true });
  write(
    join(DBT_DIR, 'dbt_project.yml'),
    stringify({
      name: 'peers',
      version: '1.0.0',
      profile: 'peers',
      'model-paths': ['models'],
      'test-paths': ['tests'],
      'macro-paths': ['macros'],
      'target-path': 'target',
    }),
  );
  // Generic tests dbt does not ship (dbt_utils would, but `dbt deps` needs hub.getdbt.com).
  write(
    join(DBT_DIR, 'macros', 'tests.sql'),
    `{% test range(model, column_name, min_value=none, max_value=none) %}
select {{ column_name }} from {{ model }}
where {% if min_value is not none %}{{ column_name }} < {{ min_value }}{% else %}false{% endif %}
   or {% if max_value is not none %}{{ column_name }} > {{ max_value }}{% else %}false{% endif %}
{% endtest %}

{% test pattern(model, column_name, regex) %}
select {{ column_name }} from {{ model }}
where {{ column_name }} is not null and not regexp_full_match({{ column_name }}, '{{ regex }}')
{% endtest %}

{% test missing_count(model, column_name) %}
select {{ column_name }} from {{ model }} where {{ column_name }} is null or {{ column_name }} = ''
{% endtest %}

{% test row_count_min(model, min_rows) %}
select n from (select count(*) as n from {{ model }}) where n < {{ min_rows }}
{% endtest %}

{% test freshness(model, column_name, max_age_days) %}
select newest from (select max({{ column_name }}) as newest from {{ model }})
where newest is null or newest < now()::timestamp - interval '{{ max_age_days }} days'
{% endtest %}
`,
  );
  const named = (name: string, test: string, args: Record<string, unknown> = {}, config?: object) => ({
    [test]: {
      name,
      ...(Object.keys(args).length > 0 ? { arguments: args } : {}),
      ...(config ? { config } : {}),
    },
  });
  const values = (id: string) => ({ values: rule(id).values });
  const warn = { severity: 'warn' };
  const sql = (text: unknown) => `'${String(text)}'`;
  const columns = [
    {
      name: 'order_id',
      data_tests: [named('not_null_order_id', 'not_null'), named('unique_order_id', 'unique')],
    },
    {
      name: 'customer_id',
      data_tests: [
        named('not_null_customer_id', 'not_null'),
        named(
          'relationships_customer_id',
          'relationships',
          { to: "source('bench', 'customers')", field: 'customer_id' },
          { error_if: `>${percentOf(rows, '0.1%')}`, warn_if: `>${percentOf(rows, '0.1%')}` },
        ),
      ],
    },
    {
      name: 'product_id',
      data_tests: [
        named('relationships_product_id', 'relationships', {
          to: "source('bench', 'products')",
          field: 'product_id',
        }),
      ],
    },
    {
      name: 'status',
      data_tests: [
        named('not_null_status', 'not_null'),
        named('accepted_values_status', 'accepted_values', values('accepted_values_status')),
      ],
    },
    {
      name: 'currency_code',
      data_tests: [named('pattern_currency_code', 'pattern', { regex: rule('pattern_currency_code').regex })],
    },
    {
      name: 'amount',
      data_tests: [named('range_amount', 'range', { min_value: amountMin(scenario), max_value: 10000 })],
    },
    { name: 'discount', data_tests: [named('range_discount', 'range', { min_value: 0 })] },
    { name: 'quantity', data_tests: [named('range_quantity', 'range', { min_value: 1, max_value: 100 })] },
    {
      name: 'email',
      data_tests: [
        named(
          'email_mostly_present',
          'missing_count',
          {},
          { severity: 'warn', warn_if: `>${percentOf(rows, '5%')}` },
        ),
        named('pattern_email', 'pattern', { regex: rule('pattern_email').regex }, warn),
      ],
    },
    {
      name: 'country_code',
      data_tests: [
        named('accepted_values_country_code', 'accepted_values', values('accepted_values_country_code')),
      ],
    },
    {
      name: 'ordered_at',
      data_tests: [
        named('not_null_ordered_at', 'not_null'),
        named('range_ordered_at', 'range', { min_value: `timestamp ${sql(rule('range_ordered_at').min)}` }),
        named('freshness_ordered_at', 'freshness', { max_age_days: 3650 }),
      ],
    },
    {
      name: 'sales_channel',
      data_tests: [
        named('accepted_values_sales_channel', 'accepted_values', values('accepted_values_sales_channel')),
      ],
    },
  ];
  write(
    join(DBT_DIR, 'models', 'sources.yml'),
    stringify({
      version: 2,
      sources: [
        {
          name: 'bench',
          meta: { external_location: `read_parquet('${DATA_DIR}/{name}.parquet')` },
          tables: [
            {
              name: 'orders',
              data_tests: [named('enough_orders', 'row_count_min', { min_rows: rule('enough_orders').min })],
              columns,
            },
            { name: 'customers' },
            { name: 'products' },
          ],
        },
      ],
    }),
  );
  write(
    join(DBT_DIR, 'tests', 'discount_within_amount.sql'),
    "{{ config(severity='warn') }}\nselect * from {{ source('bench', 'orders') }} where discount > amount\n",
  );
}

function writeDatacontract(rows: number, scenario: Scenario): void {
  const property = (name: string, extra: Record<string, unknown> = {}) => {
    const [, duckdb, odcs] = COLUMNS.find(([column]) => column === name) ?? [];
    return { name, logicalType: odcs, physicalType: duckdb, ...extra };
  };
  const invalid = (id: string, severity?: string) => ({
    quality: [
      {
        metric: 'invalidValues',
        arguments: { validValues: rule(id).values },
        mustBe: 0,
        ...(severity ? { severity } : {}),
      },
    ],
  });
  const contract = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'peers-orders',
    name: 'peers',
    version: '1.0.0',
    status: 'active',
    servers: [{ server: 'local', type: 'local', format: 'parquet', path: `${DATA_DIR}/{model}.parquet` }],
    schema: [
      {
        name: 'orders',
        physicalType: 'table',
        properties: [
          property('order_id', { required: true, unique: true }),
          property('customer_id', {
            required: true,
            quality: [
              {
                type: 'sql',
                query:
                  'SELECT COUNT(*) FROM orders WHERE customer_id IS NOT NULL AND customer_id NOT IN (SELECT customer_id FROM customers)',
                mustBeLessOrEqualTo: percentOf(rows, '0.1%'),
              },
            ],
          }),
          property('product_id', { relationships: [{ to: 'products.product_id' }] }),
          property('status', { required: true, ...invalid('accepted_values_status') }),
          property('currency_code', { logicalTypeOptions: { pattern: rule('pattern_currency_code').regex } }),
          property('amount', { logicalTypeOptions: { minimum: amountMin(scenario), maximum: 10000 } }),
          property('discount', { logicalTypeOptions: { minimum: 0 } }),
          property('quantity', { logicalTypeOptions: { minimum: 1, maximum: 100 } }),
          property('email', {
            quality: [
              {
                metric: 'missingValues',
                arguments: { missingValues: [null, ''] },
                unit: 'percent',
                mustBeLessOrEqualTo: 5,
                severity: 'warning',
              },
              {
                metric: 'invalidValues',
                arguments: { pattern: rule('pattern_email').regex },
                mustBe: 0,
                severity: 'warning',
              },
            ],
          }),
          property('country_code', invalid('accepted_values_country_code')),
          property('ordered_at', {
            required: true,
            quality: [
              {
                type: 'sql',
                query: `SELECT COUNT(*) FROM orders WHERE ordered_at < TIMESTAMP '${rule('range_ordered_at').min}'`,
                mustBe: 0,
              },
            ],
          }),
          property('sales_channel', invalid('accepted_values_sales_channel')),
        ],
        quality: [
          { metric: 'rowCount', mustBeGreaterOrEqualTo: rule('enough_orders').min },
          {
            type: 'sql',
            query: 'SELECT COUNT(*) FROM orders WHERE discount > amount',
            mustBe: 0,
            severity: 'warning',
          },
        ],
      },
      { name: 'customers', physicalType: 'table', properties: [property('customer_id')] },
      { name: 'products', physicalType: 'table', properties: [property('product_id')] },
    ],
    slaProperties: [{ property: 'freshness', value: 3650, unit: 'd', element: 'orders.ordered_at' }],
  };
  write(join(DATACONTRACT_DIR, 'datacontract.yaml'), stringify(contract));
}

/** Whether the projects' data is in place (the Parquet files linked into DATA_DIR). */
export const dataReady = () => existsSync(join(DATA_DIR, 'orders.parquet'));
