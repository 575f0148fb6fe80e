// Generates the orchestration benchmark's project: one tiny CSV source (100 events) and one
// 10-step pipeline, a chain that fans out into four parallel branches and joins again:
//
//   events → s01_events → s02_priced ─┬→ s03_by_category → s07_category_share ─┐
//                                     ├→ s04_by_customer ─┬→ s08_top_customers ─┼→ s10_summary
//                                     ├→ s06_large ───────┘                     │
//                                     └→ s05_by_day → s09_daily_running ────────┘
//
// Each step is a trivial SELECT with its own contract and one or two gates, so a run measures the
// orchestration around DuckDB rather than DuckDB itself.
//
//   node --conditions=@pipectl/source --import tsx bench/orchestration/generate.ts [--out dir]
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const OUT_DIR = resolve(import.meta.dirname, '..', '.out', 'orchestration');
export const PROJECT_DIR = join(OUT_DIR, 'project');
export const PIPELINE = 'orchestration_bench';
export const SOURCE_ROWS = 100;

interface Column {
  readonly name: string;
  readonly type: string;
  readonly primaryKey?: boolean;
}

interface StepSpec {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly sql: string;
  /** Gates as YAML lines, indented under `gates:`. */
  readonly gates: readonly string[];
}

const ref = (step: string): string => `{{ ref('${step}') }}`;

/** The ten steps, upstream first. */
export const STEPS: readonly StepSpec[] = [
  {
    name: 's01_events',
    columns: [
      { name: 'event_id', type: 'integer', primaryKey: true },
      { name: 'customer_id', type: 'integer' },
      { name: 'category', type: 'varchar' },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'happened_on', type: 'date' },
    ],
    sql: `select event_id, customer_id, lower(category) as category, amount, happened_on\nfrom {{ source('events') }}`,
    gates: [
      '- check: not_null\n  column: amount',
      '- check: accepted_values\n  column: category\n  values: [books, games, music, tools]',
    ],
  },
  {
    name: 's02_priced',
    columns: [
      { name: 'event_id', type: 'integer', primaryKey: true },
      { name: 'customer_id', type: 'integer' },
      { name: 'category', type: 'varchar' },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'gross_amount', type: 'decimal(12,2)' },
      { name: 'happened_on', type: 'date' },
    ],
    sql: `select event_id, customer_id, category, amount,\n  cast(amount * 1.19 as decimal(12,2)) as gross_amount, happened_on\nfrom ${ref('s01_events')}`,
    gates: ['- check: range\n  column: gross_amount\n  min: 0'],
  },
  {
    name: 's03_by_category',
    columns: [
      { name: 'category', type: 'varchar', primaryKey: true },
      { name: 'events', type: 'bigint' },
      { name: 'revenue', type: 'decimal(12,2)' },
    ],
    sql: `select category, count(*) as events, cast(sum(amount) as decimal(12,2)) as revenue\nfrom ${ref('s02_priced')}\ngroup by category`,
    gates: ['- check: row_count\n  min: 1', '- check: range\n  column: events\n  min: 1'],
  },
  {
    name: 's04_by_customer',
    columns: [
      { name: 'customer_id', type: 'integer', primaryKey: true },
      { name: 'events', type: 'bigint' },
      { name: 'gross', type: 'decimal(12,2)' },
    ],
    sql: `select customer_id, count(*) as events, cast(sum(gross_amount) as decimal(12,2)) as gross\nfrom ${ref('s02_priced')}\ngroup by customer_id`,
    gates: ['- check: not_null\n  column: gross'],
  },
  {
    name: 's05_by_day',
    columns: [
      { name: 'happened_on', type: 'date', primaryKey: true },
      { name: 'events', type: 'bigint' },
      { name: 'revenue', type: 'decimal(12,2)' },
    ],
    sql: `select happened_on, count(*) as events, cast(sum(amount) as decimal(12,2)) as revenue\nfrom ${ref('s02_priced')}\ngroup by happened_on`,
    gates: ['- check: range\n  column: happened_on\n  min: "2024-01-01"'],
  },
  {
    name: 's06_large',
    columns: [
      { name: 'event_id', type: 'integer', primaryKey: true },
      { name: 'customer_id', type: 'integer' },
      { name: 'amount', type: 'decimal(12,2)' },
    ],
    sql: `select event_id, customer_id, amount\nfrom ${ref('s02_priced')}\nwhere amount >= 50`,
    gates: ['- check: range\n  column: amount\n  min: 50'],
  },
  {
    name: 's07_category_share',
    columns: [
      { name: 'category', type: 'varchar', primaryKey: true },
      { name: 'revenue', type: 'decimal(12,2)' },
      { name: 'share', type: 'double' },
    ],
    sql: `select category, revenue, cast(revenue / sum(revenue) over () as double) as share\nfrom ${ref('s03_by_category')}`,
    gates: ['- check: range\n  column: share\n  min: 0\n  max: 1', '- check: not_null\n  column: revenue'],
  },
  {
    name: 's08_top_customers',
    columns: [
      { name: 'customer_id', type: 'integer', primaryKey: true },
      { name: 'gross', type: 'decimal(12,2)' },
      { name: 'large_events', type: 'bigint' },
    ],
    sql: [
      'select c.customer_id, c.gross, count(l.event_id) as large_events',
      `from ${ref('s04_by_customer')} as c`,
      `left join ${ref('s06_large')} as l using (customer_id)`,
      'group by c.customer_id, c.gross',
    ].join('\n'),
    gates: ['- check: range\n  column: large_events\n  min: 0'],
  },
  {
    name: 's09_daily_running',
    columns: [
      { name: 'happened_on', type: 'date', primaryKey: true },
      { name: 'revenue', type: 'decimal(12,2)' },
      { name: 'running_revenue', type: 'decimal(12,2)' },
    ],
    sql: `select happened_on, revenue,\n  cast(sum(revenue) over (order by happened_on) as decimal(12,2)) as running_revenue\nfrom ${ref('s05_by_day')}`,
    gates: ['- check: not_null\n  column: running_revenue'],
  },
  {
    name: 's10_summary',
    columns: [
      { name: 'categories', type: 'bigint' },
      { name: 'customers', type: 'bigint' },
      { name: 'days', type: 'bigint' },
      { name: 'revenue', type: 'decimal(12,2)' },
    ],
    sql: [
      'select',
      `  (select count(*) from ${ref('s07_category_share')}) as categories,`,
      `  (select count(*) from ${ref('s08_top_customers')}) as customers,`,
      `  (select count(*) from ${ref('s09_daily_running')}) as days,`,
      `  (select cast(sum(revenue) as decimal(12,2)) from ${ref('s09_daily_running')}) as revenue`,
    ].join('\n'),
    gates: ['- check: row_count\n  min: 1\n  max: 1', '- check: range\n  column: customers\n  min: 1'],
  },
];

const RAW_COLUMNS: readonly Column[] = [
  { name: 'event_id', type: 'integer', primaryKey: true },
  { name: 'customer_id', type: 'integer' },
  { name: 'category', type: 'varchar' },
  { name: 'amount', type: 'decimal(12,2)' },
  { name: 'happened_on', type: 'date' },
];

function contractYaml(name: string, columns: readonly Column[]): string {
  const lines = [
    'apiVersion: pipectl/v1',
    'kind: Contract',
    `name: ${name}`,
    'version: 1.0.0',
    'owner: bench@example.com',
    'columns:',
  ];
  for (const column of columns) {
    lines.push(`  - name: ${column.name}`, `    type: ${column.type}`);
    if (column.primaryKey) lines.push('    primaryKey: true');
  }
  return `${lines.join('\n')}\n`;
}

function pipelineYaml(): string {
  const lines = [
    'apiVersion: pipectl/v1',
    'kind: Pipeline',
    `name: ${PIPELINE}`,
    'owner: bench@example.com',
    'sources:',
    '  - name: events',
    '    kind: csv',
    '    contract: raw.events',
    '    path: data/events.csv',
    'steps:',
  ];
  for (const step of STEPS) {
    lines.push(`  - name: ${step.name}`, `    produces: orch.${step.name}`, '    sql: |');
    for (const line of step.sql.split('\n')) lines.push(`      ${line}`);
    lines.push('    gates:');
    for (const gate of step.gates) for (const line of gate.split('\n')) lines.push(`      ${line}`);
  }
  // A failure should fail the benchmark at once, not after minutes of backoff; a retryable one
  // (a lost DuckLake commit race between workers) is retried quickly. Bad data is never retried.
  lines.push('retry:', '  maximumAttempts: 5', '  initialInterval: 100ms', '  maximumInterval: 1s');
  return `${lines.join('\n')}\n`;
}

function eventsCsv(rows: number): string {
  const categories = ['Books', 'Games', 'Music', 'Tools'];
  const lines = ['event_id,customer_id,category,amount,happened_on'];
  for (let i = 1; i <= rows; i++) {
    const amount = ((i * 613) % 10000) / 100 + 1;
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`${i},${(i * 7) % 23},${categories[i % 4]},${amount.toFixed(2)},2024-03-${day}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The variables the lakehouse target reads: its catalog and its data path. */
export const LAKE_CATALOG_VARIABLE = 'PIPECTL_BENCH_CATALOG';
export const LAKE_DATA_VARIABLE = 'PIPECTL_BENCH_DATA_PATH';

function projectYaml(lakehouse: boolean): string {
  const lines = ['apiVersion: pipectl/v1', 'kind: Project', 'name: orchestration-bench'];
  if (lakehouse) {
    lines.push(
      'targets:',
      '  lake:',
      '    warehouse:',
      '      kind: ducklake',
      `      catalog: "\${${LAKE_CATALOG_VARIABLE}}"`,
      `      dataPath: "\${${LAKE_DATA_VARIABLE}}"`,
      'target: lake',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the project into `dir` (replacing it, run state included) and returns the files written.
 * With `lakehouse`, its target is a DuckLake whose catalog and data path come from
 * $PIPECTL_BENCH_CATALOG and $PIPECTL_BENCH_DATA_PATH; otherwise the embedded default.
 */
export async function generateProject(dir: string = PROJECT_DIR, lakehouse = false): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  const files = new Map<string, string>([
    ['pipectl.yaml', projectYaml(lakehouse)],
    ['contracts/raw/events.contract.yaml', contractYaml('raw.events', RAW_COLUMNS)],
    [`pipelines/${PIPELINE}.pipeline.yaml`, pipelineYaml()],
    ['data/events.csv', eventsCsv(SOURCE_ROWS)],
  ]);
  for (const step of STEPS) {
    files.set(`contracts/orch/${step.name}.contract.yaml`, contractYaml(`orch.${step.name}`, step.columns));
  }
  for (const [path, text] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return files.size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const dir = values.out ? resolve(values.out) : PROJECT_DIR;
  console.log(`wrote ${await generateProject(dir)} files to ${dir}`);
}
