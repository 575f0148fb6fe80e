// The url of a PostgreSQL source: `${VAR}` from the injected environment, and a description of
// the server that never shows the password.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write is the subject
import { describe, expect, test } from 'vitest';
import { describeServer, expandUrl } from '../../src/extract/postgres-url.js';

describe('expandUrl', () => {
  test('fills ${VAR} from the environment it is given', () => {
    const env = { PG_HOST: 'db.internal', PG_PASSWORD: 's3cret' };
    expect(expandUrl('postgres://etl:${PG_PASSWORD}@${PG_HOST}:5433/shop', env, 'orders')).toBe(
      'postgres://etl:s3cret@db.internal:5433/shop',
    );
  });

  test('names every variable that is not set', () => {
    expect(() =>
      expandUrl('postgres://${PG_USER}:${PG_PASSWORD}@db/shop', { PG_USER: '' }, 'orders'),
    ).toThrow(
      'source "orders": the url reads ${PG_USER}, ${PG_PASSWORD}, which are not set in the environment',
    );
  });
});

describe('describeServer', () => {
  test.each([
    ['postgres://etl:s3cret@db.internal:5433/shop', 'db.internal:5433/shop'],
    ['postgresql://etl@db.internal/shop', 'db.internal:5432/shop'],
    ['postgres:///shop?host=/var/run/postgresql', '/var/run/postgresql:5432/shop'],
    ['not a url with :s3cret@', 'not a url with :***@'],
    ['postgres://etl:s3cret@db:5432 broken', 'postgres://etl:***@db:5432 broken'],
  ])('%s is %s', (url, described) => {
    expect(describeServer(url)).toBe(described);
  });
});
