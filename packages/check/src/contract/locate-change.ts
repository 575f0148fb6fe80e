// Where a change is written: a compat change path (`columns.amount.type`, `quality.row_count`)
// mapped to the path of the YAML node that holds it (`['columns', 2, 'type']`), and from there
// to line and column through the document's source map. Annotations and reports point there.
import type { ClassifiedChange } from '@pipectl/compat';
import { qualityCheckIds } from '@pipectl/compat';
import { type ContractDocument, type IssuePath, primaryKeyOf } from '@pipectl/spec';

export interface ChangeLocation {
  /** Project-relative file. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Which version of the contract the place is in: the head's, or the base's for what is gone. */
  readonly side: 'head' | 'base';
}

/** Fields of a column that a change path may name after `columns.<name>.`. */
const COLUMN_FIELDS = new Set([
  'type',
  'nullable',
  'default',
  'acceptedValues',
  'pattern',
  'min',
  'max',
  'minLength',
  'maxLength',
  'unique',
  'references',
  'pii',
  'primaryKey',
  'renamedFrom',
  'description',
  'tags',
]);

/** The YAML path in `document` of what `change` is about, as precisely as the document allows. */
export function yamlPathOf(change: ClassifiedChange, document: ContractDocument): IssuePath {
  const contract = document.value;
  const path = change.path;
  if (path === '') return ['name'];
  const [head, ...rest] = path.split('.');
  if (head === 'columns') {
    const name = change.column ?? rest[0];
    const index = contract.columns.findIndex((column) => column.name === name);
    // A column that is not there (removed) is placed at the list it left.
    if (index < 0) return ['columns'];
    const field = rest[1];
    return field !== undefined && COLUMN_FIELDS.has(field) ? ['columns', index, field] : ['columns', index];
  }
  if (head === 'primaryKey') {
    const first = primaryKeyOf(contract)[0];
    const index = contract.columns.findIndex((column) => column.name === first);
    return index < 0 ? ['columns'] : ['columns', index, 'primaryKey'];
  }
  if (head === 'quality') {
    const ids = qualityCheckIds(contract.quality);
    const id = rest.join('.');
    const index = ids.findIndex((candidate) => id === candidate || id.startsWith(`${candidate}.`));
    return index < 0 ? ['quality'] : ['quality', index];
  }
  return [head as string];
}

/**
 * The place of `change`: in the head document when there is one, else (a removed dataset) in the base's.
 * @example locateChange(change, headDoc, baseDoc) // { file: 'contracts/orders.contract.yaml', line: 14, col: 5, side: 'head' }
 */
export function locateChange(
  change: ClassifiedChange,
  head: ContractDocument | undefined,
  base: ContractDocument | undefined,
): ChangeLocation | undefined {
  const document = head ?? base;
  if (!document) return undefined;
  const path = yamlPathOf(change, document);
  // What is no longer in a list (a removed column or check) is placed at the list's key.
  const container = path.length === 1 && (path[0] === 'columns' || path[0] === 'quality');
  const span = container ? document.sourceMap.keySpanOf(path) : document.sourceMap.spanOf(path);
  return {
    file: document.file,
    line: span?.line ?? 1,
    col: span?.col ?? 1,
    side: head ? 'head' : 'base',
  };
}
