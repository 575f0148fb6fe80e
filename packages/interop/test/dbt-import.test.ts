// A dbt project's models become pipectl contracts: the manifest is made by the real dbt (dbt-duckdb
// from PyPI, `dbt parse`) from the small project under test/fixtures/dbt-shop.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Issue } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pythonToolsSkipReason, runPythonTool } from '../../../test-support/python-tools.js';
import { type ImportResult, importDbtManifest } from '../src/index.js';

const skip = pythonToolsSkipReason();
const project = fileURLToPath(new URL('./fixtures/dbt-shop/', import.meta.url));

const lines = (issues: readonly Issue[]) =>
  issues.map((issue) => `${issue.code} ${issue.severity} ${issue.message}`);

describe.skipIf(skip !== undefined)(
  `importing a manifest dbt parse wrote${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let dir: string;
    let result: ImportResult;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pipectl-dbt-'));
      cpSync(project, dir, { recursive: true });
      const parse = await runPythonTool(
        'dbt',
        ['parse', '--profiles-dir', dir, '--project-dir', dir, '--no-use-colors'],
        dir,
      );
      if (parse.code !== 0)
        throw new Error(`dbt parse failed (exit ${parse.code}):\n${parse.stdout}\n${parse.stderr}`);
      result = importDbtManifest(
        'target/manifest.json',
        readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'),
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('every model becomes a contract named by its relation', () => {
      expect(result.contracts.map((c) => c.name)).toEqual([
        'main_marts.customer_orders',
        'main_staging.stg_customers',
        'main_staging.stg_orders',
      ]);
    });

    test('constraints and error-severity tests become column promises; warn tests become warn checks', () => {
      const orders = result.contracts.find((c) => c.name === 'main_staging.stg_orders')?.text;
      expect(orders).toMatchInlineSnapshot(`
      "apiVersion: pipectl/v1
      kind: Contract
      name: main_staging.stg_orders
      version: 1.0.0
      owner: checkout-team
      description: Orders as placed in the shop.
      columns:
        - name: order_id
          type: integer
          primaryKey: true
        - name: customer_id
          type: integer
          nullable: false
          references: main_staging.stg_customers.customer_id
        - name: ordered_at
          type: timestamp
        - name: status
          type: varchar
          acceptedValues:
            - placed
            - shipped
            - returned
        - name: amount
          type: decimal(12,2)
      "
    `);
      const customers = result.contracts.find((c) => c.name === 'main_staging.stg_customers')?.contract;
      expect(customers?.owner).toBe('shop-data@example.com');
      expect(customers?.columns.find((c) => c.name === 'email')?.pii).toBe('email');
      expect(customers?.quality).toMatchObject([
        { check: 'accepted_values', column: 'country', severity: 'warn' },
      ]);
    });

    test('what has no place in pipectl is reported per model and column', () => {
      expect(lines(result.issues)).toMatchInlineSnapshot(`
      [
        "PIPE7011 warning model "customer_orders" (models/marts/_marts.yml) names no owner (meta.owner or a group's owner): the contract's owner is the dbt project's name "shop"",
        "PIPE7011 warning model "customer_orders" (models/marts/_marts.yml): column "customer_id" has no data_type; typed varchar (set data_type in the model's YAML, or correct the contract)",
        "PIPE7011 warning model "stg_orders" (models/staging/_staging.yml): test is_positive on "amount" is a custom test, not carried: write it as a pipectl sql check",
      ]
    `);
    });
  },
);

describe('importing something that is not a dbt manifest', () => {
  test('is refused with PIPE7010', () => {
    expect(lines(importDbtManifest('m.json', '{"nodes": {}}').issues)).toMatchInlineSnapshot(`
      [
        "PIPE7010 error not a dbt manifest (no metadata.dbt_schema_version of a manifest, or no nodes)",
      ]
    `);
    expect(lines(importDbtManifest('m.json', 'not json').issues)).toMatchInlineSnapshot(`
      [
        "PIPE7010 error the file is not JSON: Unexpected token 'o', "not json" is not valid JSON",
      ]
    `);
  });
});
