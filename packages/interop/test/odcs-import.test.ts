// ODCS files written by other tools import into pipectl contracts that validate; whatever pipectl
// cannot hold is reported per field with its place, and a broken file gets located errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatIssuePath, type Issue } from '@pipectl/spec';
import { describe, expect, test } from 'vitest';
import { importOdcs } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/odcs/${name}`, import.meta.url));
const importFixture = (name: string) => importOdcs(name, readFileSync(fixture(name), 'utf8'));

/** One line per issue, as a user reads them: code, severity, place, path, message. */
function lines(issues: readonly Issue[]): string[] {
  return issues.map(
    (issue) =>
      `${issue.code} ${issue.severity} ${issue.file}:${issue.span?.line}:${issue.span?.col} ${formatIssuePath(issue.path)}: ${issue.message}`,
  );
}

describe('importing ODCS', () => {
  test('orders: a v3.1.0 contract in datacontract-cli style, with what pipectl cannot hold reported', () => {
    const result = importFixture('orders.odcs.yaml');
    expect(result.contracts.map((c) => c.file)).toEqual(['contracts/checkout/orders.contract.yaml']);
    expect(lines(result.issues)).toMatchInlineSnapshot(`
      [
        "PIPE7002 warning orders.odcs.yaml:7:9 status: "status" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:9:9 tenant: "tenant" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:114:3 servers: "servers" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:20:7 team.members[0]: this members entry is not carried into pipectl: pipectl keeps one owner, and it is "checkout-team"",
        "PIPE7002 warning orders.odcs.yaml:24:7 team.members[2]: this members entry is not carried into pipectl: pipectl keeps an owner and approvers (role: approver), not role "data steward"",
        "PIPE7002 warning orders.odcs.yaml:12:16 description.limitations: "limitations" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:13:10 description.usage: "usage" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:30:19 schema[0].businessName: "businessName" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:32:33 schema[0].dataGranularityDescription: "dataGranularityDescription" is not carried into pipectl",
        "PIPE7003 warning orders.odcs.yaml:102:15 schema[0].quality[0].name: quality rule "enough orders" is imported as "enough_orders"",
        "PIPE7002 warning orders.odcs.yaml:103:9 schema[0].quality[1]: this quality entry is not carried into pipectl: a text rule describes quality in words only",
        "PIPE7002 warning orders.odcs.yaml:35:23 schema[0].properties[0].businessName: "businessName" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:44:11 schema[0].properties[0].examples: "examples" is not carried into pipectl",
        "PIPE7002 warning orders.odcs.yaml:45:25 schema[0].properties[0].classification: "classification" is not carried into pipectl: pipectl marks personal data (pii), not "restricted"",
        "PIPE7002 warning orders.odcs.yaml:110:5 slaProperties[1]: this slaProperties entry is not carried into pipectl: pipectl keeps a freshness SLA only, not "retention"",
        "PIPE7002 warning orders.odcs.yaml:11:12 description.purpose: "purpose" is not carried into pipectl: the schema object has its own description",
      ]
    `);
    expect(result.contracts[0]?.text).toMatchInlineSnapshot(`
      "apiVersion: pipectl/v1
      kind: Contract
      name: checkout.orders
      version: 2.0.0
      owner: checkout-team
      description: One record per order. Includes cancelled and deleted orders.
      approvers:
        - john.doe@example.com
      tags:
        - checkout
        - orders
      columns:
        - name: order_id
          type: text
          description: An internal ID that identifies an order in the online shop.
          primaryKey: true
          unique: true
        - name: order_timestamp
          type: timestamp with time zone
          description: The business timestamp in UTC when the order was successfully registered in the source system and the payment was successful.
          nullable: false
          tags:
            - business-timestamp
        - name: order_total
          type: bigint
          description: Total amount the smallest monetary unit (e.g., cents).
          nullable: false
          min: 0
        - name: customer_id
          type: text
          description: Unique identifier for the customer.
          references: checkout.customers.id
          minLength: 10
          maxLength: 20
        - name: customer_email_address
          type: text
          description: The email address, as entered by the customer.
          nullable: false
          pii: other
        - name: processed_timestamp
          type: timestamp with time zone
          description: The timestamp when the record was processed by the data platform.
          nullable: false
      quality:
        - name: enough_orders
          check: row_count
          min: 6
        - check: sql
          query: |-
            select * from (SELECT quantile_cont(order_total, 0.95) AS percentile_95
            FROM {{ this }}) as odcs_result(value) where not (value between 1000 and 49900)
          description: 95% of all order total values are expected to be between 10 and 499 EUR.
        - check: not_null
          column: customer_email_address
        - check: pattern
          column: customer_email_address
          regex: ^[^@\\s]+@[^@\\s]+$
          severity: warn
          maxFailing: 1%
      freshness:
        column: processed_timestamp
        maxAge: 25h
      "
    `);
  });

  test('customers: a v3.1.0 contract with the older team list, library rules and logical types only', () => {
    const result = importFixture('customers.odcs.yaml');
    expect(lines(result.issues)).toMatchInlineSnapshot(`
      [
        "PIPE7002 warning customers.odcs.yaml:7:9 status: "status" is not carried into pipectl",
        "PIPE7003 warning customers.odcs.yaml:6:10 version: version "1.1" is imported as "1.1.0" (pipectl versions are semver)",
      ]
    `);
    const contract = result.contracts[0]?.contract;
    expect(contract?.name).toBe('checkout.customers');
    expect(contract?.owner).toBe('mary.lee@example.com');
    expect(contract?.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'id varchar',
      'country varchar',
      'segment varchar',
      'lifetime_value double',
      'signed_up_on date',
      'loyalty_points bigint',
    ]);
    expect(contract?.quality.map((check) => check.check)).toEqual([
      'unique',
      'accepted_values',
      'missing_count',
    ]);
  });

  test('line items: nested arrays, objects and maps become DuckDB list, struct and map types', () => {
    const result = importFixture('line-items.odcs.yaml');
    expect(lines(result.issues)).toMatchInlineSnapshot(`
      [
        "PIPE7002 warning line-items.odcs.yaml:28:20 schema[0].properties[2].enum[1].label: "label" is not carried into pipectl",
        "PIPE7003 warning line-items.odcs.yaml:46:23 schema[0].properties[5].physicalType: property "added_at": physicalType "NUMBER(38,0)" is not a DuckDB type; used "timestamp" from logicalType "timestamp"",
      ]
    `);
    expect(result.contracts[0]?.contract.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'line_item_id bigint',
      'order_id varchar',
      'sku varchar',
      'discounts struct(code varchar, amount decimal(10,2))[]',
      'attributes map(varchar, integer)',
      'added_at timestamp',
    ]);
    expect(result.contracts[0]?.contract.columns[1]?.references).toBe('checkout.orders.order_id');
  });

  test('errors in an ODCS file are located at file:line:col with a PIPE7xxx code', () => {
    const text = [
      'apiVersion: v3.1.0',
      'kind: DataContract',
      'id: broken',
      'version: one',
      'team: { name: data-team }',
      'schema:',
      '  - name: orders',
      '    properties:',
      '      - name: order id',
      '        logicalType: string',
      '      - name: total',
      '        physicalType: MONEY',
      '      - name: placed_at',
      '        logicalType: timestamp',
      '        logicalTypeOptions: { minimum: 5 }',
    ].join('\n');
    expect(lines(importOdcs('broken.odcs.yaml', text).issues)).toMatchInlineSnapshot(`
      [
        "PIPE7003 error broken.odcs.yaml:4:10 version: version "one" is not semver",
        "PIPE7003 error broken.odcs.yaml:9:15 schema[0].properties[0].name: property name "order id" is not a column name pipectl accepts",
        "PIPE7003 error broken.odcs.yaml:12:23 schema[0].properties[1].physicalType: property "total": physicalType "MONEY" is not a DuckDB type and there is no logicalType to fall back on",
      ]
    `);
  });

  test('a mapped contract pipectl rejects is reported at the ODCS field it came from', () => {
    const text = [
      'apiVersion: v3.2.0',
      'kind: DataContract',
      'id: odd',
      'version: 1.0.0',
      'team: { name: data-team }',
      'schema:',
      '  - name: events',
      '    properties:',
      '      - name: happened_at',
      '        logicalType: timestamp',
      '        quality:',
      '          - type: custom',
      '            engine: pipectl',
      '            implementation: { check: not_nul }',
    ].join('\n');
    expect(lines(importOdcs('odd.odcs.yaml', text).issues)).toMatchInlineSnapshot(`
      [
        "PIPE7004 error odd.odcs.yaml:12:13 schema[0].properties[0].quality[0]: the imported contract "imported.events" is invalid: unknown check "not_nul" in quality[0] (quality[0].check)",
      ]
    `);
  });

  test('a YAML syntax error, another kind of file and an unread version are refused', () => {
    expect(lines(importOdcs('a.yaml', 'kind: DataContract\nschema: [\n').issues)).toMatchInlineSnapshot(`
      [
        "PIPE1001 error a.yaml:3:1 : Flow sequence in block collection must be sufficiently indented and end with a ]",
      ]
    `);
    expect(
      lines(importOdcs('b.yaml', 'apiVersion: pipectl/v1\nkind: Contract\n').issues),
    ).toMatchInlineSnapshot(`
      [
        "PIPE7001 error b.yaml:2:7 kind: not an ODCS data contract",
      ]
    `);
    expect(
      lines(importOdcs('c.yaml', 'apiVersion: v2.2.2\nkind: DataContract\n').issues),
    ).toMatchInlineSnapshot(`
      [
        "PIPE7001 error c.yaml:1:13 apiVersion: ODCS apiVersion "v2.2.2" is not one pipectl reads",
      ]
    `);
  });
});
