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
