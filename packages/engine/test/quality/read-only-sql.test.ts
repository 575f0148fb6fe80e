// Custom SQL must be one read-only SELECT, as DuckDB's own parser and statement type say.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runQualityGate } from '../../src/index.js';
import { checkReadOnlySelect } from '../../src/quality/read-only-sql.js';
import { rowsOf, rule, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

let db: TempWarehouse;
const exportDir = join(tmpdir(), `pipectl-export-${process.pid}-${Date.now()}`);
beforeAll(async () => {
  db = await tempWarehouse();
  await db.warehouse.run('CREATE SCHEMA s; CREATE TABLE s.t AS SELECT range AS id FROM range(3)');
});
afterAll(() => db.close());

describe('read-only SQL', () => {
  test.each([
    'select * from s.t where id > 1',
    'SELECT 1;',
    'from s.t',
    'with x as (select id from s.t) select * from x',
    'values (1), (2)',
    '-- a comment first\nselect id from s.t -- and one last',
    'select * from s.t union all select * from s.t',
  ])('accepts %j', async (sql) => {
    expect(await checkReadOnlySelect(db.warehouse, sql)).toMatchObject({ ok: true });
  });

  test.each([
    ['drop table s.t', 'only a read-only SELECT is allowed, found DROP'],
    ['create table s.u as select 1', 'only a read-only SELECT is allowed, found CREATE'],
    ['delete from s.t', 'only a read-only SELECT is allowed, found DELETE'],
    ['insert into s.t values (9)', 'only a read-only SELECT is allowed, found INSERT'],
    ['update s.t set id = 0', 'only a read-only SELECT is allowed, found UPDATE'],
    ["copy s.t to '/tmp/out.csv'", 'only a read-only SELECT is allowed, found COPY'],
    ["attach '/tmp/other.duckdb' as other", 'only a read-only SELECT is allowed, found ATTACH'],
    ['pragma database_list', 'only a read-only SELECT is allowed, found PRAGMA'],
    ['install httpfs', 'only a read-only SELECT is allowed, found INSTALL'],
    ['load httpfs', 'only a read-only SELECT is allowed, found LOAD'],
    ['set threads = 1', 'only a read-only SELECT is allowed, found SET'],
    ['call pragma_version()', 'only a read-only SELECT is allowed, found CALL'],
    [`export database '${exportDir}'`, 'only a read-only SELECT is allowed, found EXPORT'],
    ['select 1; drop table s.t', 'only one SELECT statement is allowed, found 2 statements'],
    ['select 1; select 2', 'only one SELECT statement is allowed, found 2 statements'],
    ['', 'the query is empty'],
  ])('rejects %j', async (sql, reason) => {
    expect(await checkReadOnlySelect(db.warehouse, sql)).toEqual({ ok: false, reason });
  });

  test('rejecting a statement runs nothing of it, not even its planning', () => {
    // DuckDB creates an EXPORT's directory while planning it; the check never gets that far.
    expect(existsSync(exportDir)).toBe(false);
  });

  test('a sql check with a statement that is not read-only errors, blocks, and runs nothing', async () => {
    const report = await runQualityGate(db.warehouse, {
      dataset: 's.t',
      runId: 'r',
      checks: [
        {
          id: 'evil',
          origin: 'gate',
          rule: rule({ check: 'sql', query: 'select 1; drop table {{ this }}' }),
        },
      ],
    });
    expect(report.checks[0]).toMatchObject({
      status: 'error',
      blocking: true,
      message: 'custom SQL rejected: only one SELECT statement is allowed, found 2 statements',
    });
    expect(await rowsOf(db.warehouse, 'SELECT count(*) AS n FROM s.t')).toEqual([{ n: 3 }]);
  });
});
