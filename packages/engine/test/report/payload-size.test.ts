// Reports travel as Temporal payloads: JSON-safe (no bigint, no Date) and small whatever the data.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CheckSpec, runQualityGate } from '../../src/index.js';
import { toJsonSafe } from '../../src/report/json-safe.js';
import { rule, type TempWarehouse, tempWarehouse } from '../helpers/temp-warehouse.js';

describe('toJsonSafe', () => {
  test('converts what JSON cannot hold', () => {
    expect(
      toJsonSafe({
        small: 12n,
        huge: 2n ** 70n,
        at: new Date(0),
        bytes: new Uint8Array([1, 255]),
        nan: Number.NaN,
        gone: undefined,
        nested: [{ deep: { deeper: { deepest: { too: 'deep' } } } }],
      }),
    ).toEqual({
      small: 12,
      huge: '1180591620717411303424',
      at: '1970-01-01T00:00:00.000Z',
      bytes: '01ff',
      nan: 'NaN',
      nested: [{ deep: { deeper: '…' } }],
    });
  });

  test('cuts long strings and long lists, saying how much was cut', () => {
    expect(toJsonSafe('x'.repeat(205))).toBe(`${'x'.repeat(200)}…(+5 chars)`);
    expect((toJsonSafe(Array.from({ length: 60 }, (_, i) => i)) as unknown[]).slice(-2)).toEqual([
      49,
      '…(+10 items)',
    ]);
  });
});

describe('quality reports', () => {
  let db: TempWarehouse;
  beforeAll(async () => {
    db = await tempWarehouse();
    await db.warehouse.run(`
      CREATE SCHEMA s;
      CREATE TABLE s.wide AS SELECT range AS id, 9007199254740993::HUGEINT AS big, repeat('x', 10000) AS text,
        DATE '2024-01-01' + range::INTEGER AS day, [1, 2, 3] AS list, {'a': 1} AS struct,
        repeat('y', 150) AS t1, repeat('y', 150) AS t2, repeat('y', 150) AS t3, repeat('y', 150) AS t4
      FROM range(500);
    `);
  });
  afterAll(() => db.close());

  test('a report full of failing wide rows stays small and JSON-safe', async () => {
    const checks: CheckSpec[] = Array.from({ length: 30 }, (_, i) => ({
      id: `check_${i}`,
      origin: 'gate',
      rule: rule({ check: 'range', column: 'id', min: 1000, samples: 100 }),
    }));
    const report = await runQualityGate(db.warehouse, { dataset: 's.wide', checks, runId: 'r' });
    const json = JSON.stringify(report);
    expect(JSON.parse(json)).toEqual(report);
    expect(json.length).toBeLessThan(300 * 1024);
    expect(report.checks[0]?.samples).toHaveLength(20);
    expect(report.checks[0]?.samples[0]).toEqual({
      id: 0,
      big: '9007199254740993',
      text: `${'x'.repeat(200)}…(+9800 chars)`,
      day: '2024-01-01',
      list: [1, 2, 3],
      struct: { a: 1 },
      t1: 'y'.repeat(150),
      t2: 'y'.repeat(150),
      t3: 'y'.repeat(150),
      t4: 'y'.repeat(150),
    });
    expect(report.checks.some((check) => check.samplesTruncated)).toBe(true);
  });
});
