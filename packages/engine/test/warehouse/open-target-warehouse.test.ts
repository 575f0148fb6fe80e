// openTargetWarehouse: the target named in pipectl.yaml decides the kind of warehouse; relative
// paths are the project's, and a PostgreSQL catalog's password comes from the environment.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write in pipectl.yaml is the subject
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Project, parseDocument, resolveTarget } from '@pipectl/spec';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTargetWarehouse } from '../../src/index.js';
import { sharedPostgres, warehouseKinds } from '../support/warehouse-kinds.js';

warehouseKinds(); // stops the file's PostgreSQL server afterwards
let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'pipectl-target-'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const projectFile = (port: number) => `apiVersion: pipectl/v1
kind: Project
name: shop
targets:
  local_lake:
    warehouse: { kind: ducklake, catalog: .pipectl/lake.ducklake, dataPath: .pipectl/lake }
  team:
    warehouse:
      kind: ducklake
      catalog: postgres:host=127.0.0.1 port=${port} user=pipectl password=\${PGPASSWORD} dbname=postgres
      dataPath: \${LAKE_DATA}
`;

async function roundTrip(name: string | undefined, env: Record<string, string> = {}) {
  const pg = await sharedPostgres();
  const config = parseDocument('pipectl.yaml', projectFile(pg.port)).document?.value as Project;
  const resolved = resolveTarget(config, { ...(name ? { name } : {}), env });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  const warehouse = await openTargetWarehouse(resolved.target, project);
  try {
    await warehouse.run('CREATE SCHEMA IF NOT EXISTS s; CREATE OR REPLACE TABLE s.t AS SELECT 42 AS x');
    return { kind: warehouse.storage.kind, rows: await warehouse.json('SELECT x FROM s.t') };
  } finally {
    warehouse.close();
  }
}

test('the default target is the embedded DuckDB file of the top-level warehouse', async () => {
  expect(await roundTrip(undefined)).toEqual({ kind: 'duckdb', rows: [{ x: 42 }] });
  expect(existsSync(join(project, '.pipectl', 'warehouse.duckdb'))).toBe(true);
});

test('a DuckLake target with a local catalog file keeps catalog and data in the project', async () => {
  expect(await roundTrip('local_lake')).toEqual({ kind: 'ducklake', rows: [{ x: 42 }] });
  expect(existsSync(join(project, '.pipectl', 'lake.ducklake'))).toBe(true);
  expect(existsSync(join(project, '.pipectl', 'lake'))).toBe(true);
});

test('a DuckLake target on PostgreSQL reads its password and data path from the environment', async () => {
  const pg = await sharedPostgres();
  const env = { PGPASSWORD: pg.password, LAKE_DATA: join(project, 'shared') };
  expect(await roundTrip('team', env)).toEqual({ kind: 'ducklake', rows: [{ x: 42 }] });
  expect(existsSync(join(project, 'shared'))).toBe(true);
});
