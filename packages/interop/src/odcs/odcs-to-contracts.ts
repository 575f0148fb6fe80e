// ODCS v3 document (YAML text) -> pipectl contracts. Pure: takes the file's name and text, returns
// the contracts (as pipectl YAML, validated by the spec's own loader) and every issue placed at
// `file:line:col` in the ODCS file. One contract per schema object.
import {
  type Contract,
  DATASET_NAME_PATTERN,
  formatIssuePath,
  type Issue,
  type IssuePath,
  parseDocument,
  SEMVER_PATTERN,
  SourceMap,
} from '@pipectl/spec';
import { LineCounter, parseDocument as parseYaml } from 'yaml';
import { contractYaml } from '../write/contract-yaml.js';
import { ODCS_READ_VERSIONS } from './odcs-document.js';
import { readProperty } from './odcs-property-to-column.js';
import { customList, ImportReader, isRecord, snakeCase, stringList } from './odcs-reader.js';
import { readFreshness } from './odcs-sla-to-freshness.js';
import { checkFromOdcs } from './quality-from-odcs.js';

export interface ImportedContract {
  /** The dataset, `schema.table`. */
  readonly name: string;
  /** Where it belongs in a project: `contracts/<schema>/<table>.contract.yaml`. */
  readonly file: string;
  /** The pipectl YAML. */
  readonly text: string;
  /** The contract as pipectl reads it (defaults filled in). */
  readonly contract: Contract;
}

export interface ImportResult {
  readonly contracts: readonly ImportedContract[];
  /** Errors (nothing imported from the file) and PIPE7002/PIPE7003 warnings, each with its place. */
  readonly issues: readonly Issue[];
}

export interface OdcsImportOptions {
  /** The dataset schema for objects whose physicalName is not `schema.table` (default: the domain, else `imported`). */
  readonly datasetSchema?: string;
}

const ROOT_KEYS = new Set([
  'apiVersion',
  'kind',
  'id',
  'name',
  'version',
  'domain',
  'description',
  'tags',
  'team',
  'schema',
  'slaProperties',
  'customProperties',
]);
const OBJECT_KEYS = new Set([
  'name',
  'physicalName',
  'physicalType',
  'description',
  'tags',
  'properties',
  'quality',
]);
/**
 * Reads one ODCS file into pipectl contracts.
 * @example importOdcs('orders.odcs.yaml', text).contracts[0].name // 'sales.orders'
 */
export function importOdcs(file: string, text: string, options: OdcsImportOptions = {}): ImportResult {
  const lineCounter = new LineCounter();
  const doc = parseYaml(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const sourceMap = new SourceMap(doc, lineCounter, text);
  const reader = new ImportReader(file, sourceMap, 'PIPE7002');
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      reader.issues.push({
        code: 'PIPE1001',
        severity: 'error',
        message: error.message.split('\n')[0] ?? 'YAML syntax error',
        file,
        path: [],
        span: { line, col, endLine: line, endCol: col + 1, offset: error.pos[0] },
      });
    }
    return { contracts: [], issues: reader.issues };
  }
  const root: unknown = doc.toJS();
  if (!isRecord(root) || root.kind !== 'DataContract') {
    reader.error('PIPE7001', isRecord(root) && 'kind' in root ? ['kind'] : [], 'not an ODCS data contract', {
      expected: 'kind: DataContract',
    });
    return { contracts: [], issues: reader.issues };
  }
  if (!ODCS_READ_VERSIONS.includes(String(root.apiVersion) as (typeof ODCS_READ_VERSIONS)[number])) {
    reader.error(
      'PIPE7001',
      ['apiVersion'],
      `ODCS apiVersion "${String(root.apiVersion)}" is not one pipectl reads`,
      {
        expected: `one of: ${ODCS_READ_VERSIONS.join(', ')}`,
      },
    );
    return { contracts: [], issues: reader.issues };
  }
  reader.rest(root, [], ROOT_KEYS);
  const shared = readShared(root, reader, options);
  const objects = Array.isArray(root.schema) ? root.schema : [];
  if (objects.length === 0)
    reader.error(
      'PIPE7003',
      ['schema'],
      'the data contract has no schema objects, so there is no dataset to import',
    );

  const names = objectNames(objects, shared.datasetSchema);
  const contracts: ImportedContract[] = [];
  objects.forEach((object, index) => {
    const imported = readObject(object, ['schema', index], names, shared, objects.length, reader);
    if (imported) contracts.push(imported);
  });
  const failed = reader.issues.some((issue) => issue.severity === 'error');
  return { contracts: failed ? [] : contracts, issues: reader.issues };
}

interface Shared {
  readonly version?: string;
  readonly owner?: string;
  readonly approvers: string[];
  readonly tags: string[];
  readonly purpose?: string;
  readonly compatibility?: unknown;
  readonly except?: unknown;
  readonly datasetSchema: string;
  readonly sla: readonly unknown[];
}

function readShared(root: Record<string, unknown>, reader: ImportReader, options: OdcsImportOptions): Shared {
  let version: string | undefined;
  const raw = root.version === undefined ? undefined : String(root.version);
  if (raw === undefined)
    reader.error('PIPE7003', [], 'the data contract has no version', { expected: 'version: 1.0.0' });
  else if (new RegExp(SEMVER_PATTERN).test(raw)) version = raw;
  else if (/^\d+(\.\d+)?$/.test(raw)) {
    version = raw.includes('.') ? `${raw}.0` : `${raw}.0.0`;
    reader.warn(
      'PIPE7003',
      ['version'],
      `version "${raw}" is imported as "${version}" (pipectl versions are semver)`,
    );
  } else
    reader.error('PIPE7003', ['version'], `version "${raw}" is not semver`, {
      expected: 'MAJOR.MINOR.PATCH, e.g. 1.0.0',
    });

  const { owner, approvers } = readTeam(root.team, reader);
  if (owner === undefined)
    reader.error('PIPE7003', root.team === undefined ? [] : ['team'], 'the data contract names no owner', {
      expected: 'team.name (or a team member with role: owner)',
      hint: 'add `team: { name: <owning team> }` to the ODCS file',
    });

  let purpose: string | undefined;
  if (isRecord(root.description)) {
    if (typeof root.description.purpose === 'string') purpose = root.description.purpose;
    reader.rest(root.description, ['description'], new Set(['purpose']));
  } else if (root.description !== undefined) reader.notCarried(['description']);

  let compatibility: unknown;
  let except: unknown;
  customList(root.customProperties, ['customProperties'], reader, (property, value) => {
    if (property === 'compatibility') compatibility = value;
    else if (property === 'compatibilityWaivers') except = value;
    else return false;
    return true;
  });

  const domain = typeof root.domain === 'string' ? snakeCase(root.domain) : undefined;
  const given = options.datasetSchema;
  const datasetSchema = given ?? domain ?? 'imported';
  return {
    ...(version !== undefined && { version }),
    ...(owner !== undefined && { owner }),
    approvers,
    tags: stringList(root.tags),
    ...(purpose !== undefined && { purpose }),
    compatibility,
    except,
    datasetSchema,
    sla: Array.isArray(root.slaProperties) ? root.slaProperties : [],
  };
}

function readTeam(team: unknown, reader: ImportReader): { owner?: string; approvers: string[] } {
  const approvers: string[] = [];
  let owner: string | undefined;
  const members = Array.isArray(team)
    ? team
    : isRecord(team) && Array.isArray(team.members)
      ? team.members
      : [];
  const membersPath: IssuePath = Array.isArray(team) ? ['team'] : ['team', 'members'];
  if (isRecord(team)) {
    if (typeof team.name === 'string') owner = team.name;
    reader.rest(team, ['team'], new Set(['name', 'members']));
  }
  members.forEach((member, index) => {
    const at = [...membersPath, index];
    const username = isRecord(member) && typeof member.username === 'string' ? member.username : undefined;
    const role = isRecord(member) && typeof member.role === 'string' ? member.role.toLowerCase() : '';
    if (username !== undefined && role === 'approver') approvers.push(username);
    else if (username !== undefined && role === 'owner' && owner === undefined) owner = username;
    else {
      const why =
        role === 'owner'
          ? `pipectl keeps one owner, and it is "${owner}"`
          : `pipectl keeps an owner and approvers (role: approver), not role "${role}"`;
      reader.notCarried(at, why);
      return;
    }
    if (isRecord(member)) reader.rest(member, at, new Set(['username', 'role']));
  });
  return { ...(owner !== undefined && { owner }), approvers };
}

/** Dataset name of each schema object: its physicalName when that is `schema.table`. */
function objectNames(objects: readonly unknown[], datasetSchema: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const object of objects) {
    if (!isRecord(object) || typeof object.name !== 'string') continue;
    const physical = typeof object.physicalName === 'string' ? object.physicalName : undefined;
    if (physical !== undefined && new RegExp(DATASET_NAME_PATTERN).test(physical))
      names.set(object.name, physical);
    else {
      const table = snakeCase(physical ?? object.name);
      if (table !== undefined) names.set(object.name, `${datasetSchema}.${table}`);
    }
  }
  return names;
}

function readObject(
  object: unknown,
  path: IssuePath,
  names: ReadonlyMap<string, string>,
  shared: Shared,
  objectCount: number,
  reader: ImportReader,
): ImportedContract | undefined {
  if (!isRecord(object) || typeof object.name !== 'string') {
    reader.error('PIPE7003', path, 'a schema object needs a name');
    return undefined;
  }
  reader.rest(object, path, OBJECT_KEYS);
  const name = names.get(object.name);
  if (name === undefined) {
    reader.error(
      'PIPE7003',
      [...path, 'name'],
      `schema object "${object.name}" has no snake_case dataset name`,
      {
        hint: 'set physicalName to "schema.table", e.g. "sales.orders"',
      },
    );
    return undefined;
  }
  const origins = new Map<string, IssuePath>();
  const properties = Array.isArray(object.properties) ? object.properties : [];
  const columns: Record<string, unknown>[] = [];
  const quality: Record<string, unknown>[] = [];
  const keyPositions: { column: string; position: number }[] = [];

  const objectRules = Array.isArray(object.quality) ? object.quality : [];
  objectRules.forEach((rule, index) => {
    const at = [...path, 'quality', index];
    const check = checkFromOdcs(rule, at, undefined, reader);
    if (check) {
      origins.set(`quality[${quality.length}]`, at);
      quality.push(check);
    }
  });
  const columnRules: { check: Record<string, unknown>; at: IssuePath }[] = [];
  properties.forEach((property, index) => {
    const at = [...path, 'properties', index];
    const column = readProperty(property, at, {
      names,
      datasetSchema: shared.datasetSchema,
      reader,
      keyPositions,
    });
    if (!column) return;
    origins.set(`columns[${columns.length}]`, at);
    columns.push(column.column);
    columnRules.push(...column.rules);
  });
  for (const { check, at } of columnRules) {
    origins.set(`quality[${quality.length}]`, at);
    quality.push(check);
  }
  const sorted = [...keyPositions].sort((a, b) => a.position - b.position).map((k) => k.column);
  const declared = keyPositions.map((k) => k.column);
  if (sorted.join() !== declared.join())
    reader.warn(
      'PIPE7002',
      path,
      `pipectl orders a composite primary key by column order (${declared.join(', ')}), not by primaryKeyPosition`,
    );

  const freshness = readFreshness(shared.sla, object.name, objectCount, columns, reader);
  const description = typeof object.description === 'string' ? object.description : shared.purpose;
  if (shared.purpose !== undefined && typeof object.description === 'string')
    reader.notCarried(['description', 'purpose'], 'the schema object has its own description');
  const tags = [...new Set([...shared.tags, ...stringList(object.tags)])];
  const input: Record<string, unknown> = {
    apiVersion: 'pipectl/v1',
    kind: 'Contract',
    name,
    version: shared.version,
    owner: shared.owner,
    ...(description !== undefined && { description }),
    ...(shared.compatibility !== undefined && { compatibility: shared.compatibility }),
    ...(shared.approvers.length > 0 && { approvers: shared.approvers }),
    ...(tags.length > 0 && { tags }),
    columns,
    ...(quality.length > 0 && { quality }),
    ...(freshness && { freshness: freshness.value }),
    ...(shared.except !== undefined && { except: shared.except }),
  };
  if (freshness) origins.set('freshness', freshness.at);
  if (shared.version === undefined || shared.owner === undefined) return undefined;

  const [schema, table] = name.split('.') as [string, string];
  const file = `contracts/${schema}/${table}.contract.yaml`;
  const text = contractYaml(input);
  const parsed = parseDocument(file, text);
  for (const issue of parsed.issues) {
    const at = originOf(issue.path, origins) ?? path;
    reader.error(
      'PIPE7004',
      at,
      `the imported contract "${name}" is invalid: ${issue.message} (${formatIssuePath(issue.path)})`,
      {
        ...(issue.expected !== undefined && { expected: issue.expected }),
        ...(issue.hint !== undefined && { hint: issue.hint }),
      },
    );
  }
  const document = parsed.document;
  if (document?.kind !== 'Contract') return undefined;
  return { name, file, text, contract: document.value };
}

function originOf(path: IssuePath, origins: ReadonlyMap<string, IssuePath>): IssuePath | undefined {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(formatIssuePath(path.slice(0, length)));
    if (origin) return origin;
  }
  return undefined;
}
