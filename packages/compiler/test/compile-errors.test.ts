// Every bad-input fixture yields exactly the issues listed here: code, place and message.
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compile, createDuckDbSqlParser } from '../src/index.js';
import { renderIssue, renderIssues } from './support/render-issue.js';
import { contractYaml, writeTempProject } from './support/temp-project.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const sqlParser = createDuckDbSqlParser();
afterAll(() => sqlParser.close());

const compileFixture = (name: string) => compile(join(fixtures, name), { sqlParser });

describe('a project with one mistake reports it at its place', () => {
  test.each([
    {
      fixture: 'duplicate-contract',
      issues: [
        'PIPE2001 contracts/orders_v2.contract.yaml:3:7 dataset "raw.orders" is declared by two contracts: "contracts/orders.contract.yaml" and "contracts/orders_v2.contract.yaml"',
      ],
    },
    {
      fixture: 'produced-twice',
      issues: [
        'PIPE2007 pipelines/orders_daily.pipeline.yaml:14:15 dataset "staging.orders" is produced twice: by step "stg_orders" of pipeline "orders_daily" and by step "stg_orders_again" of pipeline "orders_daily"',
      ],
    },
    {
      fixture: 'unknown-contract',
      issues: [
        'PIPE2003 pipelines/orders_daily.pipeline.yaml:11:15 step "stg_orders" names contract "staging.order", which does not exist',
      ],
    },
    {
      fixture: 'unknown-ref',
      issues: [
        'PIPE2004 pipelines/orders_daily.pipeline.yaml:17:20 unknown ref(\'stg_ordrs\') in step "fct_orders": it is neither a step of pipeline "orders_daily" nor a produced dataset',
      ],
    },
    {
      fixture: 'unknown-source',
      issues: [
        'PIPE2005 pipelines/orders_daily.pipeline.yaml:12:63 unknown source(\'ordrs\') in step "stg_orders": pipeline "orders_daily" has no source of this name',
      ],
    },
    {
      fixture: 'unknown-table',
      issues: [
        'PIPE3002 pipelines/orders_daily.pipeline.yaml:12:52 unknown table "raw.orders" in step "stg_orders": it is not a ref(), a source() or a CTE',
      ],
    },
    {
      fixture: 'unknown-column',
      issues: [
        'PIPE3003 pipelines/orders_daily.pipeline.yaml:16:9 unknown column "o.amout" in step "stg_orders": "raw.orders" has no column "amout"',
      ],
    },
    {
      fixture: 'missing-column',
      issues: [
        'PIPE3004 pipelines/orders_daily.pipeline.yaml:13:7 step "stg_orders" does not select column "amount" of contract "staging.orders"',
      ],
    },
    {
      fixture: 'extra-column',
      issues: [
        'PIPE3005 pipelines/orders_daily.pipeline.yaml:13:24 step "stg_orders" outputs column "vat", which contract "staging.orders" does not declare',
      ],
    },
    {
      fixture: 'sql-syntax',
      issues: [
        'PIPE3001 pipelines/orders_daily.pipeline.yaml:14:12 the SQL of step "stg_orders" does not parse: syntax error at or near ""raw"" (the relation of {{ source(\'orders\') }})',
        'PIPE3001 pipelines/sql/stg_orders_copy.sql:4:16 the SQL of step "stg_orders_copy" does not parse: syntax error at or near ">"',
      ],
    },
    {
      fixture: 'not-select',
      issues: [
        'PIPE3006 pipelines/orders_daily.pipeline.yaml:13:7 the SQL of step "stg_orders" is an INSERT statement, not a SELECT',
        'PIPE3006 pipelines/orders_daily.pipeline.yaml:18:7 the SQL of step "stg_orders_copy" holds 2 statements; a step is exactly one SELECT',
      ],
    },
    {
      fixture: 'bad-template',
      issues: [
        'PIPE3008 pipelines/orders_daily.pipeline.yaml:12:52 unsupported template expression "{{ source(orders) }}" in step "stg_orders"',
        'PIPE3008 pipelines/orders_daily.pipeline.yaml:12:88 unsupported template expression "{{ var(\'min\') }}" in step "stg_orders"',
      ],
    },
    {
      fixture: 'step-cycle',
      issues: [
        'PIPE2006 pipelines/orders_daily.pipeline.yaml:7:60 steps of pipeline "orders_daily" form a cycle: stg_orders -> stg_orders_copy -> stg_orders',
      ],
    },
    {
      fixture: 'pipeline-cycle',
      issues: [
        'PIPE2006 pipelines/first.pipeline.yaml:7:33 steps form a cycle across pipelines through their datasets: first/build_a -> second/build_b -> first/build_a',
      ],
    },
    {
      fixture: 'missing-sql-file',
      issues: [
        'PIPE2009 pipelines/orders_daily.pipeline.yaml:12:14 sqlFile "sql/stg_orders.sql" of step "stg_orders" does not exist (looked for "pipelines/sql/stg_orders.sql")',
      ],
    },
  ])('$fixture', async ({ fixture, issues }) => {
    const result = await compileFixture(fixture);
    expect(result.issues.map((issue) => renderIssue(issue, { hint: false }))).toEqual(issues);
  });
});

describe('issues say how to fix the mistake', () => {
  test('a misspelt ref() suggests the step it was meant to be', async () => {
    const { issues } = await compileFixture('unknown-ref');
    expect(renderIssues(issues)).toMatchInlineSnapshot(
      `"PIPE2004 pipelines/orders_daily.pipeline.yaml:17:20 unknown ref('stg_ordrs') in step "fct_orders": it is neither a step of pipeline "orders_daily" nor a produced dataset (did you mean "stg_orders"?)"`,
    );
  });

  test('a misspelt source() suggests the source', async () => {
    const { issues } = await compileFixture('unknown-source');
    expect(renderIssues(issues)).toMatchInlineSnapshot(
      `"PIPE2005 pipelines/orders_daily.pipeline.yaml:12:63 unknown source('ordrs') in step "stg_orders": pipeline "orders_daily" has no source of this name (did you mean "orders"?)"`,
    );
  });

  test('a misspelt column in SQL suggests the contract column', async () => {
    const { issues } = await compileFixture('unknown-column');
    expect(renderIssues(issues)).toMatchInlineSnapshot(
      `"PIPE3003 pipelines/orders_daily.pipeline.yaml:16:9 unknown column "o.amout" in step "stg_orders": "raw.orders" has no column "amout" (did you mean "amount"?)"`,
    );
  });

  test('a table named without ref() suggests the ref() to write', async () => {
    const { issues } = await compileFixture('unknown-table');
    expect(renderIssues(issues)).toMatchInlineSnapshot(
      `"PIPE3002 pipelines/orders_daily.pipeline.yaml:12:52 unknown table "raw.orders" in step "stg_orders": it is not a ref(), a source() or a CTE (read it with {{ ref('raw.orders') }})"`,
    );
  });

  test('a missing contract column suggests how to fill it', async () => {
    const { issues } = await compileFixture('missing-column');
    expect(renderIssues(issues)).toMatchInlineSnapshot(
      `"PIPE3004 pipelines/orders_daily.pipeline.yaml:13:7 step "stg_orders" does not select column "amount" of contract "staging.orders" (select it, or fill it explicitly: CAST(NULL AS decimal(12,2)) AS amount)"`,
    );
  });

  test('a misspelt contract suggests the existing one', async () => {
    const { issues } = await compileFixture('unknown-contract');
    expect(renderIssues(issues)).toMatchInlineSnapshot(
      `"PIPE2003 pipelines/orders_daily.pipeline.yaml:11:15 step "stg_orders" names contract "staging.order", which does not exist (did you mean "staging.orders"?)"`,
    );
  });
});

describe('output columns', () => {
  /** Compiles a one-step project whose step selects `select` from a source with columns id, amount. */
  async function compileStep(select: string) {
    const project = await writeTempProject({
      'contracts/a.contract.yaml': contractYaml('sales.a', ['id', 'amount']),
      'contracts/b.contract.yaml': contractYaml('sales.b', ['id', 'total']),
      'pipelines/p.pipeline.yaml': [
        'apiVersion: pipectl/v1',
        'kind: Pipeline',
        'name: p',
        'sources: [{ name: a, kind: csv, path: a.csv, contract: sales.a }]',
        'steps:',
        '  - name: b',
        '    produces: sales.b',
        `    sql: ${select} from {{ source('a') }}`,
        '',
      ].join('\n'),
    });
    try {
      return renderIssues((await compile(project.dir, { sqlParser })).issues);
    } finally {
      await project.remove();
    }
  }

  test('may come in any order', async () => {
    expect(await compileStep('select amount as total, id')).toBe('');
  });

  test('an expression without a name is reported, suggesting the contract column it could fill', async () => {
    expect(await compileStep('select id, amount * 2')).toMatchInlineSnapshot(`
      "PIPE3004 pipelines/p.pipeline.yaml:8:10 step "b" does not select column "total" of contract "sales.b" (select it, or fill it explicitly: CAST(NULL AS bigint) AS total)
      PIPE3010 pipelines/p.pipeline.yaml:8:28 output column 2 of step "b" is an expression without a name (name it: ... AS total)"
    `);
  });

  test('a column selected twice is reported, as DuckDB would rename the second', async () => {
    expect(await compileStep('select id, amount as total, id')).toMatchInlineSnapshot(
      `"PIPE3005 pipelines/p.pipeline.yaml:8:38 step "b" outputs column "id" twice; DuckDB would name the second "id_1" (select each contract column once: drop or rename one of the two)"`,
    );
  });
});

describe('a project with many mistakes', () => {
  test('reports every one of them in a single run, across files', async () => {
    const { issues } = await compileFixture('multi-error');
    // Places only for the loader's own issues (their wording belongs to @pipectl/spec).
    const lines = issues.map((issue) =>
      issue.code.startsWith('PIPE1')
        ? `${issue.code} ${issue.file}:${issue.span?.line}:${issue.span?.col}`
        : renderIssue(issue),
    );
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "PIPE1006 contracts/customers.contract.yaml:7:5
      PIPE1004 contracts/customers.contract.yaml:8:5
      PIPE2003 contracts/orders.contract.yaml:12:17 "raw.customer.customer_id" refers to contract "raw.customer", which does not exist (did you mean "raw.customers"?)
      PIPE2008 contracts/revenue.contract.yaml:14:9 "raw.orders.customer_key" refers to column "customer_key", which contract "raw.orders" does not declare (did you mean "customer_id"?)
      PIPE1001 pipelines/broken.pipeline.yaml:6:10
      PIPE2002 pipelines/daily_copy.pipeline.yaml:3:7 pipeline "daily" is declared twice: in "pipelines/daily.pipeline.yaml" and "pipelines/daily_copy.pipeline.yaml" (rename one of the two pipelines)
      PIPE3003 pipelines/daily.pipeline.yaml:17:37 unknown column "amout" in step "stg_orders": no input in scope has it (did you mean "amount"?)
      PIPE1011 pipelines/daily.pipeline.yaml:21:17
      PIPE2004 pipelines/daily.pipeline.yaml:26:20 unknown ref('stg_ordrs') in step "revenue": it is neither a step of pipeline "daily" nor a produced dataset (did you mean "stg_orders"?)"
    `);
  });

  test('does not report references to a contract whose own file is broken', async () => {
    const { issues } = await compileFixture('multi-error');
    const cascades = issues.filter((issue) => issue.message.includes('"raw.customers"'));
    expect(cascades).toEqual([]);
  });

  test('still places SQL issues inside a .sql file by its own lines', async () => {
    const { issues } = await compileFixture('sql-syntax');
    const inFile = issues.find((issue) => issue.file === 'pipelines/sql/stg_orders_copy.sql');
    expect(inFile?.span).toMatchObject({ line: 4, col: 16 });
    expect(inFile?.path).toEqual([]);
  });
});
