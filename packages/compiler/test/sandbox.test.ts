// The sandbox at validate: step SQL and sql checks read only declared sources and datasets (no
// host-reading table function, no statement other than SELECT), and file sources stay inside the
// project. Each refusal is located at the call or at the source's `path:`.
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compile, createDuckDbSqlParser } from '../src/index.js';
import { renderIssue } from './support/render-issue.js';
import { contractYaml, writeTempProject } from './support/temp-project.js';

const sqlParser = createDuckDbSqlParser();
afterAll(() => sqlParser.close());

function pipeline(options: { path?: string; sql?: string; gate?: string } = {}): string {
  return [
    'apiVersion: pipectl/v1',
    'kind: Pipeline',
    'name: shop',
    'sources:',
    '  - name: orders',
    '    kind: csv',
    '    contract: raw.orders',
    `    path: ${JSON.stringify(options.path ?? 'data/orders.csv')}`,
    'steps:',
    '  - name: stg_orders',
    '    produces: staging.orders',
    `    sql: ${JSON.stringify(options.sql ?? "select id from {{ source('orders') }}")}`,
    ...(options.gate === undefined
      ? []
      : ['    gates:', '      - check: sql', `        query: ${JSON.stringify(options.gate)}`]),
    '',
  ].join('\n');
}

async function issuesOf(files: Record<string, string>, setup?: (dir: string) => Promise<void>) {
  const project = await writeTempProject({
    'contracts/raw.contract.yaml': contractYaml('raw.orders', ['id']),
    'contracts/staging.contract.yaml': contractYaml('staging.orders', ['id']),
    'data/orders.csv': 'id\n1\n',
    ...files,
  });
  try {
    await setup?.(project.dir);
    const result = await compile(project.dir, { sqlParser });
    return result.issues
      .filter((issue) => issue.severity === 'error')
      .map((issue) => renderIssue(issue, { hint: false }));
  } finally {
    await project.remove();
  }
}

describe('step SQL that reads the host is refused at the call', () => {
  test.each([
    ['read_text', `select content as id from read_text(['/etc/passwd'])`, 'read_text'],
    ['read_csv', `select id from read_csv('/etc/passwd')`, 'read_csv'],
    ['glob', `select file as id from glob('/root/*')`, 'glob'],
    ['read_blob', `select size as id from read_blob('/etc/hostname')`, 'read_blob'],
    ['read_parquet', `select id from read_parquet('x.parquet')`, 'read_parquet'],
    ['read_json_auto', `select id from read_json_auto('x.json')`, 'read_json_auto'],
    ['sniff_csv', `select 1 as id from sniff_csv('/etc/passwd')`, 'sniff_csv'],
    ['parquet_metadata', `select 1 as id from parquet_metadata('/x.parquet')`, 'parquet_metadata'],
    [
      'a table function in a subquery',
      `select id from {{ source('orders') }} where id in (select 1 from read_csv('/etc/passwd'))`,
      'read_csv',
    ],
  ])('%s', async (_what, sql, fn) => {
    // The SQL is a double-quoted scalar whose text starts at column 11 (after `    sql: "`).
    const col = 11 + sql.indexOf(`${fn}(`);
    expect(await issuesOf({ 'pipelines/shop.pipeline.yaml': pipeline({ sql }) })).toEqual([
      `PIPE3011 pipelines/shop.pipeline.yaml:12:${col} step "stg_orders" calls the table function ${fn}(), which reads outside the project's declared sources`,
    ]);
  });

  test('the message says to declare a source instead', async () => {
    const project = await writeTempProject({
      'contracts/raw.contract.yaml': contractYaml('raw.orders', ['id']),
      'contracts/staging.contract.yaml': contractYaml('staging.orders', ['id']),
      'data/orders.csv': 'id\n1\n',
      'pipelines/shop.pipeline.yaml': pipeline({ sql: `select id from read_csv('/etc/passwd')` }),
    });
    try {
      const { issues } = await compile(project.dir, { sqlParser });
      expect(issues.find((issue) => issue.code === 'PIPE3011')?.hint).toMatchInlineSnapshot(
        `"declare the file or database as a source of the pipeline and read it with {{ source('name') }}"`,
      );
    } finally {
      await project.remove();
    }
  });

  test('range() and unnest() compute rows and are fine', async () => {
    const sql = `select r.range as id from range(3) r cross join unnest([1]) u(x)`;
    expect(await issuesOf({ 'pipelines/shop.pipeline.yaml': pipeline({ sql }) })).toEqual([]);
  });

  test.each([
    ['ATTACH', `ATTACH '/tmp/x.duckdb' AS x`],
    ['COPY', `COPY (select 1) TO '/tmp/out.csv'`],
    ['INSTALL', 'INSTALL httpfs'],
    ['LOAD', 'LOAD httpfs'],
    ['SET', 'SET enable_external_access = true'],
  ])('%s is not a SELECT (PIPE3006)', async (keyword, sql) => {
    const issues = await issuesOf({ 'pipelines/shop.pipeline.yaml': pipeline({ sql }) });
    expect(issues).toEqual([
      `PIPE3006 pipelines/shop.pipeline.yaml:12:11 the SQL of step "stg_orders" is ${/^[AEIOU]/.test(keyword) ? 'an' : 'a'} ${keyword} statement, not a SELECT`,
    ]);
  });
});

describe('sql checks that read the host are refused', () => {
  test('in a step gate', async () => {
    const gate = `select * from {{ this }} where id not in (select 1 from read_text('/etc/passwd'))`;
    expect(await issuesOf({ 'pipelines/shop.pipeline.yaml': pipeline({ gate }) })).toEqual([
      `PIPE3011 pipelines/shop.pipeline.yaml:15:73 the sql gate 1 of step "stg_orders" calls the table function read_text(), which reads outside the project's declared sources`,
    ]);
  });

  test('in a contract check, and a check that is not a SELECT', async () => {
    const contract = [
      contractYaml('staging.orders', ['id']).trimEnd(),
      'quality:',
      `  - check: sql`,
      `    query: "select * from glob('/root/*')"`,
      `  - check: sql`,
      `    query: "ATTACH '/tmp/x.duckdb' AS x"`,
      '',
    ].join('\n');
    expect(
      await issuesOf({
        'contracts/staging.contract.yaml': contract,
        'pipelines/shop.pipeline.yaml': pipeline(),
      }),
    ).toEqual([
      `PIPE3011 contracts/staging.contract.yaml:11:27 the sql check 1 of contract "staging.orders" calls the table function glob(), which reads outside the project's declared sources`,
      'PIPE3006 contracts/staging.contract.yaml:13:13 the sql check 2 of contract "staging.orders" is not a SELECT: a check only reads',
    ]);
  });
});

describe('file sources stay inside the project', () => {
  test.each([
    ['a `..` escape', '../../../../etc/passwd', 'it leaves the project directory'],
    ['an absolute path elsewhere', '/etc/passwd', 'it is an absolute path outside the project directory'],
    ['a /proc glob', '/proc/*/environ', 'it reads the system folder /proc'],
    ['a device', '/dev/zero', 'it reads the system folder /dev'],
  ])('%s is refused at `path:`', async (_what, path, reason) => {
    expect(await issuesOf({ 'pipelines/shop.pipeline.yaml': pipeline({ path }) })).toEqual([
      `PIPE2011 pipelines/shop.pipeline.yaml:8:11 source "orders" reads "${path}", outside the project: ${reason}`,
    ]);
  });

  test('a symlink pointing out of the project is refused', async () => {
    const issues = await issuesOf(
      { 'pipelines/shop.pipeline.yaml': pipeline({ path: 'data/linked/passwd' }) },
      async (dir) => symlink('/etc', join(dir, 'data', 'linked')),
    );
    expect(issues).toEqual([
      'PIPE2011 pipelines/shop.pipeline.yaml:8:11 source "orders" reads "data/linked/passwd", outside the project: it resolves through a symbolic link to /etc/passwd, outside the project directory',
    ]);
  });

  test('a folder listed under sandbox.readable in pipectl.yaml widens it', async () => {
    const issues = await issuesOf(
      {
        'pipectl.yaml':
          'apiVersion: pipectl/v1\nkind: Project\nname: shop\nsandbox:\n  readable: [../shared]\n',
        'pipelines/shop.pipeline.yaml': pipeline({ path: '../shared/orders.csv' }),
      },
      async (dir) => mkdir(join(dir, '..', 'shared')),
    );
    expect(issues).toEqual([]);
  });

  test('a symlink that stays inside the project is fine', async () => {
    const issues = await issuesOf(
      { 'pipelines/shop.pipeline.yaml': pipeline({ path: 'inbox/orders.csv' }) },
      async (dir) => symlink(join(dir, 'data'), join(dir, 'inbox')),
    );
    expect(issues).toEqual([]);
  });
});
