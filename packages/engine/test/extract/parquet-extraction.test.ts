// Parquet sources: typed files, so drift includes type changes; values are cast to the
// contract's types, and one that does not fit fails naming its file and row.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SourceFileError, SourceValueError } from '../../src/extract/extract-errors.js';
import { openShop, type Shop } from './shop-fixture.js';

let shop: Shop;

/** Writes a Parquet file under the project from a SELECT. */
async function parquet(path: string, select: string) {
  await mkdir(join(shop.projectDir, path, '..'), { recursive: true });
  await shop.warehouse.run(`COPY (${select}) TO '${join(shop.projectDir, path)}' (FORMAT parquet)`);
}

beforeAll(async () => {
  shop = await openShop();
  await parquet(
    'data/events/2024-01.parquet',
    `SELECT i::BIGINT AS event_id, 'click' AS kind, (i * 1.5)::DOUBLE AS value,
            TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(i) AS happened_at
     FROM range(3) t(i)`,
  );
  await parquet(
    'data/events/2024-02.parquet',
    `SELECT (100 + i)::BIGINT AS event_id, 'view' AS kind, (i * 0.5)::FLOAT AS value,
            TIMESTAMPTZ '2024-02-01 00:00:00+00' AS happened_at, 'web' AS channel
     FROM range(2) t(i)`,
  );
  await parquet(
    'data/events-bad/2024-03.parquet',
    `SELECT * FROM (VALUES ('7', 'click'), ('eight', 'click')) AS t(event_id, kind)`,
  );
});
afterAll(() => shop.close());

describe('a Parquet source', () => {
  test('reads every file of the glob into the contract types', async () => {
    const report = await shop.extract('events');
    expect(report).toMatchObject({
      rowsRead: 5,
      rowsWritten: 5,
      files: ['data/events/2024-01.parquet', 'data/events/2024-02.parquet'],
    });
    expect(await shop.rows('SELECT column_name, column_type FROM (DESCRIBE raw.events)')).toEqual([
      { column_name: 'event_id', column_type: 'BIGINT' },
      { column_name: 'kind', column_type: 'VARCHAR' },
      { column_name: 'value', column_type: 'DOUBLE' },
      { column_name: 'happened_at', column_type: 'TIMESTAMP WITH TIME ZONE' },
    ]);
    expect(await shop.rows(`SELECT event_id, value FROM raw.events WHERE kind = 'view' ORDER BY 1`)).toEqual([
      { event_id: '100', value: 0 },
      { event_id: '101', value: 0.5 },
    ]);
  });

  test('reports type changes and new columns per file, with compatibility rule ids', async () => {
    const report = await shop.extract('events');
    expect(
      report.drift.map((d) => ({ rule: d.rule, column: d.column, files: d.files, message: d.message })),
    ).toEqual([
      {
        rule: 'FIELD_TYPE_NARROWED',
        column: 'value',
        files: ['data/events/2024-02.parquet'],
        message: 'column "value" is float in the source, double in the contract',
      },
      {
        rule: 'FIELD_ADDED_OPTIONAL',
        column: 'channel',
        files: ['data/events/2024-02.parquet'],
        message: 'the source has column "channel" (varchar), which the contract does not declare',
      },
    ]);
  });

  test('fails on a value that does not fit the contract type, naming file and row', async () => {
    const error = await shop
      .extract('events', { source: { path: 'data/events-bad/*.parquet' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceValueError);
    expect(error).toMatchObject({
      code: 'PIPE5105',
      file: 'data/events-bad/2024-03.parquet',
      column: 'event_id',
    });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"source "events": column "event_id" holds "eight" at data/events-bad/2024-03.parquet row 2, which does not convert to bigint (the contract's type)"`,
    );
  });

  test('fails with PIPE5102 on a file that is not Parquet', async () => {
    await mkdir(join(shop.projectDir, 'data/events-text'), { recursive: true });
    await writeFile(join(shop.projectDir, 'data/events-text/2024-04.parquet'), 'event_id,kind\n1,click\n');
    const error = await shop
      .extract('events', { source: { path: 'data/events-text/*.parquet' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFileError);
    expect(error).toMatchObject({
      code: 'PIPE5102',
      message: 'source "events": cannot read "data/events-text/2024-04.parquet" (not a Parquet file)',
    });
  });
});
