// Idempotent DDL racing other workers on a lake: the writer that commits second fails with a
// commit conflict, or with "already exists" when both saw the object missing. Both are run again
// (the statement then sees the winner's object); any other error is the caller's.
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/warehouse.js';
import { ensureDdl, ensureOnce } from '../../src/warehouse/warehouse-errors.js';

/** Work that fails with each of `errors` in turn, then succeeds; counts its attempts. */
function failing(...errors: string[]) {
  let attempts = 0;
  return {
    work: async () => {
      const message = errors[attempts++];
      if (message !== undefined) throw new Error(message);
      return 'done';
    },
    attempts: () => attempts,
  };
}

describe('ensureDdl', () => {
  it('runs again after "already exists" and after a commit conflict, then succeeds', async () => {
    const race = failing(
      'Catalog Error: Column with name decision_signature already exists!',
      'TransactionContext Error: Failed to commit: Transaction conflict - attempting to insert into table',
    );
    expect(await ensureDdl(race.work)).toBe('done');
    expect(race.attempts()).toBe(3);
  });

  it('does not retry any other error', async () => {
    const broken = failing('Parser Error: syntax error at or near "TABEL"');
    await expect(ensureDdl(broken.work)).rejects.toThrow('syntax error');
    expect(broken.attempts()).toBe(1);
  });
});

describe('ensureOnce', () => {
  it('runs DDL once per warehouse, and forgets DDL a rolled-back transaction undid', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      let runs = 0;
      const create = () => {
        runs++;
        return warehouse.run('CREATE SCHEMA IF NOT EXISTS once_schema');
      };
      const rolledBack = warehouse.transaction(async () => {
        await ensureOnce(warehouse, 'schema:once_schema', create);
        // Known inside the transaction that made it: not run again there.
        await ensureOnce(warehouse, 'schema:once_schema', create);
        throw new Error('undo');
      });
      await expect(rolledBack).rejects.toThrow('undo');
      expect(runs).toBe(1);
      // The rollback undid the schema: it is made again, then known for good.
      await ensureOnce(warehouse, 'schema:once_schema', create);
      await ensureOnce(warehouse, 'schema:once_schema', create);
      expect(runs).toBe(2);
      expect(
        await warehouse.all("SELECT 1 FROM duckdb_schemas() WHERE schema_name = 'once_schema'"),
      ).toHaveLength(1);
    } finally {
      warehouse.close();
    }
  });
});
