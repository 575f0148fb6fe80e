// The dbt project equivalent to the compile benchmark's pipectl project (generate.ts), for timing
// `dbt parse` beside `pipectl validate`: every raw contract is a table of one dbt source, every
// other contract a model with the same SQL (ref()/source() renamed to dbt's), each with its 30
// columns and their types under an enforced model contract, and the same tests: the primary key
// unique and not null, `key` not null, the reference to the raw table's key as a relationships
// test, and the step gate (`unique` on id). 1,000 contracts make 500 source tables and 500 models.
//
//   node --conditions=@pipectl/source --import tsx bench/compile/generate-dbt.ts [--contracts 1000] [--columns 30] [--pipelines 500] [--out dir]
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type BenchShape,
  benchColumns,
  benchDataset,
  martSql,
  shapeFromArgs,
  stagingSql,
} from './generate.js';

export function defaultDbtDir(shape: BenchShape): string {
  return resolve(
    import.meta.dirname,
    '..',
    '.out',
    `dbt-${shape.contracts}x${shape.columns}-${shape.pipelines}`,
  );
}

/** dbt's model name of a pipectl dataset: `staging.t3` -> `staging_t3`. */
const modelOf = (dataset: string): string => dataset.replace('.', '_');

/** Writes the dbt project (and a profiles.yml for an in-memory DuckDB) into `dir`, replacing it. */
export async function generateDbtProject(shape: BenchShape, dir: string): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  const files = new Map<string, string>();
  const columns = benchColumns(shape);
  files.set(
    'dbt_project.yml',
    "name: compile_bench\nversion: '1.0.0'\nprofile: compile_bench\nmodel-paths: ['models']\n",
  );
  files.set(
    'profiles.yml',
    'compile_bench:\n  target: bench\n  outputs:\n    bench:\n      type: duckdb\n      path: ":memory:"\n',
  );
  const columnYaml = (indent: string, raw: boolean, table: string): string[] =>
    columns.flatMap((column, i) => {
      const lines = [`${indent}- name: ${column.name}`, `${indent}  data_type: ${column.type}`];
      if (i === 0) lines.push(`${indent}  data_tests: [unique, not_null]`);
      if (i === 1 && raw) lines.push(`${indent}  data_tests: [not_null]`);
      if (i === 1 && !raw)
        lines.push(
          `${indent}  data_tests:`,
          `${indent}    - not_null`,
          `${indent}    - relationships:`,
          `${indent}        arguments: {to: "source('raw', '${table}')", field: key}`,
        );
      if (i === 2) lines.push(`${indent}  meta: {pii: name}`);
      return lines;
    });

  const sources = ['version: 2', 'sources:', '  - name: raw', '    tables:'];
  for (let p = 0; p < Math.min(shape.pipelines, shape.contracts); p++)
    sources.push(`      - name: t${p}`, '        columns:', ...columnYaml('          ', true, `t${p}`));
  files.set('models/sources.yml', `${sources.join('\n')}\n`);

  for (let p = 0; p < shape.pipelines; p++) {
    const owned: number[] = [];
    for (let j = p + shape.pipelines; j < shape.contracts; j += shape.pipelines) owned.push(j);
    owned.forEach((j, s) => {
      const dataset = benchDataset(shape, j);
      const previous =
        s === 0
          ? `{{ source('raw', 't${p}') }}`
          : `{{ ref('${modelOf(benchDataset(shape, j - shape.pipelines))}') }}`;
      const other = `staging_t${(p + shape.pipelines - 1) % shape.pipelines}`;
      const sql = (s === 0 && p % 2 === 0 ? stagingSql(columns) : martSql(columns, previous, other)).replace(
        "{{ source('landing') }}",
        `{{ source('raw', 't${p}') }}`,
      );
      const model = modelOf(dataset);
      const folder = dataset.split('.')[0] as string;
      files.set(`models/${folder}/${model}.sql`, `${sql}\n`);
      files.set(
        `models/${folder}/${model}.yml`,
        [
          'version: 2',
          'models:',
          `  - name: ${model}`,
          `    config: {contract: {enforced: true}, meta: {owner: team${j % 17}@example.com}}`,
          '    columns:',
          ...columnYaml('      ', false, `t${p}`),
          '',
        ].join('\n'),
      );
    });
  }

  for (const [path, text] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return files.size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { shape, out } = shapeFromArgs();
  const dir = out ?? defaultDbtDir(shape);
  const count = await generateDbtProject(shape, dir);
  console.log(`wrote ${count} files to ${dir}`);
}
