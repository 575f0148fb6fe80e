// dbt's generic data tests -> contract promises: not_null, unique, accepted_values and relationships
// at error severity become column fields, at warn severity warn quality checks. Custom tests, tests
// on undocumented columns and where/limit configs are reported as not carried.
import type { ImportReader } from '../odcs/odcs-reader.js';
import { isRecord } from '../odcs/odcs-reader.js';
import { type Check, type Column, type DbtTest, type Model, refTarget } from './dbt-model.js';

const GENERIC_TESTS = ['not_null', 'unique', 'accepted_values', 'relationships'];

/** Where a test lands: the model's columns and checks, and the issues of the import. */
export interface TestScope {
  readonly byName: ReadonlyMap<string, Column>;
  readonly models: ReadonlyMap<string, Model>;
  /** The model, for messages: `model "orders" (models/schema.yml)`. */
  readonly label: string;
  readonly quality: Check[];
  readonly reader: ImportReader;
}

/** A test node read: its name and arguments, the column it tests, and its severity. */
interface ReadTest {
  readonly at: string[];
  readonly name: string;
  /** `dbt_utils.` for a package's test, '' for dbt's own. */
  readonly namespace: string;
  readonly args: Record<string, unknown>;
  readonly columnName: string;
  readonly warn: boolean;
  readonly config: Record<string, unknown>;
}

/** One generic data test, as a column promise (error severity) or a warn quality check. */
export function applyTest(test: DbtTest, scope: TestScope): void {
  const read = readTest(test);
  const { at, name, namespace, columnName, config } = read;
  const { label, reader } = scope;
  const column = scope.byName.get(columnName);
  if (typeof config.where === 'string' || (config.limit !== undefined && config.limit !== null))
    reader.warn(
      'PIPE7011',
      at,
      `${label}: test ${name} on "${columnName}" has a where/limit config, not carried: pipectl checks every row`,
    );
  const supported = namespace === '' && GENERIC_TESTS.includes(name);
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
  applyGenericTest(read, column, scope);
}

/** The test's name, namespace, arguments (`kwargs.arguments` merged in), column and severity. */
function readTest(test: DbtTest): ReadTest {
  const metadata = isRecord(test.node.test_metadata) ? test.node.test_metadata : {};
  const kwargs = isRecord(metadata.kwargs) ? metadata.kwargs : {};
  const args = isRecord(kwargs.arguments) ? { ...kwargs, ...kwargs.arguments } : kwargs;
  const config = isRecord(test.node.config) ? test.node.config : {};
  return {
    at: ['nodes', test.id],
    name: String(metadata.name ?? test.node.name),
    namespace: typeof metadata.namespace === 'string' ? `${metadata.namespace}.` : '',
    args,
    columnName:
      typeof test.node.column_name === 'string' ? test.node.column_name : String(args.column_name ?? ''),
    warn: String(config.severity ?? 'error').toLowerCase() === 'warn',
    config,
  };
}

/** A supported generic test on a documented column: a promise on the column, or a warn check. */
function applyGenericTest(test: ReadTest, column: Column, scope: TestScope): void {
  const { name, args, columnName, warn } = test;
  const { quality } = scope;
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
  } else applyRelationships(test, column, scope);
}

/** A relationships test to a model's field as the column's `references` (or a warn check). */
function applyRelationships(test: ReadTest, column: Column, scope: TestScope): void {
  const { args, columnName, warn } = test;
  const target = refTarget(args.to, scope.models);
  const field = typeof args.field === 'string' ? args.field : undefined;
  if (target === undefined || field === undefined) {
    scope.reader.warn(
      'PIPE7011',
      test.at,
      `${scope.label}: relationships test on "${columnName}" points at ${String(args.to)}, not a model, so it is not carried`,
    );
    return;
  }
  if (warn)
    scope.quality.push({
      check: 'relationships',
      column: columnName,
      to: `${target}.${field}`,
      severity: 'warn',
    });
  else column.references = `${target}.${field}`;
}
