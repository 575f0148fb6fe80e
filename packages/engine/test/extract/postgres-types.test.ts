// PostgreSQL's type names in DuckDB's terms, for drift against the contract.
import { parseDataType } from '@pipectl/spec';
import { describe, expect, test } from 'vitest';
import { duckdbTypeOf } from '../../src/extract/postgres-types.js';

const type = (text: string) => {
  const parsed = parseDataType(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.type;
};

describe('duckdbTypeOf', () => {
  test.each([
    ['smallint', 'smallint'],
    ['integer', 'integer'],
    ['bigint', 'bigint'],
    ['real', 'float'],
    ['double precision', 'double'],
    ['numeric(12,2)', 'decimal(12,2)'],
    ['numeric(50,2)', 'double'],
    ['numeric', 'double'],
    ['boolean', 'boolean'],
    ['text', 'varchar'],
    ['character varying(20)', 'varchar'],
    ['character(2)', 'varchar'],
    ['date', 'date'],
    ['timestamp without time zone', 'timestamp'],
    ['timestamp(3) without time zone', 'timestamp'],
    ['timestamp with time zone', 'timestamptz'],
    ['time without time zone', 'time'],
    ['interval', 'interval'],
    ['uuid', 'uuid'],
    ['jsonb', 'json'],
    ['bytea', 'blob'],
    ['text[]', 'varchar[]'],
    ['integer[]', 'integer[]'],
    ['order_status', 'varchar'],
    ['inet', 'varchar'],
  ])('%s is %s', (pgType, duckdb) => {
    expect(duckdbTypeOf(pgType)).toBe(duckdb);
  });

  test.each([
    ['numeric', 'decimal(12,2)', 'decimal(12,2)'],
    ['character varying(20)', 'varchar(30)', 'varchar(20)'],
    ['character varying', 'varchar(30)', 'varchar'],
    ['character varying(20)[]', 'varchar(30)[]', 'varchar(20)[]'],
  ])('%s against a contract %s is %s: open types take the contract precision', (pgType, contract, duckdb) => {
    expect(duckdbTypeOf(pgType, type(contract))).toBe(duckdb);
  });
});
