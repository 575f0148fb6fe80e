// ODCS v3 document (YAML text) -> pipectl contracts. Pure: takes the file's name and text, returns
// the contracts (as pipectl YAML, validated by the spec's own loader) and every issue placed at
// `file:line:col` in the ODCS file. One contract per schema object.
import {
  COLUMN_NAME_PATTERN,
  COLUMN_REF_PATTERN,
  type Contract,
  DATASET_NAME_PATTERN,
  DURATION_PATTERN,
  formatIssuePath,
  type Issue,
  type IssuePath,
  PII_CATEGORIES,
  parseDocument,
  SEMVER_PATTERN,
  SourceMap,
} from '@pipectl/spec';
import { LineCounter, parseDocument as parseYaml } from 'yaml';
import { contractYaml } from '../write/contract-yaml.js';
import { typeFromOdcs } from './logical-type.js';
import { ODCS_READ_VERSIONS, PIPECTL_VENDOR } from './odcs-document.js';
import { ImportReader, isRecord, snakeCase } from './odcs-reader.js';
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
const PROPERTY_KEYS = new Set([
  'name',
  'physicalType',
  'logicalType',
  'logicalTypeOptions',
  'description',
  'required',
  'unique',
  'primaryKey',
  'primaryKeyPosition',
  'classification',
  'enum',
  'relationships',
  'tags',
  'quality',
  'customProperties',
  // Nested shapes: read into the DuckDB type (struct, list, map).
  'items',
  'properties',
  'map',
]);
const OPTION_KEYS = new Set([
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'timezone',
  'format',
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
    const column = readProperty(property, at, names, shared.datasetSchema, reader, keyPositions);
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

interface ReadColumn {
  readonly column: Record<string, unknown>;
  readonly rules: { check: Record<string, unknown>; at: IssuePath }[];
}

function readProperty(
  property: unknown,
  path: IssuePath,
  names: ReadonlyMap<string, string>,
  datasetSchema: string,
  reader: ImportReader,
  keyPositions: { column: string; position: number }[],
): ReadColumn | undefined {
  if (!isRecord(property) || typeof property.name !== 'string') {
    reader.error('PIPE7003', path, 'a property needs a name');
    return undefined;
  }
  const name = property.name;
  if (!new RegExp(COLUMN_NAME_PATTERN).test(name)) {
    reader.error(
      'PIPE7003',
      [...path, 'name'],
      `property name "${name}" is not a column name pipectl accepts`,
      {
        expected: 'letters, digits and "_", starting with a letter or "_"',
      },
    );
    return undefined;
  }
  reader.rest(property, path, PROPERTY_KEYS);
  const type = typeFromOdcs(property);
  if (!type.ok) {
    reader.error(
      'PIPE7003',
      [...path, property.physicalType !== undefined ? 'physicalType' : 'name'],
      `property "${name}": ${type.message}`,
      {
        expected:
          'a DuckDB physicalType (bigint, varchar, decimal(12,2), timestamp, ...) or an ODCS logicalType',
      },
    );
    return undefined;
  }
  if (type.note) reader.warn('PIPE7003', [...path, 'physicalType'], `property "${name}": ${type.note}`);
  const column: Record<string, unknown> = { name, type: type.type };
  if (typeof property.description === 'string') column.description = property.description;
  const primaryKey = property.primaryKey === true;
  // A primary key is never null in pipectl; `required` only matters for the other columns.
  if (property.required === true && !primaryKey) column.nullable = false;
  if (primaryKey) {
    column.primaryKey = true;
    keyPositions.push({
      column: name,
      position:
        typeof property.primaryKeyPosition === 'number'
          ? property.primaryKeyPosition
          : keyPositions.length + 1,
    });
  }
  if (property.unique === true) column.unique = true;

  const references = readRelationships(
    property.relationships,
    [...path, 'relationships'],
    names,
    datasetSchema,
    reader,
  );
  if (references !== undefined) column.references = references;
  if (Array.isArray(property.enum)) {
    const values = property.enum.map((entry) => (isRecord(entry) ? entry.value : entry));
    column.acceptedValues = values;
    property.enum.forEach((entry, index) => {
      if (isRecord(entry)) reader.rest(entry, [...path, 'enum', index], new Set(['value']));
    });
  }

  const options = isRecord(property.logicalTypeOptions) ? property.logicalTypeOptions : {};
  reader.rest(options, [...path, 'logicalTypeOptions'], OPTION_KEYS);
  if (typeof options.pattern === 'string') column.pattern = options.pattern;
  if (options.minimum !== undefined) column.min = options.minimum;
  if (options.maximum !== undefined) column.max = options.maximum;
  if (options.minLength !== undefined) column.minLength = options.minLength;
  if (options.maxLength !== undefined) column.maxLength = options.maxLength;
  if (
    options.format !== undefined &&
    !(options.format === 'uuid' && type.type === 'uuid') &&
    !/^[iuf]\d+$/.test(String(options.format))
  )
    reader.notCarried(
      [...path, 'logicalTypeOptions', 'format'],
      'pipectl checks values with pattern, not formats',
    );

  let pii: string | undefined;
  let piiFlag = false;
  customList(property.customProperties, [...path, 'customProperties'], reader, (key, value, vendor) => {
    if (key === 'pii' && vendor !== PIPECTL_VENDOR) piiFlag = value === true || value === 'true';
    else if (vendor !== PIPECTL_VENDOR) return false;
    else if (key === 'piiCategory') pii = String(value);
    else if (
      key === 'default' ||
      key === 'renamedFrom' ||
      key === 'pattern' ||
      key === 'minLength' ||
      key === 'maxLength'
    )
      column[key] = value;
    else if (key === 'minimum') column.min = value;
    else if (key === 'maximum') column.max = value;
    else return false;
    return true;
  });
  if (typeof property.classification === 'string') {
    const classification = property.classification.toLowerCase();
    if ((PII_CATEGORIES as readonly string[]).includes(classification)) pii ??= classification;
    else if (classification === 'pii' || classification === 'personal') piiFlag = true;
    else
      reader.notCarried(
        [...path, 'classification'],
        `pipectl marks personal data (pii), not "${property.classification}"`,
      );
  }
  if (pii !== undefined || piiFlag) column.pii = pii ?? 'other';
  const tags = stringList(property.tags);
  if (tags.length > 0) column.tags = tags;

  const rules: { check: Record<string, unknown>; at: IssuePath }[] = [];
  const propertyRules = Array.isArray(property.quality) ? property.quality : [];
  propertyRules.forEach((rule, index) => {
    const at = [...path, 'quality', index];
    const check = checkFromOdcs(rule, at, name, reader);
    if (check) rules.push({ check, at });
  });
  return { column: orderColumn(column), rules };
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
  'pattern',
  'min',
  'max',
  'minLength',
  'maxLength',
  'pii',
  'default',
  'renamedFrom',
  'tags',
];

function orderColumn(column: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(COLUMN_ORDER.filter((key) => key in column).map((key) => [key, column[key]]));
}

function readRelationships(
  relationships: unknown,
  path: IssuePath,
  names: ReadonlyMap<string, string>,
  datasetSchema: string,
  reader: ImportReader,
): string | undefined {
  if (!Array.isArray(relationships)) return undefined;
  let reference: string | undefined;
  relationships.forEach((relationship, index) => {
    const at = [...path, index];
    const to = isRecord(relationship) ? relationship.to : undefined;
    if (isRecord(relationship)) reader.rest(relationship, at, new Set(['type', 'to']));
    if (typeof to !== 'string' || reference !== undefined) {
      reader.notCarried(at, 'pipectl keeps one foreign key per column, to one column');
      return;
    }
    if (new RegExp(COLUMN_REF_PATTERN).test(to)) {
      reference = to;
      return;
    }
    // Shorthand `object.property`: the object of this (or another) contract.
    const [object, column, ...more] = to.split('.');
    const dataset =
      object === undefined ? undefined : (names.get(object) ?? snakeTable(object, datasetSchema));
    if (
      dataset !== undefined &&
      column !== undefined &&
      more.length === 0 &&
      new RegExp(COLUMN_NAME_PATTERN).test(column)
    )
      reference = `${dataset}.${column}`;
    else reader.notCarried([...at, 'to'], `"${to}" is not "object.property" or "schema.table.column"`);
  });
  return reference;
}

function snakeTable(object: string, datasetSchema: string): string | undefined {
  const table = snakeCase(object);
  return table === undefined ? undefined : `${datasetSchema}.${table}`;
}

const UNITS: Record<string, string> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
};

function readFreshness(
  sla: readonly unknown[],
  objectName: string,
  objectCount: number,
  columns: readonly Record<string, unknown>[],
  reader: ImportReader,
): { value: Record<string, unknown>; at: IssuePath } | undefined {
  let found: { value: Record<string, unknown>; at: IssuePath } | undefined;
  sla.forEach((entry, index) => {
    const at = ['slaProperties', index];
    if (!isRecord(entry)) return;
    const property = String(entry.property ?? '').toLowerCase();
    const element = typeof entry.element === 'string' ? entry.element : undefined;
    const [elementObject, elementColumn] =
      element?.includes('.') === true
        ? [element.slice(0, element.lastIndexOf('.')), element.slice(element.lastIndexOf('.') + 1)]
        : [undefined, element];
    const forThis =
      elementObject === undefined
        ? objectCount === 1
        : elementObject === objectName || elementObject.endsWith(`.${objectName}`);
    if (!forThis) return;
    if (property !== 'freshness' && property !== 'latency') {
      reader.notCarried(at, `pipectl keeps a freshness SLA only, not "${String(entry.property)}"`);
      return;
    }
    if (elementColumn === undefined || !columns.some((column) => column.name === elementColumn)) {
      reader.notCarried(at, 'a freshness SLA needs element: <object>.<timestamp property>');
      return;
    }
    reader.rest(entry, at, new Set(['property', 'value', 'unit', 'element', 'customProperties']));
    const unit = entry.unit === undefined ? undefined : UNITS[String(entry.unit).toLowerCase()];
    const maxAge =
      unit !== undefined && typeof entry.value === 'number' && Number.isInteger(entry.value)
        ? `${entry.value}${unit}`
        : typeof entry.value === 'string' &&
            new RegExp(DURATION_PATTERN).test(entry.value) &&
            entry.unit === undefined
          ? entry.value
          : undefined;
    if (maxAge === undefined) {
      reader.notCarried(
        at,
        `value ${String(entry.value)} ${String(entry.unit ?? '')} is not a whole number of ms, s, m, h, d or w`,
      );
      return;
    }
    let severity: unknown;
    customList(entry.customProperties, [...at, 'customProperties'], reader, (key, value, vendor) => {
      if (vendor !== PIPECTL_VENDOR || key !== 'severity') return false;
      severity = value;
      return true;
    });
    if (found) {
      reader.notCarried(at, 'pipectl keeps one freshness SLA per dataset');
      return;
    }
    found = { value: { column: elementColumn, maxAge, ...(severity !== undefined && { severity }) }, at };
  });
  return found;
}

/** Walks a customProperties list; `use` returns false for entries it does not take (reported). */
function customList(
  list: unknown,
  path: IssuePath,
  reader: ImportReader,
  use: (property: string, value: unknown, vendor: unknown) => boolean,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    reader.notCarried(path);
    return;
  }
  list.forEach((entry, index) => {
    const at = [...path, index];
    if (
      !isRecord(entry) ||
      typeof entry.property !== 'string' ||
      !use(entry.property, entry.value, entry.vendor)
    )
      reader.notCarried(at);
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
