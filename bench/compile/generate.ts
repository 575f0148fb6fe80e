// Generates a synthetic pipectl project for the compile benchmark: N contracts of C columns and M
// pipelines. Each pipeline lands one raw dataset from a CSV source and stages it: even pipelines
// with one expression per column, odd ones joining the previous pipeline's staging dataset through
// CTEs, `alias.* EXCLUDE`, an aggregate and a USING join; contracts beyond 2 per pipeline become
// marts chained the same way. So the lineage walk has real work, across pipelines too.
//
//   node --conditions=@pipectl/source --import tsx bench/compile/generate.ts [--contracts 1000] [--columns 30] [--pipelines 500] [--out dir]
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchShape {
  readonly contracts: number;
  readonly columns: number;
  readonly pipelines: number;
}

const TYPES = ['varchar', 'decimal(12,2)', 'date', 'timestamp', 'integer', 'boolean'] as const;

export function defaultOutDir(shape: BenchShape): string {
  return resolve(
    import.meta.dirname,
    '..',
    '.out',
    `compile-${shape.contracts}x${shape.columns}-${shape.pipelines}`,
  );
}

/** The columns every contract of the project has (bench/compile/generate-dbt.ts uses them too). */
export function benchColumns(shape: BenchShape): { name: string; type: string }[] {
  return Array.from({ length: shape.columns }, (_, i) =>
    i === 0
      ? { name: 'id', type: 'bigint' }
      : i === 1
        ? { name: 'key', type: 'bigint' }
        : { name: `c${i}`, type: TYPES[i % TYPES.length] as string },
  );
}

/** Contract j belongs to pipeline j % M; its role is j / M: 0 raw, 1 staging, 2+ mart. */
export function benchDataset(shape: BenchShape, j: number): string {
  const role = Math.floor(j / shape.pipelines);
  const table = `t${j % shape.pipelines}`;
  return role === 0 ? `raw.${table}` : role === 1 ? `staging.${table}` : `mart${role - 1}.${table}`;
}

/** Writes the project into `dir` (replacing it) and returns the number of files written. */
export async function generateProject(shape: BenchShape, dir: string): Promise<number> {
  if (shape.columns < 4) throw new Error('a benchmark contract needs at least 4 columns');
  await rm(dir, { recursive: true, force: true });
  const files = new Map<string, string>();
  files.set('pipectl.yaml', 'apiVersion: pipectl/v1\nkind: Project\nname: compile-bench\n');

  const columns = benchColumns(shape);
  const datasetOf = (j: number): string => benchDataset(shape, j);

  for (let j = 0; j < shape.contracts; j++) {
    const name = datasetOf(j);
    const lines = [
      'apiVersion: pipectl/v1',
      'kind: Contract',
      `name: ${name}`,
      'version: 1.0.0',
      `owner: team${j % 17}@example.com`,
      'columns:',
    ];
    columns.forEach((column, i) => {
      lines.push(`  - name: ${column.name}`, `    type: ${column.type}`);
      if (i === 0) lines.push('    primaryKey: true');
      if (i === 1 && !name.startsWith('raw.')) lines.push(`    references: raw.t${j % shape.pipelines}.key`);
      if (i === 2) lines.push('    pii: name');
    });
    lines.push('quality:', '  - check: not_null', '    column: key', '');
    files.set(`contracts/${name.replace('.', '/')}.contract.yaml`, lines.join('\n'));
  }

  for (let p = 0; p < shape.pipelines; p++) {
    const owned: number[] = [];
    for (let j = p; j < shape.contracts; j += shape.pipelines) owned.push(j);
    if (owned.length === 0) continue;
    const lines = [
      'apiVersion: pipectl/v1',
      'kind: Pipeline',
      `name: pipeline_${p}`,
      `owner: team${p % 17}@example.com`,
    ];
    lines.push('schedule:', `  cron: "${p % 60} * * * *"`, 'sources:');
    lines.push(
      '  - name: landing',
      '    kind: csv',
      `    path: data/t${p}.csv`,
      `    contract: ${datasetOf(owned[0] as number)}`,
    );
    const steps = owned.slice(1);
    // A pipeline needs a step; with fewer contracts than 2 per pipeline the last ones have none.
    if (steps.length === 0) continue;
    lines.push('steps:');
    steps.forEach((j, s) => {
      const name = datasetOf(j);
      const stepName = s === 0 ? 'stage' : `mart_${s}`;
      lines.push(`  - name: ${stepName}`, `    produces: ${name}`, '    sql: |');
      // Even pipelines stage their source plainly; odd ones also join the previous pipeline's staging.
      const previous =
        s === 0 ? "{{ source('landing') }}" : `{{ ref('${s === 1 ? 'stage' : `mart_${s - 1}`}') }}`;
      const other = `staging.t${(p + shape.pipelines - 1) % shape.pipelines}`;
      const sql = s === 0 && p % 2 === 0 ? stagingSql(columns) : martSql(columns, previous, other);
      for (const line of sql.split('\n')) lines.push(`      ${line}`);
      lines.push('    gates:', '      - check: unique', '        column: id');
    });
    files.set(`pipelines/pipeline_${p}.pipeline.yaml`, `${lines.join('\n')}\n`);
  }

  for (const [path, text] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return files.size;
}

export function stagingSql(columns: readonly { name: string; type: string }[]): string {
  const select = columns.map((column, i) => {
    if (i < 2) return column.name;
    if (column.type === 'varchar') return `trim(upper(${column.name})) as ${column.name}`;
    if (column.type === 'decimal(12,2)') return `coalesce(${column.name}, 0) as ${column.name}`;
    if (column.type === 'date') return `cast(${column.name} as date) as ${column.name}`;
    return column.name;
  });
  return [`select`, `  ${select.join(',\n  ')}`, "from {{ source('landing') }}", 'where id is not null'].join(
    '\n',
  );
}

export function martSql(
  columns: readonly { name: string; type: string }[],
  previous: string,
  other: string,
): string {
  const changed = columns[3]?.name as string;
  return [
    `with base as (`,
    `  select * from ${previous} where key is not null`,
    `),`,
    `other as (`,
    `  select key, max(${changed}) as ${changed}_max, count(*) as n`,
    `  from {{ ref('${other}') }}`,
    `  group by key`,
    `)`,
    `select b.* exclude (${changed}), coalesce(o.${changed}_max, b.${changed}) as ${changed}`,
    `from base as b`,
    `left join other as o using (key)`,
  ].join('\n');
}

/** The shape and output folder a generator's command line asks for (`--contracts --columns --pipelines --out`). */
export function shapeFromArgs(): { shape: BenchShape; out: string | undefined } {
  const { values } = parseArgs({
    options: {
      contracts: { type: 'string', default: '1000' },
      columns: { type: 'string', default: '30' },
      pipelines: { type: 'string', default: '500' },
      out: { type: 'string' },
    },
  });
  const shape = {
    contracts: Number(values.contracts),
    columns: Number(values.columns),
    pipelines: Number(values.pipelines),
  };
  return { shape, out: values.out === undefined ? undefined : resolve(values.out) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { shape, out } = shapeFromArgs();
  const dir = out ?? defaultOutDir(shape);
  const count = await generateProject(shape, dir);
  console.log(`wrote ${count} files to ${dir}`);
}
