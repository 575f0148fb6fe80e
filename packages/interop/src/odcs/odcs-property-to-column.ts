// One ODCS property -> one pipectl column: its name and DuckDB type, its keys, its foreign key
// (`relationships`), enum, logicalTypeOptions, PII classification and pipectl custom properties,
// and the quality rules under it. Everything it cannot carry is reported at its place.
import { COLUMN_NAME_PATTERN, COLUMN_REF_PATTERN, type IssuePath, PII_CATEGORIES } from '@pipectl/spec';
import { typeFromOdcs } from './logical-type.js';
import { PIPECTL_VENDOR } from './odcs-document.js';
import { customList, type ImportReader, isRecord, snakeCase, stringList } from './odcs-reader.js';
import { checkFromOdcs } from './quality-from-odcs.js';

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

/** The pipectl custom properties a column carries under their own name. */
const CUSTOM_COLUMN_KEYS = new Set(['default', 'renamedFrom', 'pattern', 'minLength', 'maxLength']);

type Column = Record<string, unknown>;

/** A property read: the column, and the checks of its quality rules with their places. */
export interface ReadColumn {
  readonly column: Column;
  readonly rules: { check: Record<string, unknown>; at: IssuePath }[];
}

/** What a property is read against: the datasets of the file's objects, and where keys go. */
export interface PropertyScope {
  /** The dataset of each schema object, by the object's name. */
  readonly names: ReadonlyMap<string, string>;
  readonly datasetSchema: string;
  readonly reader: ImportReader;
  /** The primary key columns met so far, with their primaryKeyPosition; a key column adds itself. */
  readonly keyPositions: { column: string; position: number }[];
}

/** One property as a column, or undefined (with an error) when it has no usable name or type. */
export function readProperty(
  property: unknown,
  path: IssuePath,
  scope: PropertyScope,
): ReadColumn | undefined {
  const { reader } = scope;
  const name = propertyName(property, path, reader);
  if (!isRecord(property) || name === undefined) return undefined;
  reader.rest(property, path, PROPERTY_KEYS);
  const type = propertyType(property, name, path, reader);
  if (type === undefined) return undefined;
  const column: Column = { name, type };
  if (typeof property.description === 'string') column.description = property.description;
  applyKeys(property, column, scope.keyPositions);
  const references = readRelationships(property.relationships, [...path, 'relationships'], scope);
  if (references !== undefined) column.references = references;
  applyEnum(property, column, path, reader);
  applyTypeOptions(property, column, path, reader);
  const customPii = applyCustomProperties(property, column, path, reader);
  const pii = classifiedPii(property, customPii, path, reader);
  if (pii !== undefined) column.pii = pii;
  const tags = stringList(property.tags);
  if (tags.length > 0) column.tags = tags;
  return { column, rules: propertyRules(property, name, path, reader) };
}

/** The property's name when pipectl accepts it as a column name; otherwise undefined, with an error. */
function propertyName(property: unknown, path: IssuePath, reader: ImportReader): string | undefined {
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
  return name;
}

/** The property's DuckDB type (a warning when it was inferred loosely); undefined, with an error, when none. */
function propertyType(
  property: Record<string, unknown>,
  name: string,
  path: IssuePath,
  reader: ImportReader,
): string | undefined {
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
  return type.type;
}

/** required, primaryKey (recording its position) and unique. */
function applyKeys(
  property: Record<string, unknown>,
  column: Column,
  keyPositions: { column: string; position: number }[],
): void {
  const primaryKey = property.primaryKey === true;
  // A primary key is never null in pipectl; `required` only matters for the other columns.
  if (property.required === true && !primaryKey) column.nullable = false;
  if (primaryKey) {
    column.primaryKey = true;
    keyPositions.push({
      column: String(column.name),
      position:
        typeof property.primaryKeyPosition === 'number'
          ? property.primaryKeyPosition
          : keyPositions.length + 1,
    });
  }
  if (property.unique === true) column.unique = true;
}

/** The property's enum as acceptedValues; an entry's fields beside `value` are reported. */
function applyEnum(
  property: Record<string, unknown>,
  column: Column,
  path: IssuePath,
  reader: ImportReader,
): void {
  if (!Array.isArray(property.enum)) return;
  column.acceptedValues = property.enum.map((entry) => (isRecord(entry) ? entry.value : entry));
  property.enum.forEach((entry, index) => {
    if (isRecord(entry)) reader.rest(entry, [...path, 'enum', index], new Set(['value']));
  });
}

/** logicalTypeOptions as pattern, min, max, minLength and maxLength; a format pipectl cannot check is reported. */
function applyTypeOptions(
  property: Record<string, unknown>,
  column: Column,
  path: IssuePath,
  reader: ImportReader,
): void {
  const options = isRecord(property.logicalTypeOptions) ? property.logicalTypeOptions : {};
  reader.rest(options, [...path, 'logicalTypeOptions'], OPTION_KEYS);
  if (typeof options.pattern === 'string') column.pattern = options.pattern;
  if (options.minimum !== undefined) column.min = options.minimum;
  if (options.maximum !== undefined) column.max = options.maximum;
  if (options.minLength !== undefined) column.minLength = options.minLength;
  if (options.maxLength !== undefined) column.maxLength = options.maxLength;
  if (
    options.format !== undefined &&
    !(options.format === 'uuid' && column.type === 'uuid') &&
    !/^[iuf]\d+$/.test(String(options.format))
  )
    reader.notCarried(
      [...path, 'logicalTypeOptions', 'format'],
      'pipectl checks values with pattern, not formats',
    );
}

/**
 * The pipectl custom properties (default, renamedFrom, pattern, lengths, bounds) into the column;
 * returns what they say of personal data: the pipectl piiCategory, and another tool's `pii` flag.
 */
function applyCustomProperties(
  property: Record<string, unknown>,
  column: Column,
  path: IssuePath,
  reader: ImportReader,
): { category?: string; flagged: boolean } {
  let category: string | undefined;
  let flagged = false;
  customList(property.customProperties, [...path, 'customProperties'], reader, (key, value, vendor) => {
    if (key === 'pii' && vendor !== PIPECTL_VENDOR) flagged = value === true || value === 'true';
    else if (vendor !== PIPECTL_VENDOR) return false;
    else if (key === 'piiCategory') category = String(value);
    else if (CUSTOM_COLUMN_KEYS.has(key)) column[key] = value;
    else if (key === 'minimum') column.min = value;
    else if (key === 'maximum') column.max = value;
    else return false;
    return true;
  });
  return { ...(category !== undefined && { category }), flagged };
}

/** The column's PII category: the custom one, else the classification's, else `other` when flagged. */
function classifiedPii(
  property: Record<string, unknown>,
  custom: { category?: string; flagged: boolean },
  path: IssuePath,
  reader: ImportReader,
): string | undefined {
  let pii = custom.category;
  let flagged = custom.flagged;
  if (typeof property.classification === 'string') {
    const classification = property.classification.toLowerCase();
    if ((PII_CATEGORIES as readonly string[]).includes(classification)) pii ??= classification;
    else if (classification === 'pii' || classification === 'personal') flagged = true;
    else
      reader.notCarried(
        [...path, 'classification'],
        `pipectl marks personal data (pii), not "${property.classification}"`,
      );
  }
  return pii !== undefined || flagged ? (pii ?? 'other') : undefined;
}

/** The checks of the quality rules under the property, each with its place. */
function propertyRules(
  property: Record<string, unknown>,
  name: string,
  path: IssuePath,
  reader: ImportReader,
): ReadColumn['rules'] {
  const rules: ReadColumn['rules'] = [];
  const propertyRules = Array.isArray(property.quality) ? property.quality : [];
  propertyRules.forEach((rule, index) => {
    const at = [...path, 'quality', index];
    const check = checkFromOdcs(rule, at, name, reader);
    if (check) rules.push({ check, at });
  });
  return rules;
}

/** The one foreign key of a property's relationships, as `schema.table.column`; others reported. */
function readRelationships(
  relationships: unknown,
  path: IssuePath,
  scope: PropertyScope,
): string | undefined {
  if (!Array.isArray(relationships)) return undefined;
  const { reader } = scope;
  let reference: string | undefined;
  relationships.forEach((relationship, index) => {
    const at = [...path, index];
    const to = isRecord(relationship) ? relationship.to : undefined;
    if (isRecord(relationship)) reader.rest(relationship, at, new Set(['type', 'to']));
    if (typeof to !== 'string' || reference !== undefined) {
      reader.notCarried(at, 'pipectl keeps one foreign key per column, to one column');
      return;
    }
    reference = referenceOf(to, scope);
    if (reference === undefined)
      reader.notCarried([...at, 'to'], `"${to}" is not "object.property" or "schema.table.column"`);
  });
  return reference;
}

/** `schema.table.column` as it is, or the shorthand `object.property` resolved to one. */
function referenceOf(to: string, scope: PropertyScope): string | undefined {
  if (new RegExp(COLUMN_REF_PATTERN).test(to)) return to;
  // Shorthand `object.property`: the object of this (or another) contract.
  const [object, column, ...more] = to.split('.');
  const dataset =
    object === undefined ? undefined : (scope.names.get(object) ?? snakeTable(object, scope.datasetSchema));
  return dataset !== undefined &&
    column !== undefined &&
    more.length === 0 &&
    new RegExp(COLUMN_NAME_PATTERN).test(column)
    ? `${dataset}.${column}`
    : undefined;
}

/** The dataset an object name stands for in the import's schema, if it has a snake_case form. */
function snakeTable(object: string, datasetSchema: string): string | undefined {
  const table = snakeCase(object);
  return table === undefined ? undefined : `${datasetSchema}.${table}`;
}
