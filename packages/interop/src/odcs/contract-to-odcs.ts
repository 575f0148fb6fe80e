// pipectl Contract -> ODCS v3 document. Pure: takes a validated contract, returns the document and
// the warnings for anything ODCS says only approximately. Every pipectl field has a place: a
// standard ODCS field where one means the same, else a customProperty with `vendor: pipectl`.
import {
  type Column,
  type Contract,
  type DataType,
  type Freshness,
  type Issue,
  type IssuePath,
  parseDataType,
} from '@pipectl/spec';
import { stringify } from 'yaml';
import { logicalTypeOf } from './logical-type.js';
import {
  ODCS_API_VERSION,
  type OdcsCustomProperty,
  type OdcsDocument,
  type OdcsProperty,
  type OdcsSchemaObject,
  type OdcsSlaProperty,
} from './odcs-document.js';
import { custom, type PlacedRule, qualityToOdcs } from './quality-to-odcs.js';

export interface OdcsExport {
  readonly document: OdcsDocument;
  /** PIPE7005 warnings, located in the contract file when `file` was given. */
  readonly warnings: readonly Issue[];
}

/**
 * The ODCS v3 document of one contract.
 * @example contractToOdcs(contract).document.schema[0].properties[0].physicalType // 'bigint'
 */
export function contractToOdcs(contract: Contract, file?: string): OdcsExport {
  const warnings: Issue[] = [];
  const warn = (path: IssuePath, message: string): void => {
    warnings.push({
      code: 'PIPE7005',
      severity: 'warning',
      message,
      path,
      ...(file !== undefined && { file }),
    });
  };
  const table = contract.name.slice(contract.name.indexOf('.') + 1);
  const placed = contract.quality.map((check) => qualityToOdcs(check));
  const columnNames = new Set(contract.columns.map((column) => column.name));
  const onColumn = (rule: PlacedRule): boolean => rule.column !== undefined && columnNames.has(rule.column);

  // An import reads schema-level rules first, then each property's; say so when that reorders.
  const importOrder = [
    ...placed.flatMap((rule, index) => (onColumn(rule) ? [] : [index])),
    ...contract.columns.flatMap((column) =>
      placed.flatMap((rule, index) => (onColumn(rule) && rule.column === column.name ? [index] : [])),
    ),
  ];
  if (importOrder.some((index, position) => index !== position))
    warn(
      ['quality'],
      `the quality checks of "${contract.name}" are split between the table and its columns in ODCS; an import lists the table's checks first, then each column's`,
    );

  let keyPosition = 0;
  const properties = contract.columns.map((column) => {
    const property = propertyOf(column, column.primaryKey ? ++keyPosition : undefined);
    const rules = placed.filter((rule) => onColumn(rule) && rule.column === column.name).map((r) => r.rule);
    return rules.length > 0 ? { ...property, quality: rules } : property;
  });
  const schemaRules = placed.filter((rule) => !onColumn(rule)).map((rule) => rule.rule);
  const object: OdcsSchemaObject = {
    name: table,
    physicalName: contract.name,
    physicalType: 'table',
    ...(contract.description !== undefined && { description: contract.description }),
    properties,
    ...(schemaRules.length > 0 && { quality: schemaRules }),
  };

  const customProperties: OdcsCustomProperty[] = [custom('compatibility', contract.compatibility)];
  if (contract.except.length > 0) customProperties.push(custom('compatibilityWaivers', contract.except));

  const document: OdcsDocument = {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: contract.name,
    name: contract.name,
    version: contract.version,
    ...(contract.tags !== undefined && { tags: [...contract.tags] }),
    team: {
      name: contract.owner,
      ...(contract.approvers.length > 0 && {
        members: contract.approvers.map((username) => ({ username, role: 'approver' })),
      }),
    },
    schema: [object],
    ...(contract.freshness !== undefined && { slaProperties: [freshnessSla(contract.freshness, table)] }),
    customProperties,
  };
  return { document, warnings };
}

/** ODCS YAML text of a document, keys in the order the standard lists them. */
export function odcsYaml(document: OdcsDocument): string {
  return stringify(document, { lineWidth: 0 });
}

/** One column as an ODCS property; `keyPosition` is its place in the primary key, if it is in it. */
function propertyOf(column: Column, keyPosition: number | undefined): OdcsProperty {
  const parsed = parseDataType(column.type);
  const logical = parsed.ok ? logicalTypeOf(parsed.type) : undefined;
  const { options, extra: typeExtra } = typeOptionsOf(column, parsed.ok ? parsed.type : undefined, logical);
  const extra = [...typeExtra, ...pipectlExtrasOf(column)];
  return {
    name: column.name,
    physicalType: column.type,
    ...(logical !== undefined && { logicalType: logical }),
    ...(Object.keys(options).length > 0 && { logicalTypeOptions: options }),
    ...(column.description !== undefined && { description: column.description }),
    ...((!column.nullable || column.primaryKey) && { required: true }),
    ...(column.unique && { unique: true }),
    ...(keyPosition !== undefined && { primaryKey: true, primaryKeyPosition: keyPosition }),
    ...(column.pii !== undefined && { classification: 'pii' }),
    ...(column.acceptedValues !== undefined && {
      enum: column.acceptedValues.map((value) => ({ value })),
    }),
    ...(column.references !== undefined && {
      relationships: [{ type: 'foreignKey' as const, to: column.references }],
    }),
    ...(column.tags !== undefined && { tags: [...column.tags] }),
    ...(extra.length > 0 && { customProperties: extra }),
  };
}

/**
 * The column's pattern, lengths and bounds as ODCS logicalTypeOptions where its logical type has
 * them (plus timezone and uuid format), and as pipectl custom properties where it does not.
 */
function typeOptionsOf(
  column: Column,
  type: DataType | undefined,
  logical: string | undefined,
): { options: Record<string, unknown>; extra: OdcsCustomProperty[] } {
  const options: Record<string, unknown> = {};
  const extra: OdcsCustomProperty[] = [];
  const isText = logical === 'string';
  const isNumber = logical === 'integer' || logical === 'number';
  const isTemporal = logical === 'date' || logical === 'timestamp' || logical === 'time';
  const place = (key: string, value: unknown, fits: boolean): void => {
    if (fits) options[key] = value;
    else extra.push(custom(key, value));
  };

  if (column.pattern !== undefined) place('pattern', column.pattern, isText);
  for (const [key, value] of [
    ['minLength', column.minLength],
    ['maxLength', column.maxLength],
  ] as const) {
    if (value !== undefined) place(key, value, isText);
  }
  for (const [key, value] of [
    ['minimum', column.min],
    ['maximum', column.max],
  ] as const) {
    if (value === undefined) continue;
    place(key, value, (isNumber && typeof value === 'number') || (isTemporal && typeof value === 'string'));
  }
  if (type?.kind === 'primitive' && type.name === 'timestamptz') options.timezone = true;
  if (type?.kind === 'primitive' && type.name === 'uuid') options.format = 'uuid';
  return { options, extra };
}

/** The column's pipectl-only fields (PII category, default, renamedFrom) as custom properties. */
function pipectlExtrasOf(column: Column): OdcsCustomProperty[] {
  const extra: OdcsCustomProperty[] = [];
  if (column.pii !== undefined)
    extra.push({ property: 'pii', value: true }, custom('piiCategory', column.pii));
  if (column.default !== undefined) extra.push(custom('default', column.default));
  if (column.renamedFrom !== undefined) extra.push(custom('renamedFrom', column.renamedFrom));
  return extra;
}

function freshnessSla(freshness: Freshness, table: string): OdcsSlaProperty {
  // "26h" travels as value 26, unit h; a compound duration ("1h30m") as its text.
  const single = /^(\d+)(ms|s|m|h|d|w)$/.exec(freshness.maxAge);
  return {
    property: 'freshness',
    value: single ? Number(single[1]) : freshness.maxAge,
    ...(single && { unit: single[2] as string }),
    element: `${table}.${freshness.column}`,
    ...(freshness.severity !== 'warn' && { customProperties: [custom('severity', freshness.severity)] }),
  };
}
