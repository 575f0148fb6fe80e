// The persistent compile cache: a warm compile returns what a cold one does, with real DuckDB and
// real files, and reuses only what the change left valid.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hashOf } from '../src/cache/code-version.js';
import { CACHE_FILE } from '../src/cache/compile-cache.js';
import { type CompileResult, compile, compileProject, loadProject } from '../src/index.js';
import { contractYaml } from './support/temp-project.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const fixtures = resolve(import.meta.dirname, 'fixtures');
const parents: string[] = [];
afterAll(async () => {
  for (const parent of parents) await rm(parent, { recursive: true, force: true });
});

/** A copy of a project folder in a fresh temporary directory, so its cache starts cold. */
async function copyOf(source: string): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'pipectl-cache-'));
  parents.push(parent);
  const dir = join(parent, 'project');
  await cp(source, dir, { recursive: true, filter: (path) => !path.includes('.pipectl') });
  return dir;
}

/** What a compile answers, comparable across runs. */
const answer = (result: CompileResult) => ({
  issues: result.issues,
  plan: result.plan,
  graph: result.graph.toJSON(),
});

/** Loads and compiles through the disk cache, saves it, and says what the cache answered. */
async function cachedCompile(dir: string) {
  const loaded = await loadProject(dir, { cache: true });
  const result = await compileProject(loaded);
  await loaded.cache?.save();
  return { result, loaded, stats: loaded.cache?.stats };
}

const edit = async (file: string, from: string, to: string) => {
  const text = await readFile(file, 'utf8');
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
};

/**
 * A generated project: `n` raw contracts read by pipelines of two steps each, with `sql` checks,
 * and one step typed wrongly, so warnings and type errors are cached too.
 */
async function generated(n: number): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'pipectl-cache-'));
  parents.push(parent);
  const dir = join(parent, 'generated');
  const files: Record<string, string> = {
    'pipectl.yaml': 'apiVersion: pipectl/v1\nkind: Project\nname: generated\n',
  };
  const contract = (name: string, columns: [string, string][], extra = '') =>
    contractYaml(name, columns, 'bigint', extra);
  for (let i = 0; i < n; i++) {
    const columns: [string, string][] = [
      ['id', 'bigint'],
      ['amount', 'decimal(12,2)'],
      ['label', 'varchar'],
      ['seen_at', 'timestamp'],
    ];
    files[`contracts/raw/t${i}.contract.yaml`] = contract(`raw.t${i}`, columns);
    files[`contracts/mart/s${i}.contract.yaml`] = contract(
      `mart.s${i}`,
      [
        ['id', 'bigint'],
        ['total', i === 0 ? 'integer' : 'decimal(38,2)'],
        ['last_at', 'timestamp'],
      ],
      'quality:\n  - check: sql\n    query: select * from {{ this }} where total < 0\n',
    );
    files[`pipelines/p${i}.pipeline.yaml`] = [
      'apiVersion: pipectl/v1',
      'kind: Pipeline',
      `name: p${i}`,
      'owner: team@example.com',
      'sources:',
      `  - name: t${i}`,
      '    kind: csv',
      `    path: data/t${i}.csv`,
      `    contract: raw.t${i}`,
      'steps:',
      `  - name: s${i}`,
      `    produces: mart.s${i}`,
      '    sql: |',
      '      select id, sum(amount) as total, max(seen_at) as last_at',
      `      from {{ source('t${i}') }}`,
      ...(i > 0 ? [`      where id not in (select id from {{ ref('mart.s${i - 1}') }})`] : []),
      '      group by id',
      '',
    ].join('\n');
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const projects = [
  ['examples/task-analytics', join(repo, 'examples', 'task-analytics')],
  ...(await readdir(fixtures)).sort().map((name) => [`fixture ${name}`, join(fixtures, name)]),
  ['a generated project of 36 files', 'generated'],
];

describe('a warm compile equals a cold one', () => {
  test.each(projects)(
    '%s: same issues, plan and graph, with nothing parsed or bound again',
    async (_, source) => {
      const dir = source === 'generated' ? await generated(12) : await copyOf(source);
      const cold = await compile(dir);
      const first = await cachedCompile(dir);
      expect(answer(first.result)).toEqual(answer(cold));
      const warm = await cachedCompile(dir);
      expect(answer(warm.result)).toEqual(answer(cold));
      expect(warm.stats).toMatchObject({
        documents: { misses: 0 },
        parsedSql: { misses: 0 },
        boundSql: { misses: 0 },
        duckDbOpened: 0,
      });
      expect(warm.stats?.documents.hits).toBeGreaterThan(0);
      if (source === 'generated') expect(cold.issues.map((found) => found.code)).toEqual(['PIPE3012']);
    },
  );

  test('issues found after loading still point at file:line:col, the positions worked out only then', async () => {
    const dir = await copyOf(join(fixtures, 'unknown-ref'));
    const cold = await compile(dir);
    await cachedCompile(dir);
    const warm = await cachedCompile(dir);
    expect(warm.result.issues.length).toBeGreaterThan(0);
    expect(warm.result.issues).toEqual(cold.issues);
    for (const found of warm.result.issues) expect(found.span?.line).toBeGreaterThan(0);
    // A document no issue points into never builds its position-keeping YAML document.
    const located = new Set(warm.result.issues.map((found) => found.file));
    const untouched = warm.loaded.contracts.filter((doc) => !located.has(doc.file));
    expect(untouched.length).toBeGreaterThan(0);
    for (const doc of untouched) expect(doc.sourceMap.isParsed).toBe(false);
  });

  test('compile() with `cache: true` writes the cache, and answers the same the next time', async () => {
    const dir = await copyOf(join(fixtures, 'shop'));
    const cold = await compile(dir, { cache: true });
    expect(JSON.parse(await readFile(join(dir, CACHE_FILE), 'utf8'))).toMatchObject({
      format: expect.any(String),
    });
    expect(answer(await compile(dir, { cache: true }))).toEqual(answer(cold));
  });
});

describe('what a change leaves valid', () => {
  test("a contract's new column type re-types the steps that read it, and the warm run reports the error", async () => {
    const dir = await copyOf(join(fixtures, 'shop'));
    await cachedCompile(dir);
    await edit(
      join(dir, 'contracts/marts/customer_revenue.contract.yaml'),
      'name: total_amount\n    type: decimal(18,2)',
      'name: total_amount\n    type: varchar',
    );
    const warm = await cachedCompile(dir);
    const cold = await compile(dir);
    expect(answer(warm.result)).toEqual(answer(cold));
    // The step reading it (sum of a varchar) and the step producing it (a decimal for a varchar).
    expect(warm.result.issues.map((found) => `${found.code} ${found.file}`)).toEqual(
      expect.arrayContaining([
        'PIPE3013 pipelines/reporting.pipeline.yaml',
        'PIPE3012 pipelines/shop_daily.pipeline.yaml',
      ]),
    );
    expect(warm.stats?.documents.misses).toBe(1);
    expect(warm.stats?.parsedSql.misses).toBe(0);
    // Only the reading step is bound again; the producing step's output is compared afresh.
    expect(warm.stats?.boundSql.misses).toBe(1);
  });

  test("a step's edited SQL is parsed and bound again, and only it", async () => {
    const dir = await copyOf(join(fixtures, 'shop'));
    await cachedCompile(dir);
    await edit(
      join(dir, 'pipelines/reporting.pipeline.yaml'),
      'count(distinct customer_id)',
      'count(customer_id)',
    );
    const warm = await cachedCompile(dir);
    expect(answer(warm.result)).toEqual(answer(await compile(dir)));
    expect(warm.stats).toMatchObject({ parsedSql: { misses: 1 }, boundSql: { misses: 1 }, duckDbOpened: 2 });
  });

  test('a deleted file’s entry is dropped when the cache is written', async () => {
    const dir = await copyOf(join(fixtures, 'shop'));
    const file = 'pipelines/reporting.pipeline.yaml';
    const text = await readFile(join(dir, file), 'utf8');
    await cachedCompile(dir);
    const key = hashOf(file, text);
    expect(Object.keys(JSON.parse(await readFile(join(dir, CACHE_FILE), 'utf8')).documents)).toContain(key);
    await rm(join(dir, file));
    const after = await cachedCompile(dir);
    expect(answer(after.result)).toEqual(answer(await compile(dir)));
    expect(Object.keys(JSON.parse(await readFile(join(dir, CACHE_FILE), 'utf8')).documents)).not.toContain(
      key,
    );
  });

  test.each([
    ['that is corrupt', 'not json {'],
    ['cut short', async (text: string) => text.slice(0, text.length / 2)],
    [
      'from another compiler build',
      async (text: string) => JSON.stringify({ ...JSON.parse(text), code: 'an older build' }),
    ],
    ['of another shape', '{"format":"pipectl-compile-cache/1","code":1,"documents":[]}'],
  ] as const)('a cache file %s is ignored and written again, never an error', async (_, spoil) => {
    const dir = await copyOf(join(fixtures, 'shop'));
    const cold = await compile(dir);
    await cachedCompile(dir);
    const path = join(dir, CACHE_FILE);
    await writeFile(path, typeof spoil === 'string' ? spoil : await spoil(await readFile(path, 'utf8')));
    const next = await cachedCompile(dir);
    expect(answer(next.result)).toEqual(answer(cold));
    expect(next.stats?.documents.hits).toBe(0);
    const again = await cachedCompile(dir);
    expect(again.stats).toMatchObject({ documents: { misses: 0 }, duckDbOpened: 0 });
  });

  test('without the option nothing is written into the project', async () => {
    const dir = await copyOf(join(fixtures, 'shop'));
    await compile(dir);
    await compile(dir, { cache: false });
    const loaded = await loadProject(dir);
    await compileProject(loaded);
    expect(loaded.cache).toBeUndefined();
    expect(await readdir(dir)).not.toContain('.pipectl');
  });

  test('two compiles writing at once leave a whole cache file', async () => {
    const dir = await copyOf(join(fixtures, 'shop'));
    const [a, b] = await Promise.all([compile(dir, { cache: true }), compile(dir, { cache: true })]);
    expect(answer(a)).toEqual(answer(b));
    expect((await readdir(join(dir, '.pipectl', 'cache'))).sort()).toEqual(['.gitignore', 'compile.json']);
    const warm = await cachedCompile(dir);
    expect(warm.stats).toMatchObject({ documents: { misses: 0 }, duckDbOpened: 0 });
  });
});
