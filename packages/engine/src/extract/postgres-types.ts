// PostgreSQL types in DuckDB's terms, for drift: `format_type()` names (`numeric(12,2)`,
// `timestamp with time zone`, `text[]`) mapped to the DuckDB type that holds their values.
// Pure: names in, names out. Where PostgreSQL leaves a type open (numeric without precision,
// varchar without length) and the contract declares one, the contract's is taken: the source
// promises nothing narrower, and flagging every such column would drown real drift.
import type { DataType } from '@pipectl/spec';

const SCALARS: Readonly<Record<string, string>> = {
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  real: 'float',
  'double precision': 'double',
  boolean: 'boolean',
  text: 'varchar',
  name: 'varchar',
  '"char"': 'varchar',
  citext: 'varchar',
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
  bytea: 'blob',
  oid: 'uinteger',
  money: 'decimal(19,2)',
};

/**
 * The DuckDB type of a PostgreSQL column named as `format_type()` names it.
 * @example duckdbTypeOf('numeric(12,2)') // 'decimal(12,2)'
 */
export function duckdbTypeOf(pgType: string, contractType?: DataType): string {
  if (pgType.endsWith('[]')) {
    const element = contractType?.kind === 'list' ? contractType.element : undefined;
    return `${duckdbTypeOf(pgType.slice(0, -2), element)}[]`;
  }
  // timestamp(3) without time zone -> timestamp without time zone
  const type = pgType.replace(/^(timestamp|time)\(\d+\)/, '$1');
  const scalar = SCALARS[type];
  if (scalar !== undefined) return scalar;
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/.exec(type);
  if (numeric) {
    if (numeric[1] === undefined) return contractType?.kind === 'decimal' ? decimal(contractType) : 'double';
    const precision = Number(numeric[1]);
    return precision <= 38 ? `decimal(${precision},${numeric[2]})` : 'double';
  }
  const text = /^(?:character varying|character|bpchar)(?:\((\d+)\))?$/.exec(type);
  if (text) {
    // Only a contract that declares a length compares lengths.
    const declared = contractType?.kind === 'varchar' ? contractType.length : undefined;
    return declared !== undefined && text[1] !== undefined ? `varchar(${text[1]})` : 'varchar';
  }
  // Enums, domains, network and geometric types, ...: read as their text.
  return 'varchar';
}

function decimal(type: Extract<DataType, { kind: 'decimal' }>): string {
  return `decimal(${type.precision},${type.scale})`;
}
