// Idempotent DDL racing other workers on a lake: the writer that commits second fails with a
// commit conflict, or with "already exists" when both saw the object missing. Both are run again
// (the statement then sees the winner's object); any other error is the caller's.
import { describe, expect, it } from 'vitest';
import { ensureDdl } from '../../src/warehouse/warehouse-errors.js';

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
