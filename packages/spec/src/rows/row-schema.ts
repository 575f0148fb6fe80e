// A JSON Schema for one row of a contract's dataset, and an ajv validator built from it. JSON
// sources validate their records with it; invalid records are quarantined with the reason.
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject } from 'ajv';
import { type Column, type Contract, isNullable } from '../schema/contract.js';
import { type DataType, parseDataType } from '../types/data-type.js';

type JsonSchema = Record<string, unknown>;

const INTEGER_BOUNDS: Record<string, [number, number]> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  utinyint: [0, 255],
  usmallint: [0, 65535],
  uinteger: [0, 4294967295],
};
const WIDE_INTEGERS = new Set(['bigint', 'hugeint', 'ubigint', 'uhugeint']);
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?$';
const TIME = '^\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?$';
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

function typeSchema(type: DataType): JsonSchema {
  switch (type.kind) {
    case 'decimal':
      return { type: ['number', 'string'], pattern: '^-?\\d+(\\.\\d+)?$' };
    case 'varchar':
      return type.length === undefined ? { type: 'string' } : { type: 'string', maxLength: type.length };
    case 'list':
      return { type: 'array', items: typeSchema(type.element) };
    case 'array':
      return { type: 'array', items: typeSchema(type.element), minItems: type.size, maxItems: type.size };
    case 'struct':
      return {
        type: 'object',
        properties: Object.fromEntries(type.fields.map((f) => [f.name, nullableOf(typeSchema(f.type))])),
        additionalProperties: false,
      };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(type.value) };
    case 'primitive': {
      const name = type.name;
      const bounds = INTEGER_BOUNDS[name];
      if (bounds) return { type: 'integer', minimum: bounds[0], maximum: bounds[1] };
      // 64-bit and wider integers may arrive as strings to keep their precision.
      if (WIDE_INTEGERS.has(name)) return { type: ['integer', 'string'], pattern: '^-?\\d+$' };
      if (name === 'float' || name === 'double') return { type: 'number' };
      if (name === 'boolean') return { type: 'boolean' };
      if (name === 'date') return { type: 'string', pattern: DATE };
      if (name === 'time' || name === 'timetz') return { type: 'string', pattern: TIME };
      if (name.startsWith('timestamp')) return { type: 'string', pattern: TIMESTAMP };
      if (name === 'uuid') return { type: 'string', pattern: UUID };
      if (name === 'json') return {};
      return { type: 'string' };
    }
  }
}

function nullableOf(schema: JsonSchema): JsonSchema {
  if (!('type' in schema)) return schema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return { ...schema, type: [...types, 'null'] };
}

function columnSchema(column: Column): JsonSchema {
  const parsed = parseDataType(column.type);
  let schema: JsonSchema = parsed.ok ? typeSchema(parsed.type) : {};
  if (column.acceptedValues) schema = { ...schema, enum: [...column.acceptedValues] };
  if (column.pattern !== undefined) schema = { ...schema, pattern: column.pattern };
  if (typeof column.min === 'number') schema = { ...schema, minimum: column.min };
  if (typeof column.max === 'number') schema = { ...schema, maximum: column.max };
  if (column.minLength !== undefined) schema = { ...schema, minLength: column.minLength };
  if (column.maxLength !== undefined) schema = { ...schema, maxLength: column.maxLength };
  if (column.description) schema = { ...schema, description: column.description };
  if (!isNullable(column)) return schema;
  const nullable = nullableOf(schema);
  return Array.isArray(nullable.enum) ? { ...nullable, enum: [...nullable.enum, null] } : nullable;
}

/**
 * JSON Schema (draft-07) of one record of the contract's dataset. Non-nullable columns are
 * required; unknown properties are allowed (extra source fields are dropped, not rejected).
 */
export function contractRowSchema(contract: Contract): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${contract.name} row (contract ${contract.version})`,
    type: 'object',
    properties: Object.fromEntries(contract.columns.map((column) => [column.name, columnSchema(column)])),
    required: contract.columns.filter((column) => !isNullable(column)).map((column) => column.name),
  };
}

export interface RowProblem {
  /** JSON pointer of the offending value, e.g. `/amount`. */
  readonly pointer: string;
  readonly message: string;
}

export type RowValidator = (row: unknown) => readonly RowProblem[];

/**
 * Compiles a validator for rows of `contract`; returns every problem of a row (empty when valid).
 * @example createRowValidator(contract)({ order_id: 1 }) // [{ pointer: '/amount', message: ... }]
 */
export function createRowValidator(contract: Contract): RowValidator {
  const ajv = new (loadAjv())({ allErrors: true, strict: false, verbose: true });
  const validate = ajv.compile(contractRowSchema(contract));
  return (row) => (validate(row) ? [] : (validate.errors ?? []).map(toProblem));
}

function toProblem(error: ErrorObject): RowProblem {
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    const pointer = `${error.instancePath}/${escapePointer(missing)}`;
    return { pointer, message: `required column "${columnLabel(pointer)}" is missing` };
  }
  const pointer = error.instancePath || '/';
  const column = columnLabel(error.instancePath) || '(record)';
  const found = describeJson(error.data);
  switch (error.keyword) {
    case 'type': {
      const types = String((error.params as { type: string | string[] }).type).split(',');
      return {
        pointer,
        message: `${column} must be ${types.map(jsonTypeName).join(' or ')}, found ${found}`,
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(describeJson);
      return { pointer, message: `${column} must be one of ${allowed.join(', ')}, found ${found}` };
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return {
        pointer: `${error.instancePath}/${escapePointer(extra)}`,
        message: `${column} has an unknown field "${extra}"`,
      };
    }
    default:
      return { pointer, message: `${column} ${error.message ?? 'is invalid'}, found ${found}` };
  }
}

/** `/address/zip` -> `address.zip`, `/tags/0` -> `tags[0]`. */
function columnLabel(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce(
      (out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`),
      '',
    );
}

function escapePointer(part: string): string {
  return part.replaceAll('~', '~0').replaceAll('/', '~1');
}

function jsonTypeName(type: string): string {
  if (type === 'object') return 'an object';
  if (type === 'array') return 'an array';
  if (type === 'integer') return 'an integer';
  if (type === 'null') return 'null';
  return `a ${type}`;
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** ajv, loaded on first use: most commands validate no rows, and loading it costs start-up time. */
function loadAjv(): typeof AjvClass {
  return (createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass }).Ajv;
}
