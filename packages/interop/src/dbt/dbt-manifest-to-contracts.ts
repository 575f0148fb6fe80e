// dbt manifest.json -> pipectl contracts: one per model, named by its relation (`schema.alias`).
// Columns (data_type), constraints (not_null, unique, primary_key, foreign_key) and dbt's generic
// data tests (not_null, unique, accepted_values, relationships) carry over; a test at warn severity
// becomes a warn quality check instead of a column promise. What has no place (check constraints,
// custom tests, columns without a data_type) is reported per model and column. Pure: text in, data out.
import { DATASET_NAME_PATTERN } from '@pipectl/spec';
import { ImportReader, isRecord } from '../odcs/odcs-reader.js';
import type { ImportedContract, ImportResult } from '../odcs/odcs-to-contracts.js';
import type { DbtTest, Model } from './dbt-model.js';
import { readModel } from './dbt-model-to-contract.js';

export interface DbtImportOptions {
  /** Owner of contracts whose model names none (meta.owner, its group's owner). */
  readonly owner?: string;
}

/** The parts of a manifest the import reads. */
interface Manifest {
  readonly nodes: Record<string, unknown>;
  readonly groups: Record<string, unknown>;
  readonly project: string;
}

/**
 * Reads a dbt manifest (schema v12, what dbt 1.8+ writes) into pipectl contracts.
 * @example importDbtManifest('target/manifest.json', text).contracts.map((c) => c.name) // ['main.orders']
 */
export function importDbtManifest(file: string, text: string, options: DbtImportOptions = {}): ImportResult {
  const reader = new ImportReader(file, undefined, 'PIPE7011');
  const manifest = readManifest(text, reader);
  if (manifest === undefined) return { contracts: [], issues: reader.issues };
  const models = modelsOf(manifest.nodes, reader);
  const tests = testsByModel(manifest.nodes, models, reader);
  const scope = { models, groups: manifest.groups, project: manifest.project, owner: options.owner, reader };
  const contracts: ImportedContract[] = [];
  for (const model of [...models.values()].sort((a, b) => a.dataset.localeCompare(b.dataset))) {
    const imported = readModel(model, tests.get(model.id) ?? [], scope);
    if (imported) contracts.push(imported);
  }
  const failed = reader.issues.some((issue) => issue.severity === 'error');
  return { contracts: failed ? [] : contracts, issues: reader.issues };
}

/** The manifest's nodes, groups and project name; undefined (with an error) when the text is not one. */
function readManifest(text: string, reader: ImportReader): Manifest | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    reader.error('PIPE7010', [], `the file is not JSON: ${(error as Error).message}`);
    return undefined;
  }
  const metadata = isRecord(manifest) && isRecord(manifest.metadata) ? manifest.metadata : undefined;
  const schemaVersion = String(metadata?.dbt_schema_version ?? '');
  if (!isRecord(manifest) || !isRecord(manifest.nodes) || !/\/manifest\/v\d+\.json$/.test(schemaVersion)) {
    reader.error(
      'PIPE7010',
      [],
      'not a dbt manifest (no metadata.dbt_schema_version of a manifest, or no nodes)',
    );
    return undefined;
  }
  return {
    nodes: manifest.nodes,
    groups: isRecord(manifest.groups) ? manifest.groups : {},
    project: typeof metadata?.project_name === 'string' ? metadata.project_name : 'dbt',
  };
}

/** The manifest's models by unique id, those whose relation is a pipectl dataset name. */
function modelsOf(nodes: Record<string, unknown>, reader: ImportReader): Map<string, Model> {
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
  return models;
}

/** The tests of each model, by the model they are attached to; a test attached to none is reported. */
function testsByModel(
  nodes: Record<string, unknown>,
  models: ReadonlyMap<string, Model>,
  reader: ImportReader,
): Map<string, DbtTest[]> {
  const tests = new Map<string, DbtTest[]>();
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
  return tests;
}
