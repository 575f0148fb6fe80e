// Targets at validate: a variable a target reads that is not set here is a warning at its line;
// a literal password is an error (the loader's), so it never reaches a commit unnoticed.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write in pipectl.yaml is the subject
import { afterAll, expect, test } from 'vitest';
import { compile, createDuckDbSqlParser } from '../src/index.js';
import { renderIssue } from './support/render-issue.js';
import { writeTempProject } from './support/temp-project.js';

const sqlParser = createDuckDbSqlParser();
afterAll(() => sqlParser.close());

const projectFile = (catalog: string) =>
  [
    'apiVersion: pipectl/v1',
    'kind: Project',
    'name: shop',
    'targets:',
    '  prod:',
    '    warehouse:',
    '      kind: ducklake',
    `      catalog: ${catalog}`,
    '      dataPath: ${LAKE_DATA}',
    '',
  ].join('\n');

async function issuesOf(catalog: string, env: Record<string, string>) {
  const project = await writeTempProject({ 'pipectl.yaml': projectFile(catalog) });
  try {
    const result = await compile(project.dir, { sqlParser, env });
    return result.issues.map((issue) => `${issue.severity} ${renderIssue(issue, { hint: false })}`);
  } finally {
    await project.remove();
  }
}

test('a target variable that is not set is a warning at the line that reads it', async () => {
  expect(
    await issuesOf('postgres:host=db dbname=lake password=${PGPASSWORD}', { PGPASSWORD: 'x' }),
  ).toMatchInlineSnapshot(`
      [
        "warning PIPE2030 pipectl.yaml:9:17 target "prod" reads the environment variable LAKE_DATA, which is not set",
      ]
    `);
  expect(await issuesOf('postgres:host=db dbname=lake', { LAKE_DATA: '/mnt/lake' })).toEqual([]);
});

test('a password written in pipectl.yaml is an error', async () => {
  expect(
    await issuesOf('postgres:host=db dbname=lake password=hunter2', { LAKE_DATA: '/mnt/lake' }),
  ).toMatchInlineSnapshot(`
      [
        "error PIPE1030 pipectl.yaml:8:16 target "prod" writes a secret in pipectl.yaml (password=): secrets come from environment variables only",
      ]
    `);
});

async function issuesOfProject(lines: readonly string[]) {
  const project = await writeTempProject({ 'pipectl.yaml': [...lines, ''].join('\n') });
  try {
    const result = await compile(project.dir, { sqlParser, env: {} });
    return result.issues.map((issue) => `${issue.severity} ${renderIssue(issue)}`);
  } finally {
    await project.remove();
  }
}

const twoTargetsOnOneCluster = (prodQueue?: string) => [
  'apiVersion: pipectl/v1',
  'kind: Project',
  'name: shop',
  'targets:',
  '  staging:',
  '    warehouse: { kind: duckdb, path: .pipectl/staging.duckdb }',
  '    temporal: { address: temporal.internal:7233, namespace: data }',
  '  prod:',
  '    warehouse: { kind: duckdb, path: .pipectl/prod.duckdb }',
  `    temporal: { address: temporal.internal:7233, namespace: data${prodQueue ? `, taskQueue: ${prodQueue}` : ''} }`,
];

test('two targets that would poll one task queue for different warehouses are a warning at the later one', async () => {
  expect(await issuesOfProject(twoTargetsOnOneCluster())).toMatchInlineSnapshot(`
    [
      "warning PIPE2036 pipectl.yaml:10:15 targets "staging" and "prod" write different warehouses but their workers poll the same task queue "pipectl-shop" of namespace "data" at temporal.internal:7233: a worker of one would take the other's runs (give target "prod" its own queue (\`temporal: { taskQueue: pipectl-shop-prod }\`), or its own namespace)",
    ]
  `);
  expect(await issuesOfProject(twoTargetsOnOneCluster('pipectl-shop-prod'))).toEqual([]);
});

test('targets that all use the top-level temporal (a laptop, one at a time) are not warned about', async () => {
  expect(
    await issuesOfProject([
      'apiVersion: pipectl/v1',
      'kind: Project',
      'name: shop',
      'targets:',
      '  dev:',
      '    warehouse: { kind: duckdb, path: .pipectl/dev.duckdb }',
      '  ci:',
      '    warehouse: { kind: duckdb, path: .pipectl/ci.duckdb }',
    ]),
  ).toEqual([]);
});
