// The registry records every publication; the next build compares its schema with the last one
// through @pipectl/compat, and a breaking change waits for an approval.
import type { Contract } from '@pipectl/spec';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { discardStaged, publicationHistory } from '../../src/index.js';
import { latestPublication } from '../../src/registry/published-versions.js';
import { compare } from '../../src/schema/compare-schema.js';
import { schemaContract } from '../../src/schema/observed-contract.js';
import { relationKind } from '../../src/schema/relation-name.js';
import { type RunStepInput, runStep } from '../../src/steps/run-step.js';
import { stagingNameOf } from '../../src/steps/staging-name.js';
import { fixtureContract, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';
import { warehouseKinds } from '../support/warehouse-kinds.js';

describe.each(warehouseKinds())('on a $name', (kind) => {
  let db: TempWarehouse;
  beforeEach(async () => {
    db = await tempWarehouse(kind);
    await db.warehouse.run(`
      CREATE SCHEMA raw;
      CREATE TABLE raw.lines AS SELECT 1::BIGINT AS order_id, 1 AS line_number, 3 AS quantity, 'x' AS note;
    `);
  });
  afterEach(() => db.close());

  const base = fixtureContract('order-lines');
  const withVersion = (version: string, change: (c: Contract) => Contract = (c) => c): Contract =>
    change({ ...base, version });

  const step = (runId: string, contract: Contract, sql: string): RunStepInput => ({
    runId,
    step: 'lines',
    dataset: 'sales.order_lines',
    sql,
    materialized: 'table',
    contract,
  });
  const v1Sql = 'select order_id, line_number, quantity from "raw"."lines"';

  describe('the published-schema registry', () => {
    test('records every publication with its contract version, schema, hash, run and time', async () => {
      await runStep(db.warehouse, step('run-1', withVersion('1.0.0'), v1Sql));
      const v2 = withVersion('1.1.0', (c) => ({
        ...c,
        columns: [
          ...c.columns,
          { name: 'note', type: 'varchar(20)', nullable: true, primaryKey: false, unique: false },
        ],
      }));
      const report = await runStep(db.warehouse, step('run-2', v2, 'select * from "raw"."lines"'));
      expect(report.status).toBe('published');
      expect(report.build.compatibility?.changes.map((c) => [c.rule, c.verdict])).toEqual([
        ['FIELD_ADDED_OPTIONAL', 'compatible'],
      ]);

      const history = await publicationHistory(db.warehouse, 'sales.order_lines');
      expect(history.map((v) => [v.runId, v.contractVersion, v.step, v.rowsWritten, v.materialized])).toEqual(
        [
          ['run-1', '1.0.0', 'lines', 1, 'table'],
          ['run-2', '1.1.0', 'lines', 1, 'table'],
        ],
      );
      expect(history[1]?.schema.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        'order_id bigint',
        'line_number integer',
        'quantity integer',
        // The declared spelling is kept where DuckDB stores it the same way.
        'note varchar(20)',
      ]);
      expect(history[0]?.schemaHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(history[0]?.schemaHash).not.toBe(history[1]?.schemaHash);
      expect(Date.parse(history[1]?.publishedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
      expect((await latestPublication(db.warehouse, 'sales.order_lines'))?.runId).toBe('run-2');
    });

    test('compare names a breaking change by its compat rule id', async () => {
      const last = withVersion('1.0.0');
      const next = withVersion('1.1.0', (c) => ({
        ...c,
        columns: c.columns
          .filter((col) => col.name !== 'quantity')
          .map((col) => (col.name === 'line_number' ? { ...col, type: 'smallint' } : col)),
      }));
      const report = compare(next, last, 'forward');
      expect(report.breaking).toBe(true);
      expect(report.changes.map((c) => [c.rule, c.path, c.verdict])).toEqual(
        expect.arrayContaining([
          ['FIELD_REMOVED', 'columns.quantity', 'breaking'],
          ['FIELD_TYPE_NARROWED', 'columns.line_number.type', 'compatible'],
        ]),
      );
    });

    test('compare works on observed schemas alone', () => {
      const before = schemaContract('s.t', [{ name: 'a', type: 'INTEGER', nullable: true }]);
      const after = schemaContract('s.t', [{ name: 'a', type: 'BIGINT', nullable: true }]);
      expect(compare(after, before, 'forward').changes.map((c) => c.rule)).toEqual(['FIELD_TYPE_WIDENED']);
    });

    test('a build with a breaking change waits for approval; an approval publishes it and is recorded', async () => {
      const forward = (c: Contract): Contract => ({ ...c, compatibility: 'forward' });
      await runStep(db.warehouse, step('run-1', withVersion('1.0.0', forward), v1Sql));
      const narrower = withVersion('2.0.0', (c) => ({
        ...forward(c),
        columns: c.columns.filter((col) => col.name !== 'quantity'),
      }));
      const sql = 'select order_id, line_number from "raw"."lines"';
      const waiting = await runStep(db.warehouse, step('run-2', narrower, sql));
      expect(waiting.status).toBe('awaiting-approval');
      expect(waiting.build.compatibility).toMatchObject({
        mode: 'forward',
        breaking: true,
        fromVersion: '1.0.0',
      });
      expect(waiting.build.compatibility?.changes.map((c) => c.rule)).toContain('FIELD_REMOVED');
      expect((await latestPublication(db.warehouse, 'sales.order_lines'))?.runId).toBe('run-1');

      // A rejection drops the staged output; an approval publishes a rebuild.
      await discardStaged(db.warehouse, step('run-2', narrower, sql));
      expect(
        await relationKind(db.warehouse, stagingNameOf('sales.order_lines', 'run-2', 'lines')),
      ).toBeUndefined();
      const approved = await runStep(db.warehouse, {
        ...step('run-2', narrower, sql),
        approval: { by: 'alice', decision: 'approved', comment: 'consumers moved to quantity_v2' },
      });
      expect(approved.status).toBe('published');
      expect((await latestPublication(db.warehouse, 'sales.order_lines'))?.approval).toEqual({
        by: 'alice',
        decision: 'approved',
        comment: 'consumers moved to quantity_v2',
      });
    });

    test('a signed approval is kept with its version; a registry made before signatures gains the column', async () => {
      // The registry as releases before signed approvals created it: no decision_signature column.
      await db.warehouse.run(`
        CREATE SCHEMA IF NOT EXISTS "_pipectl";
        CREATE TABLE "_pipectl"."published_versions" (
          dataset VARCHAR NOT NULL, run_id VARCHAR NOT NULL, step VARCHAR, contract_version VARCHAR NOT NULL,
          schema_json JSON NOT NULL, schema_hash VARCHAR NOT NULL, materialized VARCHAR NOT NULL,
          rows_written BIGINT NOT NULL, published_at TIMESTAMPTZ NOT NULL, approved_by VARCHAR,
          decision VARCHAR, decision_comment VARCHAR);
      `);
      await runStep(db.warehouse, step('run-1', withVersion('1.0.0'), v1Sql));
      const signature = {
        fingerprint: 'SHA256:abc',
        signedAt: '2026-12-03T09:00:00.000Z',
        signature: '-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----',
        message: '{"by":"alice"}',
        decidedAt: '2026-12-03T09:00:01.000Z',
        via: 'signal',
      };
      await runStep(db.warehouse, {
        ...step('run-2', withVersion('1.1.0'), v1Sql),
        approval: { by: 'alice', decision: 'approved', signature },
      });
      const history = await publicationHistory(db.warehouse, 'sales.order_lines');
      expect(history.map((v) => v.approval ?? null)).toEqual([
        null,
        { by: 'alice', decision: 'approved', signature },
      ]);
    });
  });
});
