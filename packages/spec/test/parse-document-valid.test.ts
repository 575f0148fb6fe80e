// Valid documents load into typed values, with every default filled in.
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  type Contract,
  columnSchema,
  contractSchema,
  isNullable,
  type Pipeline,
  type Project,
  parseDocument,
  pipelineSchema,
  primaryKeyOf,
  projectSchema,
  QUALITY_CHECK_KINDS,
  sourceSchema,
  stepSchema,
} from '../src/index.js';
import type { PipectlDocument } from '../src/loader/parse-document.js';
import { fixtureText, parseFixture } from './support.js';

function load(name: string): PipectlDocument {
  const result = parseFixture(`valid/${name}`);
  expect(result.issues).toEqual([]);
  if (!result.document) throw new Error(`${name} did not load`);
  return result.document;
}

function contract(name: string): Contract {
  const document = load(name);
  if (document.kind !== 'Contract') throw new Error(`${name} is a ${document.kind}`);
  return document.value;
}

function pipeline(name: string): Pipeline {
  const document = load(name);
  if (document.kind !== 'Pipeline') throw new Error(`${name} is a ${document.kind}`);
  return document.value;
}

function project(name: string): Project {
  const document = load(name);
  if (document.kind !== 'Project') throw new Error(`${name} is a ${document.kind}`);
  return document.value;
}

/** The keys written anywhere in a list of mappings of the raw YAML. */
function keysUsed(items: unknown): Set<string> {
  return new Set((items as Record<string, unknown>[]).flatMap((item) => Object.keys(item)));
}

function shapeKeys(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}

describe('a full contract', () => {
  const raw = parseYaml(fixtureText('valid/full.contract.yaml')) as Record<string, unknown>;

  test('the fixture writes every contract field, column field and check kind', () => {
    expect(Object.keys(raw).sort()).toEqual(shapeKeys(contractSchema).sort());
    expect([...keysUsed(raw.columns)].sort()).toEqual(shapeKeys(columnSchema).sort());
    expect([...new Set((raw.quality as { check: string }[]).map((check) => check.check))].sort()).toEqual(
      [...QUALITY_CHECK_KINDS].sort(),
    );
  });

  test('loads with the values as written', () => {
    const value = contract('full.contract.yaml');
    expect(value).toMatchObject({
      name: 'sales.orders',
      version: '2.1.0',
      compatibility: 'backward_transitive',
      approvers: ['alice@example.com', 'bob@example.com'],
      description: 'One row per order placed in the web shop.\nAmounts are in euros.\n',
      freshness: { column: 'ordered_at', maxAge: '1d', severity: 'error' },
      except: [
        { rule: 'FIELD_REMOVED', path: 'columns.legacy_code', reason: expect.stringMatching(/^The column/) },
      ],
    });
    expect(value.columns.find((column) => column.name === 'order_code')).toEqual({
      name: 'order_code',
      type: 'varchar(12)',
      nullable: true,
      primaryKey: false,
      unique: true,
      pattern: '^[A-Z]{2}-[0-9]{6}$',
      minLength: 9,
      maxLength: 9,
    });
    expect(value.quality.find((check) => check.check === 'accepted_values')).toMatchObject({
      maxFailing: '0.5%',
    });
  });

  test('the primary key is never nullable, whatever nullable says', () => {
    const value = contract('full.contract.yaml');
    expect(primaryKeyOf(value)).toEqual(['order_id']);
    const byName = new Map(value.columns.map((column) => [column.name, column]));
    expect(byName.get('order_id')?.nullable).toBe(true);
    expect(isNullable(byName.get('order_id') as Contract['columns'][number])).toBe(false);
    expect(isNullable(byName.get('customer_id') as Contract['columns'][number])).toBe(false);
    expect(isNullable(byName.get('status') as Contract['columns'][number])).toBe(true);
  });
});

describe('contract defaults', () => {
  test('a contract fills compatibility, approvers, quality and waivers', () => {
    const value = contract('minimal.contract.yaml');
    expect(value.compatibility).toBe('forward');
    expect(value.approvers).toEqual([]);
    expect(value.except).toEqual([]);
    expect(value.freshness).toBeUndefined();
  });

  test('a column is nullable, not a key and not unique unless it says so', () => {
    const [, name] = contract('minimal.contract.yaml').columns;
    expect(name).toEqual({ name: 'name', type: 'varchar', nullable: true, primaryKey: false, unique: false });
  });

  test('a quality check fails on the first failing row, at error severity, keeping 5 samples', () => {
    const [check] = contract('minimal.contract.yaml').quality;
    expect(check).toEqual({
      check: 'not_null',
      column: 'name',
      severity: 'error',
      maxFailing: 0,
      samples: 5,
      onFail: 'fail',
    });
  });

  test('freshness warns by default; range is inclusive; missing_count counts empty strings', () => {
    const text = `${fixtureText('valid/minimal.contract.yaml')}  - check: range
    column: customer_id
    min: 1
  - check: missing_count
    column: name
freshness:
  column: name
  maxAge: 26h
`;
    const result = parseDocument('minimal.contract.yaml', text);
    // Freshness on a varchar column is refused, and the contract still loads for the compiler.
    expect(result.issues.map((issue) => issue.code)).toEqual(['PIPE1018']);
    const value = result.document?.value as Contract;
    expect(value.freshness?.severity).toBe('warn');
    expect(value.quality[1]).toMatchObject({ check: 'range', exclusive: false });
    expect(value.quality[2]).toMatchObject({ check: 'missing_count', missingValues: [''] });
  });
});

describe('a full pipeline', () => {
  const raw = parseYaml(fixtureText('valid/full.pipeline.yaml')) as Record<string, unknown>;

  test('the fixture writes every pipeline field, step field and source kind', () => {
    expect(Object.keys(raw).sort()).toEqual(shapeKeys(pipelineSchema).sort());
    expect([...keysUsed(raw.steps)].sort()).toEqual(shapeKeys(stepSchema).sort());
    const kinds = sourceSchema.options.map((option) => option.shape.kind.value);
    expect([...new Set((raw.sources as { kind: string }[]).map((source) => source.kind))].sort()).toEqual(
      [...kinds].sort(),
    );
    for (const option of sourceSchema.options) {
      const written = keysUsed(
        (raw.sources as { kind: string }[]).filter((source) => source.kind === option.shape.kind.value),
      );
      expect([...written].sort(), option.shape.kind.value).toEqual(shapeKeys(option).sort());
    }
  });

  test('loads every source kind with its own fields and defaults', () => {
    const value = pipeline('full.pipeline.yaml');
    expect(value.sources.map((source) => [source.name, source.kind])).toEqual([
      ['orders_csv', 'csv'],
      ['payments', 'parquet'],
      ['events', 'json'],
      ['customers', 'postgres'],
      ['refunds', 'postgres'],
    ]);
    expect(value.sources[0]).toMatchObject({ header: false, delimiter: ';', nullValues: ['', 'NULL'] });
    expect(value.sources[2]).toMatchObject({ format: 'ndjson' });
    expect(value.sources[3]).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the YAML holds the placeholder itself
      url: '${PIPECTL_PG_URL}',
      table: 'public.customers',
      incremental: { cursor: 'updated_at', initial: '2024-01-01' },
      batchSize: 5000,
    });
    expect(value.sources[4]).toMatchObject({
      query: 'select * from refunds where amount > 0',
      batchSize: 10_000,
    });
  });

  test('loads steps, schedule, retry and approval as written', () => {
    const value = pipeline('full.pipeline.yaml');
    expect(value.schedule).toEqual({ cron: '0 6 * * *', timezone: 'Europe/Berlin', catchup: true });
    expect(value.steps[0]).toMatchObject({
      materialized: 'incremental',
      uniqueKey: ['order_id'],
      sql: "select\n  order_id,\n  customer_id\nfrom {{ source('orders_csv') }}\n",
      retry: { maximumAttempts: 5, initialInterval: '1s', backoffCoefficient: 1.5, maximumInterval: '1m' },
    });
    expect(value.steps[1]).toMatchObject({
      materialized: 'view',
      sqlFile: 'sql/daily_summary.sql',
      gates: [],
    });
    expect(value.retry).toEqual({
      maximumAttempts: 4,
      initialInterval: '10s',
      backoffCoefficient: 3,
      maximumInterval: '10m',
    });
    expect(value.approval).toEqual({ timeout: '24h', onTimeout: 'reject' });
  });
});

describe('pipeline defaults', () => {
  test('a step is a table with no gates and no retry of its own', () => {
    const [step] = pipeline('minimal.pipeline.yaml').steps;
    expect(step).toMatchObject({
      materialized: 'table',
      gates: [{ check: 'row_count', severity: 'error', maxFailing: 0, samples: 5 }],
    });
    expect(step?.retry).toBeUndefined();
  });

  test('retries 3 times from 5s doubling to 5m; approvals wait 72h and then fail', () => {
    const value = pipeline('minimal.pipeline.yaml');
    expect(value.retry).toEqual({
      maximumAttempts: 3,
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
    });
    expect(value.approval).toEqual({ timeout: '72h', onTimeout: 'fail' });
    expect(value.schedule).toBeUndefined();
  });

  test('a csv source has a header row; a retry policy or schedule fills what it leaves out', () => {
    const text = `${fixtureText('valid/minimal.pipeline.yaml')}retry:
  maximumAttempts: 10
approval: {}
schedule:
  cron: 0 6 * * *
`;
    const result = parseDocument('minimal.pipeline.yaml', text);
    expect(result.issues).toEqual([]);
    const value = result.document?.value as Pipeline;
    expect(value.sources[0]).toMatchObject({ kind: 'csv', header: true });
    expect(value.retry).toEqual({
      maximumAttempts: 10,
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
    });
    expect(value.approval).toEqual({ timeout: '72h', onTimeout: 'fail' });
    expect(value.schedule).toEqual({ cron: '0 6 * * *', timezone: 'UTC', catchup: false });
  });

  test('a pipeline without sources has an empty list; json sources detect their format', () => {
    const text = `apiVersion: pipectl/v1
kind: Pipeline
name: events
sources:
  - name: events
    kind: json
    contract: raw.events
    path: events.json
steps:
  - name: events
    produces: sales.events
    sql: select 1
`;
    const value = parseDocument('events.pipeline.yaml', text).document?.value as Pipeline;
    expect(value.sources[0]).toMatchObject({ format: 'auto' });
    const noSources = parseDocument('x.pipeline.yaml', text.replace(/sources:[\s\S]*?steps:/, 'steps:'));
    expect((noSources.document?.value as Pipeline | undefined)?.sources).toEqual([]);
  });
});

describe('project files', () => {
  test('a full project file loads as written', () => {
    expect(project('pipectl.yaml')).toEqual({
      apiVersion: 'pipectl/v1',
      kind: 'Project',
      name: 'shop',
      description: "The web shop's data.",
      contracts: 'data-contracts',
      pipelines: 'data-pipelines',
      warehouse: { path: 'build/warehouse.duckdb' },
      temporal: { address: 'temporal.internal:7233', namespace: 'data', taskQueue: 'shop-pipelines' },
      compatibility: { review: { default: 'fail', rules: {} } },
    });
  });

  test('a minimal project file gets folders, warehouse and Temporal defaults', () => {
    expect(project('minimal-project.yaml')).toEqual({
      apiVersion: 'pipectl/v1',
      kind: 'Project',
      name: 'shop',
      contracts: 'contracts',
      pipelines: 'pipelines',
      warehouse: { path: '.pipectl/warehouse.duckdb' },
      temporal: { address: 'localhost:7233', namespace: 'default' },
      compatibility: { review: { default: 'fail', rules: {} } },
    });
  });

  test('a partial warehouse or temporal mapping keeps the other defaults', () => {
    const text =
      'apiVersion: pipectl/v1\nkind: Project\nname: shop\nwarehouse: {}\ntemporal:\n  namespace: data\n';
    const value = parseDocument('pipectl.yaml', text).document?.value as Project;
    expect(value.warehouse).toEqual({ path: '.pipectl/warehouse.duckdb' });
    expect(value.temporal).toEqual({ address: 'localhost:7233', namespace: 'data' });
  });

  test('projectSchema parses the same values without the loader', () => {
    expect(projectSchema.parse({ apiVersion: 'pipectl/v1', kind: 'Project', name: 'x' }).contracts).toBe(
      'contracts',
    );
  });
});

describe('the document', () => {
  test('keeps the file name and a source map for issues found later', () => {
    const document = load('full.pipeline.yaml');
    expect(document.file).toBe('full.pipeline.yaml');
    expect(document.sourceMap.spanOf(['steps', 1, 'sqlFile'])).toMatchObject({ line: 72, col: 14 });
  });
});
