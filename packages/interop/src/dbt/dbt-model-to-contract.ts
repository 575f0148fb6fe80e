// One dbt model -> one pipectl contract: its owner (meta.owner, its group's owner, or the option),
// its documented columns with their constraints, its tests, then the contract written as YAML and
// validated by the loader, so an import never hands back a contract pipectl would refuse.
import {
  COLUMN_NAME_PATTERN,
  type IssuePath,
  PII_CATEGORIES,
  parseDataType,
  parseDocument,
} from '@pipectl/spec';
import { type ImportReader, isRecord } from '../odcs/odcs-reader.js';
import type { ImportedContract } from '../odcs/odcs-to-contracts.js';
import { contractYaml } from '../write/contract-yaml.js';
import { applyConstraint } from './dbt-constraint.js';
import { applyTest } from './dbt-generic-test.js';
import type { Check, Column, DbtTest, Model } from './dbt-model.js';

/** What every model of one manifest is read against. */
export interface ManifestScope {
  readonly models: ReadonlyMap<string, Model>;
  readonly groups: Record<string, unknown>;
  /** The dbt project's name: the owner of last resort. */
  readonly project: string;
  /** Owner of contracts whose model names none. */
  readonly owner: string | undefined;
  readonly reader: ImportReader;
}

/** One model (documented by `where`) as it is being read, for its phases. */
interface ModelScope extends ManifestScope {
  readonly model: Model;
  readonly path: IssuePath;
  /** The model, for messages: `model "orders" (models/schema.yml)`. */
  readonly label: string;
}

/** The contract of one model, or undefined (with an issue) when it has no columns or is invalid. */
export function readModel(
  model: Model,
  tests: readonly DbtTest[],
  manifest: ManifestScope,
): ImportedContract | undefined {
  const { node, where } = model;
  const scope: ModelScope = {
    ...manifest,
    model,
    path: ['nodes', model.id],
    label: `model "${String(node.name)}" (${where})`,
  };
  const owner = modelOwner(scope);
  const columns = modelColumns(scope);
  if (columns.length === 0) {
    scope.reader.warn(
      'PIPE7012',
      scope.path,
      `${scope.label} documents no columns, so it is not imported (list its columns in the model's YAML)`,
    );
    return undefined;
  }
  const quality = modelQuality(scope, columns, tests);
  return validContract(scope, contractInput(model, owner, columns, quality));
}

/** The model's owner: meta.owner, its group's owner, the option, or (with a warning) the project. */
function modelOwner(scope: ModelScope): string {
  const { node } = scope.model;
  const config = isRecord(node.config) ? node.config : {};
  const meta = { ...(isRecord(config.meta) ? config.meta : {}), ...(isRecord(node.meta) ? node.meta : {}) };
  const owner = typeof meta.owner === 'string' ? meta.owner : groupOwner(node, scope.groups);
  if (owner !== undefined) return owner;
  if (scope.owner === undefined)
    scope.reader.warn(
      'PIPE7011',
      scope.path,
      `${scope.label} names no owner (meta.owner or a group's owner): the contract's owner is the dbt project's name "${scope.project}"`,
    );
  return scope.owner ?? scope.project;
}

/** The email (or name) of the owner of the model's group, if it has one. */
function groupOwner(node: Record<string, unknown>, groups: Record<string, unknown>): string | undefined {
  if (typeof node.group !== 'string') return undefined;
  const group = Object.values(groups).find((g) => isRecord(g) && g.name === node.group);
  const owner = isRecord(group) && isRecord(group.owner) ? group.owner : undefined;
  return [owner?.email, owner?.name].find((v): v is string => typeof v === 'string');
}

/** The model's documented columns pipectl can name, each with its column-level constraints. */
function modelColumns(scope: ModelScope): Column[] {
  const { node } = scope.model;
  const columns: Column[] = [];
  const rawColumns = isRecord(node.columns) ? Object.values(node.columns) : [];
  for (const raw of rawColumns) {
    if (!isRecord(raw) || typeof raw.name !== 'string') continue;
    const column = readColumn(raw, raw.name, scope);
    if (column) columns.push(column);
  }
  return columns;
}

/** One documented column (named `name`), or undefined (with a warning) when pipectl cannot name it. */
function readColumn(raw: Record<string, unknown>, name: string, scope: ModelScope): Column | undefined {
  const { label, reader } = scope;
  const at = [...scope.path, 'columns', name];
  if (!new RegExp(COLUMN_NAME_PATTERN).test(name)) {
    reader.warn(
      'PIPE7012',
      at,
      `${label}: column "${name}" is not a column name pipectl accepts, so it is left out`,
    );
    return undefined;
  }
  const column: Column = { name, type: columnType(raw, name, at, scope) };
  if (typeof raw.description === 'string' && raw.description !== '') column.description = raw.description;
  const pii = columnPii(raw);
  if (pii !== undefined) column.pii = pii;
  const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [];
  if (tags.length > 0) column.tags = tags;
  for (const constraint of Array.isArray(raw.constraints) ? raw.constraints : []) {
    if (isRecord(constraint))
      applyConstraint(constraint, [name], column, { models: scope.models, label, at, reader });
  }
  return column;
}

/** The column's data_type when DuckDB knows it; otherwise varchar, with a warning. */
function columnType(raw: Record<string, unknown>, name: string, at: IssuePath, scope: ModelScope): string {
  const dataType = typeof raw.data_type === 'string' ? raw.data_type : undefined;
  if (dataType !== undefined && parseDataType(dataType).ok) return dataType;
  scope.reader.warn(
    'PIPE7011',
    at,
    dataType === undefined
      ? `${scope.label}: column "${name}" has no data_type; typed varchar (set data_type in the model's YAML, or correct the contract)`
      : `${scope.label}: column "${name}" has data_type "${dataType}", which is not a DuckDB type; typed varchar`,
  );
  return 'varchar';
}

/** The column's PII category from meta.pii: a pipectl category, or `other` for `pii: true`. */
function columnPii(raw: Record<string, unknown>): string | undefined {
  const meta = {
    ...(isRecord(raw.config) && isRecord(raw.config.meta) ? raw.config.meta : {}),
    ...(isRecord(raw.meta) ? raw.meta : {}),
  };
  const pii = meta.pii;
  if (typeof pii === 'string' && (PII_CATEGORIES as readonly string[]).includes(pii)) return pii;
  return pii === true ? 'other' : undefined;
}

/** Applies the model-level constraints and the tests to the columns; returns the quality checks. */
function modelQuality(scope: ModelScope, columns: readonly Column[], tests: readonly DbtTest[]): Check[] {
  const { node } = scope.model;
  const { models, label, reader } = scope;
  const byName = new Map(columns.map((column) => [String(column.name), column]));
  const quality: Check[] = [];
  const at = [...scope.path, 'constraints'];
  for (const constraint of Array.isArray(node.constraints) ? node.constraints : []) {
    if (!isRecord(constraint)) continue;
    const names = Array.isArray(constraint.columns) ? constraint.columns.map(String) : [];
    applyConstraint(constraint, names, byName.get(names[0] ?? ''), {
      models,
      label,
      at,
      reader,
      byName,
      quality,
    });
  }
  for (const test of tests) applyTest(test, { byName, models, label, quality, reader });
  return quality;
}

/** The contract as the loader reads it: name, version (from the model's), owner, columns, checks. */
function contractInput(
  model: Model,
  owner: string,
  columns: readonly Column[],
  quality: readonly Check[],
): Record<string, unknown> {
  const { node } = model;
  const tags = Array.isArray(node.tags) ? node.tags.filter((t): t is string => typeof t === 'string') : [];
  const version =
    typeof node.version === 'number' || typeof node.version === 'string' ? `${node.version}.0.0` : '1.0.0';
  return {
    apiVersion: 'pipectl/v1',
    kind: 'Contract',
    name: model.dataset,
    version: /^\d+\.0\.0$/.test(version) ? version : '1.0.0',
    owner,
    ...(typeof node.description === 'string' && node.description !== '' && { description: node.description }),
    ...(tags.length > 0 && { tags }),
    columns,
    ...(quality.length > 0 && { quality }),
  };
}

/** The contract's YAML, read back by the loader; its issues are the import's errors. */
function validContract(scope: ModelScope, input: Record<string, unknown>): ImportedContract | undefined {
  const { model, path, label, reader } = scope;
  const [schema, table] = model.dataset.split('.') as [string, string];
  const file = `contracts/${schema}/${table}.contract.yaml`;
  const text = contractYaml(input);
  const parsed = parseDocument(file, text);
  for (const issue of parsed.issues)
    reader.error('PIPE7012', path, `${label}: the imported contract is invalid: ${issue.message}`, {
      ...(issue.hint !== undefined && { hint: issue.hint }),
    });
  if (parsed.document?.kind !== 'Contract') return undefined;
  return { name: model.dataset, file, text, contract: parsed.document.value };
}
