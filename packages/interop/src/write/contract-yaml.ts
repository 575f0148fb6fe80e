// Writes a contract (as plain data) as pipectl YAML: keys in the order the docs show them (a
// column's in the order the spec's column schema declares them), one column per block, no
// comments. The spec's loader reads it back; that is how imports are checked.
import { columnSchema } from '@pipectl/spec';
import { stringify } from 'yaml';

const CONTRACT_ORDER = [
  'apiVersion',
  'kind',
  'name',
  'version',
  'owner',
  'description',
  'compatibility',
  'approvers',
  'tags',
  'columns',
  'quality',
  'freshness',
  'except',
];

const COLUMN_ORDER = Object.keys(columnSchema.shape);

/**
 * YAML text of a contract document.
 * @example contractYaml({ apiVersion: 'pipectl/v1', kind: 'Contract', name: 'sales.orders', ... })
 */
export function contractYaml(contract: Record<string, unknown>): string {
  const ordered = Object.fromEntries(
    [
      ...CONTRACT_ORDER.filter((key) => key in contract),
      ...Object.keys(contract).filter((k) => !CONTRACT_ORDER.includes(k)),
    ]
      .filter((key) => contract[key] !== undefined)
      .map((key) => [key, inOrder(key, contract[key])]),
  );
  return stringify(ordered, { lineWidth: 0 });
}

/** Quality checks with `name` and `check` first; columns' fields in the schema's order. */
function inOrder(key: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (key === 'quality') return value.map(checkFirst);
  if (key === 'columns') return value.map(columnInOrder);
  return value;
}

/** A column's fields in the order the spec declares them; any other key after them. */
function columnInOrder(column: unknown): unknown {
  if (typeof column !== 'object' || column === null) return column;
  const fields = column as Record<string, unknown>;
  const keys = [
    ...COLUMN_ORDER.filter((key) => key in fields),
    ...Object.keys(fields).filter((key) => !COLUMN_ORDER.includes(key)),
  ];
  return Object.fromEntries(keys.map((key) => [key, fields[key]]));
}

/** `name` and `check` lead a quality check, as people write them. */
function checkFirst(check: unknown): unknown {
  if (typeof check !== 'object' || check === null) return check;
  const { name, check: kind, ...rest } = check as Record<string, unknown>;
  return { ...(name !== undefined && { name }), check: kind, ...rest };
}
