// dbt manifest.json -> pipectl contracts: one per model, named by its relation (`schema.alias`).
// Columns (data_type), constraints (not_null, unique, primary_key, foreign_key) and dbt's generic
// data tests (not_null, unique, accepted_values, relationships) carry over; a test at warn severity
// becomes a warn quality check instead of a column promise. What has no place (check constraints,
// custom tests, columns without a data_type) is reported per model and column. Pure: text in, data out.
import {
  COLUMN_NAME_PATTERN,
  DATASET_NAME_PATTERN,
  type IssuePath,
  PII_CATEGORIES,
  parseDataType,
  parseDocument,
} from '@pipectl/spec';
import { ImportReader, isRecord } from '../odcs/odcs-reader.js';
import type { ImportedContract, ImportResult } from '../odcs/odcs-to-contracts.js';
import { contractYaml } from '../write/contract-yaml.js';

export interface DbtImportOptions {
  /** Owner of contracts whose model names none (meta.owner, its group's owner). */
  readonly owner?: string;
}

interface Model {
  readonly id: string;
  readonly node: Record<string, unknown>;
  readonly dataset: string;
  /** The YAML file that documents the model, for messages. */
  readonly where: string;
}

type Column = Record<string, unknown>;
type Check = Record<string, unknown>;

/**
 * Reads a dbt manifest (schema v12, what dbt 1.8+ writes) into pipectl contracts.
 * @example importDbtManifest('target/manifest.json', text).contracts.map((c) => c.name) // ['main.orders']
 */
export function importDbtManifest(file: string, text: string, options: DbtImportOptions = {}): ImportResult {
  const reader = new ImportReader(file, undefined, 'PIPE7011');
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    reader.error('PIPE7010', [], `the file is not JSON: ${(error as Error).message}`);
    return { contracts: [], issues: reader.issues };
  }
  const metadata = isRecord(manifest) && isRecord(manifest.metadata) ? manifest.metadata : undefined;
  const schemaVersion = String(metadata?.dbt_schema_version ?? '');
  if (!isRecord(manifest) || !isRecord(manifest.nodes) || !/\/manifest\/v\d+\.json$/.test(schemaVersion)) {
    reader.error(
      'PIPE7010',
      [],
      'not a dbt manifest (no metadata.dbt_schema_version of a manifest, or no nodes)',
    );
    return { contracts: [], issues: reader.issues };
  }
  const project = typeof metadata?.project_name === 'string' ? metadata.project_name : 'dbt';
  const groups = isRecord(manifest.groups) ? manifest.groups : {};
  const nodes = manifest.nodes;

  const models = new Map<string, Model>();
  for (const [id, node] of Object.entries(nodes)) {
    if (!isRecord(node) || node.resource_type !== 'model') continue;
    const where = String(node.patch_path ?? node.original_file_path ?? id).replace(/^[^:]+:\/\//, '');
    const relation = `${String(node.schema ?? '')}.${String(node.alias ?? node.name ?? '')}`.toLowerCase();
    if (!new RegExp(DATASET_NAME_PATTERN).test(relation)) {
      reader.warn(
        'PIPE7012',
        ['nodes', id],
        `model "${String(node.name)}" (${where}): its relation "${relation}" is not a pipectl dataset name "schema.table" in snake_case, so it is not imported`,
      );
      continue;
    }
    models.set(id, { id, node, dataset: relation, where });
  }

  // The tests of each model, by the model they are attached to.
  const tests = new Map<string, { id: string; node: Record<string, unknown> }[]>();
  for (const [id, node] of Object.entries(nodes)) {
    if (!isRecord(node) || node.resource_type !== 'test') continue;
    const attached = typeof node.attached_node === 'string' ? node.attached_node : undefined;
    if (attached === undefined || !models.has(attached)) {
      const name = String(node.name ?? id);
      reader.warn(
        'PIPE7011',
        ['nodes', id],
        `singular test "${name}" (${String(node.original_file_path ?? '')}) is not attached to one model, so it is not carried`,
      );
      continue;
    }
    tests.set(attached, [...(tests.get(attached) ?? []), { id, node }]);
  }

  const contracts: ImportedContract[] = [];
  for (const model of [...models.values()].sort((a, b) => a.dataset.localeCompare(b.dataset))) {
    const imported = readModel(model, tests.get(model.id) ?? [], models, groups, project, options, reader);
    if (imported) contracts.push(imported);
  }
  const failed = reader.issues.some((issue) => issue.severity === 'error');
  return { contracts: failed ? [] : contracts, issues: reader.issues };
}

function readModel(
  model: Model,
  tests: readonly { id: string; node: Record<string, unknown> }[],
  models: ReadonlyMap<string, Model>,
  groups: Record<string, unknown>,
  project: string,
  options: DbtImportOptions,
  reader: ImportReader,
): ImportedContract | undefined {
  const { node, where } = model;
  const path: IssuePath = ['nodes', model.id];
  const label = `model "${String(node.name)}" (${where})`;
  const config = isRecord(node.config) ? node.config : {};
  const meta = { ...(isRecord(config.meta) ? config.meta : {}), ...(isRecord(node.meta) ? node.meta : {}) };

  let owner = typeof meta.owner === 'string' ? meta.owner : undefined;
  if (owner === undefined && typeof node.group === 'string') {
    const group = Object.values(groups).find((g) => isRecord(g) && g.name === node.group);
    const groupOwner = isRecord(group) && isRecord(group.owner) ? group.owner : undefined;
    owner = [groupOwner?.email, groupOwner?.name].find((v): v is string => typeof v === 'string');
  }
  if (owner === undefined) {
    owner = options.owner ?? project;
    if (options.owner === undefined)
      reader.warn(
        'PIPE7011',
        path,
        `${label} names no owner (meta.owner or a group's owner): the contract's owner is the dbt project's name "${project}"`,
      );
  }

  const columns: Column[] = [];
  const rawColumns = isRecord(node.columns) ? Object.values(node.columns) : [];
  for (const raw of rawColumns) {
    if (!isRecord(raw) || typeof raw.name !== 'string') continue;
    const at = [...path, 'columns', raw.name];
    if (!new RegExp(COLUMN_NAME_PATTERN).test(raw.name)) {
      reader.warn(
        'PIPE7012',
        at,
        `${label}: column "${raw.name}" is not a column name pipectl accepts, so it is left out`,
      );
      continue;
    }
    const column: Column = { name: raw.name };
    const dataType = typeof raw.data_type === 'string' ? raw.data_type : undefined;
    if (dataType !== undefined && parseDataType(dataType).ok) column.type = dataType;
    else {
      column.type = 'varchar';
      reader.warn(
        'PIPE7011',
        at,
        dataType === undefined
          ? `${label}: column "${raw.name}" has no data_type; typed varchar (set data_type in the model's YAML, or correct the contract)`
          : `${label}: column "${raw.name}" has data_type "${dataType}", which is not a DuckDB type; typed varchar`,
      );
    }
    if (typeof raw.description === 'string' && raw.description !== '') column.description = raw.description;
    const columnMeta = {
      ...(isRecord(raw.config) && isRecord(raw.config.meta) ? raw.config.meta : {}),
      ...(isRecord(raw.meta) ? raw.meta : {}),
    };
    const pii = columnMeta.pii;
    if (typeof pii === 'string' && (PII_CATEGORIES as readonly string[]).includes(pii)) column.pii = pii;
    else if (pii === true) column.pii = 'other';
    const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [];
    if (tags.length > 0) column.tags = tags;
    for (const constraint of Array.isArray(raw.constraints) ? raw.constraints : []) {
      if (isRecord(constraint))
        applyConstraint(constraint, [raw.name], column, undefined, models, label, at, reader);
    }
    columns.push(column);
  }
  if (columns.length === 0) {
    reader.warn(
      'PIPE7012',
      path,
      `${label} documents no columns, so it is not imported (list its columns in the model's YAML)`,
    );
    return undefined;
  }
  const byName = new Map(columns.map((column) => [String(column.name), column]));
  const quality: Check[] = [];
  for (const constraint of Array.isArray(node.constraints) ? node.constraints : []) {
    if (!isRecord(constraint)) continue;
    const names = Array.isArray(constraint.columns) ? constraint.columns.map(String) : [];
    applyConstraint(
      constraint,
      names,
      byName.get(names[0] ?? ''),
      byName,
      models,
      label,
      [...path, 'constraints'],
      reader,
      quality,
    );
  }
  for (const test of tests) applyTest(test, byName, models, label, quality, reader);

  const tags = Array.isArray(node.tags) ? node.tags.filter((t): t is string => typeof t === 'string') : [];
  const version =
    typeof node.version === 'number' || typeof node.version === 'string' ? `${node.version}.0.0` : '1.0.0';
  const input: Record<string, unknown> = {
    apiVersion: 'pipectl/v1',
    kind: 'Contract',
    name: model.dataset,
    version: /^\d+\.0\.0$/.test(version) ? version : '1.0.0',
    owner,
    ...(typeof node.description === 'string' && node.description !== '' && { description: node.description }),
    ...(tags.length > 0 && { tags }),
    columns: columns.map(orderColumn),
    ...(quality.length > 0 && { quality }),
  };
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

/** A dbt constraint on one column (column-level) or on the model (names several columns). */
function applyConstraint(
  constraint: Record<string, unknown>,
  names: readonly string[],
  column: Column | undefined,
  byName: ReadonlyMap<string, Column> | undefined,
  models: ReadonlyMap<string, Model>,
  label: string,
  at: IssuePath,
  reader: ImportReader,
  quality?: Check[],
): void {
  const type = String(constraint.type);
  const single = names.length === 1 && column !== undefined;
  if (type === 'primary_key') {
    // A primary key is never null in pipectl: `nullable` says nothing more on its columns.
    const targets = byName === undefined ? [column] : names.map((name) => byName.get(name));
    for (const target of targets) {
      if (!target) continue;
      target.primaryKey = true;
      delete target.nullable;
    }
  } else if (type === 'not_null' && single) column.nullable = false;
  else if (type === 'unique' && single) column.unique = true;
  else if (type === 'unique' && quality && names.length > 1)
    quality.push({ check: 'unique', columns: names });
  else if (type === 'foreign_key' && single) {
    const target = refTarget(constraint.to, models);
    const toColumns = Array.isArray(constraint.to_columns) ? constraint.to_columns : [];
    if (target && toColumns.length === 1) column.references = `${target}.${String(toColumns[0])}`;
    else
      reader.warn(
        'PIPE7011',
        at,
        `${label}: foreign_key to ${String(constraint.to)} (${toColumns.join(', ')}) is not one column of a model, so it is not carried`,
      );
  } else
    reader.warn(
      'PIPE7011',
      at,
      `${label}: ${type} constraint${names.length > 0 ? ` on ${names.join(', ')}` : ''}${typeof constraint.expression === 'string' ? ` (${constraint.expression})` : ''} has no pipectl equivalent and is not carried`,
    );
}

/** One generic data test, as a column promise (error severity) or a warn quality check. */
function applyTest(
  test: { id: string; node: Record<string, unknown> },
  byName: ReadonlyMap<string, Column>,
  models: ReadonlyMap<string, Model>,
  label: string,
  quality: Check[],
  reader: ImportReader,
): void {
  const at = ['nodes', test.id];
  const metadata = isRecord(test.node.test_metadata) ? test.node.test_metadata : {};
  const kwargs = isRecord(metadata.kwargs) ? metadata.kwargs : {};
  const args = isRecord(kwargs.arguments) ? { ...kwargs, ...kwargs.arguments } : kwargs;
  const name = String(metadata.name ?? test.node.name);
  const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}.` : '';
  const columnName =
    typeof test.node.column_name === 'string' ? test.node.column_name : String(args.column_name ?? '');
  const column = byName.get(columnName);
  const config = isRecord(test.node.config) ? test.node.config : {};
  const warn = String(config.severity ?? 'error').toLowerCase() === 'warn';
  if (typeof config.where === 'string' || (config.limit !== undefined && config.limit !== null))
    reader.warn(
      'PIPE7011',
      at,
      `${label}: test ${name} on "${columnName}" has a where/limit config, not carried: pipectl checks every row`,
    );
  const supported =
    namespace === '' && ['not_null', 'unique', 'accepted_values', 'relationships'].includes(name);
  if (!supported || column === undefined) {
    reader.warn(
      'PIPE7011',
      at,
      column === undefined
        ? `${label}: test ${namespace}${name} is not on a documented column, so it is not carried`
        : `${label}: test ${namespace}${name} on "${columnName}" is a custom test, not carried: write it as a pipectl sql check`,
    );
    return;
  }
  const severity = warn ? { severity: 'warn' } : {};
  if (name === 'not_null') {
    if (warn) quality.push({ check: 'not_null', column: columnName, ...severity });
    else if (!column.primaryKey) column.nullable = false;
  } else if (name === 'unique') {
    if (warn) quality.push({ check: 'unique', column: columnName, ...severity });
    else column.unique = true;
  } else if (name === 'accepted_values') {
    const values = Array.isArray(args.values) ? args.values : [];
    if (warn) quality.push({ check: 'accepted_values', column: columnName, values, ...severity });
    else column.acceptedValues = values;
  } else {
    const target = refTarget(args.to, models);
    const field = typeof args.field === 'string' ? args.field : undefined;
    if (target === undefined || field === undefined) {
      reader.warn(
        'PIPE7011',
        at,
        `${label}: relationships test on "${columnName}" points at ${String(args.to)}, not a model, so it is not carried`,
      );
      return;
    }
    if (warn)
      quality.push({ check: 'relationships', column: columnName, to: `${target}.${field}`, ...severity });
    else column.references = `${target}.${field}`;
  }
}

/** `ref('orders')` (or `ref('pkg', 'orders')`) -> the dataset of that model. */
function refTarget(to: unknown, models: ReadonlyMap<string, Model>): string | undefined {
  if (typeof to !== 'string') return undefined;
  const match = /ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]/.exec(to);
  if (!match) return undefined;
  const model = [...models.values()].find((m) => m.node.name === match[1]);
  return model?.dataset;
}

const COLUMN_ORDER = [
  'name',
  'type',
  'description',
  'nullable',
  'primaryKey',
  'unique',
  'references',
  'acceptedValues',
  'pii',
  'tags',
];

function orderColumn(column: Column): Column {
  return Object.fromEntries(COLUMN_ORDER.filter((key) => key in column).map((key) => [key, column[key]]));
}
