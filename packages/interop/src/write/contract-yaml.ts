// Writes a contract (as plain data) as pipectl YAML: keys in the order the docs show them, one
// column per block, no comments. The spec's loader reads it back; that is how imports are checked.
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
      .map((key) => [
        key,
        key === 'quality' && Array.isArray(contract.quality)
          ? contract.quality.map(checkFirst)
          : contract[key],
      ]),
  );
  return stringify(ordered, { lineWidth: 0 });
}

/** `name` and `check` lead a quality check, as people write them. */
function checkFirst(check: unknown): unknown {
  if (typeof check !== 'object' || check === null) return check;
  const { name, check: kind, ...rest } = check as Record<string, unknown>;
  return { ...(name !== undefined && { name }), check: kind, ...rest };
}
