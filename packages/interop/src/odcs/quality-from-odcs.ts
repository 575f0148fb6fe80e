// ODCS data-quality rules -> pipectl quality checks: the inverse of quality-to-odcs.ts, and a
// reading of rules other tools wrote (a SQL rule comparing a value becomes a pipectl SQL check that
// returns a row when the comparison fails). A rule pipectl cannot express is reported, not dropped.
import type { IssuePath } from '@pipectl/spec';
import { parse } from 'yaml';
import { PIPECTL_VENDOR } from './odcs-document.js';
import { type ImportReader, isRecord, snakeCase } from './odcs-reader.js';
import { SQL_WRAP_CLOSE, SQL_WRAP_OPEN } from './quality-to-odcs.js';

type CheckInput = Record<string, unknown>;

const HANDLED = new Set([
  'name',
  'description',
  'severity',
  'type',
  'metric',
  'rule',
  'arguments',
  'unit',
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
  'query',
  'engine',
  'implementation',
  'customProperties',
]);

const OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;

const OBJECT_PLACEHOLDER = /\$?\{(object|table|model)\}/g;
const COLUMN_PLACEHOLDER = /\$?\{(property|column|field)\}/g;

/** What every phase of one rule's import needs: the rule, where it sits, and what was read so far. */
interface RuleContext {
  readonly rule: Record<string, unknown>;
  readonly path: IssuePath;
  /** The property the rule sits on; undefined for schema-level rules. */
  readonly column: string | undefined;
  readonly reader: ImportReader;
  /** name, description and severity, as pipectl writes them. */
  readonly common: CheckInput;
  /** samples, onFail and maxFailing from the rule's pipectl custom properties. */
  readonly knobs: CheckInput;
}

/**
 * One ODCS rule as a pipectl check, or undefined (with an issue) when pipectl cannot express it.
 * `column` is the property the rule sits on; undefined for schema-level rules.
 */
export function checkFromOdcs(
  rule: unknown,
  path: IssuePath,
  column: string | undefined,
  reader: ImportReader,
): CheckInput | undefined {
  if (!isRecord(rule)) {
    reader.error('PIPE7003', path, 'a quality rule is a mapping (name, metric or type, ...)');
    return undefined;
  }
  reader.rest(rule, path, HANDLED);
  const common = commonFields(rule, path, reader);
  const knobs = pipectlKnobs(rule, path, reader);
  const context: RuleContext = { rule, path, column, reader, common, knobs };

  const type = rule.type ?? (rule.metric !== undefined || rule.rule !== undefined ? 'library' : undefined);
  if (type === 'library' || type === undefined) return libraryCheck(context);
  if (type === 'sql') return sqlCheck(context);
  if (type === 'custom' && rule.engine === PIPECTL_VENDOR) return customCheck(context);
  reader.notCarried(
    path,
    type === 'custom'
      ? `a custom rule for engine "${String(rule.engine)}" runs only there`
      : type === 'text'
        ? 'a text rule describes quality in words only'
        : `rule type "${String(type)}" is not one of library, sql, custom`,
  );
  return undefined;
}

/** The rule's name (in snake_case), description and severity, with an issue for what changed. */
function commonFields(rule: Record<string, unknown>, path: IssuePath, reader: ImportReader): CheckInput {
  const common: CheckInput = {};
  if (typeof rule.name === 'string') {
    const name = importedName(rule.name, [...path, 'name'], reader);
    if (name !== undefined) common.name = name;
  }
  if (typeof rule.description === 'string') common.description = rule.description;
  if (rule.severity !== undefined) {
    const severity = importedSeverity(String(rule.severity).toLowerCase(), [...path, 'severity'], reader);
    if (severity !== undefined) common.severity = severity;
  }
  return common;
}

/** A rule name as a pipectl check name: snake_case, with a warning when it had to change. */
function importedName(name: string, path: IssuePath, reader: ImportReader): string | undefined {
  const snake = /^[a-z][a-z0-9_]*$/.test(name) ? name : snakeCase(name);
  if (snake === undefined) {
    reader.notCarried(path, `"${name}" has no snake_case form`);
    return undefined;
  }
  if (snake !== name) reader.warn('PIPE7003', path, `quality rule "${name}" is imported as "${snake}"`);
  return snake;
}

/** An ODCS severity (lower-cased) as pipectl's: 'warn', or undefined for the default error. */
function importedSeverity(severity: string, path: IssuePath, reader: ImportReader): 'warn' | undefined {
  const warn = severity === 'warning' || severity === 'warn' || severity === 'info';
  if (!warn && severity !== 'error')
    reader.notCarried(path, `"${severity}" is neither error nor warning; imported as error`);
  if (severity === 'info') reader.warn('PIPE7003', path, 'severity "info" is imported as "warn"');
  return warn ? 'warn' : undefined;
}

/** The pipectl knobs (samples, onFail, maxFailing) among the rule's custom properties; others reported. */
function pipectlKnobs(rule: Record<string, unknown>, path: IssuePath, reader: ImportReader): CheckInput {
  const knobs: CheckInput = {};
  const customs = Array.isArray(rule.customProperties) ? rule.customProperties : [];
  customs.forEach((property, index) => {
    const at = [...path, 'customProperties', index];
    if (
      isRecord(property) &&
      property.vendor === PIPECTL_VENDOR &&
      ['samples', 'onFail', 'maxFailing'].includes(String(property.property))
    )
      knobs[String(property.property)] = property.value;
    else reader.notCarried(at);
  });
  return knobs;
}

/** The check of a library rule (nullValues, missingValues, invalidValues, duplicateValues, rowCount). */
function libraryCheck(context: RuleContext): CheckInput | undefined {
  const { rule, path, column, reader } = context;
  const metric = String(rule.metric ?? rule.rule ?? '');
  const args = isRecord(rule.arguments) ? rule.arguments : {};
  switch (metric) {
    case 'nullValues':
      return needColumn(context, metric)
        ? assemble(context, { check: 'not_null', column }, failingRowLimit(context, true))
        : undefined;
    case 'missingValues':
      return needColumn(context, metric) ? missingValuesCheck(context, args) : undefined;
    case 'invalidValues':
      return needColumn(context, metric) ? invalidValuesCheck(context, args) : undefined;
    case 'duplicateValues':
      return duplicateValuesCheck(context, args);
    case 'rowCount': {
      const bounds = rowCountBounds(rule);
      if (!bounds) {
        reader.notCarried(path, 'pipectl checks a row count between a minimum and a maximum');
        return undefined;
      }
      return assemble(context, { check: 'row_count', ...bounds }, {});
    }
    default:
      reader.notCarried(path, `metric "${metric}" is not one pipectl knows`);
      return undefined;
  }
}

/** True when the rule sits on a property; otherwise reports that `metric` needs one. */
function needColumn(context: RuleContext, metric: string): boolean {
  if (context.column !== undefined) return true;
  context.reader.notCarried(
    context.path,
    `metric ${metric} checks one property; put the rule under that property`,
  );
  return false;
}

/** missingValues as a missing_count check, with the rule's missing values when it lists some. */
function missingValuesCheck(context: RuleContext, args: Record<string, unknown>): CheckInput | undefined {
  const values = Array.isArray(args.missingValues)
    ? args.missingValues.filter((value) => value !== null)
    : undefined;
  return assemble(
    context,
    {
      check: 'missing_count',
      column: context.column,
      ...(values && values.length > 0 && { missingValues: values }),
    },
    failingRowLimit(context, true),
  );
}

/** invalidValues as an accepted_values check (validValues) or a pattern check (pattern). */
function invalidValuesCheck(context: RuleContext, args: Record<string, unknown>): CheckInput | undefined {
  const { column } = context;
  if (Array.isArray(args.validValues))
    return assemble(
      context,
      { check: 'accepted_values', column, values: args.validValues },
      failingRowLimit(context, true),
    );
  if (typeof args.pattern === 'string')
    return assemble(
      context,
      { check: 'pattern', column, regex: args.pattern },
      failingRowLimit(context, true),
    );
  context.reader.notCarried(context.path, 'invalidValues needs arguments.validValues or arguments.pattern');
  return undefined;
}

/** duplicateValues as a unique check, on the rule's property or on the listed properties. */
function duplicateValuesCheck(context: RuleContext, args: Record<string, unknown>): CheckInput | undefined {
  if (context.column !== undefined)
    return assemble(context, { check: 'unique', column: context.column }, failingRowLimit(context, false));
  const columns = Array.isArray(args.properties) ? args.properties : undefined;
  if (!columns) {
    context.reader.notCarried(context.path, 'a table-level duplicateValues rule needs arguments.properties');
    return undefined;
  }
  return assemble(context, { check: 'unique', columns }, failingRowLimit(context, false));
}

/** A sql rule: pipectl's own SQL check unwrapped, or another tool's query with its comparison. */
function sqlCheck(context: RuleContext): CheckInput | undefined {
  const { rule, path, column, reader } = context;
  if (typeof rule.query !== 'string') {
    reader.error('PIPE7003', path, 'a sql quality rule needs a query');
    return undefined;
  }
  const ours = rule.query.startsWith(SQL_WRAP_OPEN) && rule.query.endsWith(SQL_WRAP_CLOSE);
  if (ours) {
    const inner = rule.query.slice(SQL_WRAP_OPEN.length, rule.query.length - SQL_WRAP_CLOSE.length);
    return assemble(
      context,
      { check: 'sql', query: placeholders(inner, column) },
      failingRowLimit(context, false),
    );
  }
  const condition = failingCondition(rule);
  if (condition === undefined) {
    reader.notCarried(path, 'a sql rule needs one comparison (mustBe, mustBeLessThan, ...)');
    return undefined;
  }
  const query = `select * from (${placeholders(rule.query.trim(), column)}) as odcs_result(value) where not (value ${condition})`;
  return assemble(context, { check: 'sql', query }, {});
}

/** A pipectl custom rule: the pipectl check it holds (as a mapping or as YAML text). */
function customCheck(context: RuleContext): CheckInput | undefined {
  const { rule, path, column, reader, common, knobs } = context;
  const implementation =
    typeof rule.implementation === 'string' ? safeParse(rule.implementation) : rule.implementation;
  if (!isRecord(implementation)) {
    reader.error(
      'PIPE7003',
      [...path, 'implementation'],
      'a pipectl custom rule holds a pipectl check (check: range, ...)',
    );
    return undefined;
  }
  return {
    ...pickName(common),
    ...(column !== undefined && !('column' in implementation) && { column }),
    ...implementation,
    ...rest(common),
    ...knobs,
  };
}

/** The check: name first, then its body, the common fields, the failing-row limit and the knobs. */
function assemble(
  context: RuleContext,
  body: CheckInput,
  limit: CheckInput | undefined,
): CheckInput | undefined {
  if (limit === undefined) return undefined;
  return { ...pickName(context.common), ...body, ...rest(context.common), ...limit, ...context.knobs };
}

/**
 * The failing rows the rule tolerates, as pipectl's maxFailing ({} when none, or when a knob sets
 * it); undefined (with an issue) when the rule's bound or unit has no pipectl form.
 */
function failingRowLimit(context: RuleContext, percentAllowed: boolean): CheckInput | undefined {
  const { rule, path, reader } = context;
  const unit = typeof rule.unit === 'string' ? rule.unit.toLowerCase() : 'rows';
  const percent = unit === 'percent' || unit === '%';
  if (percent && !percentAllowed) {
    reader.notCarried([...path, 'unit'], 'pipectl counts this rule in rows');
    return undefined;
  }
  const bound = toleratedBound(rule, percent);
  if (bound === undefined || Number.isNaN(bound) || bound < 0 || (rule.mustBe !== undefined && bound !== 0)) {
    reader.notCarried(
      path,
      'pipectl tolerates a number (or percentage) of failing rows: write mustBe: 0 or mustBeLessOrEqualTo: N',
    );
    return undefined;
  }
  if ('maxFailing' in context.knobs) return {};
  return bound === 0 ? {} : { maxFailing: percent ? `${bound}%` : bound };
}

/** The most failing rows the rule's operator allows (mustBe, mustBeLessOrEqualTo, mustBeLessThan). */
function toleratedBound(rule: Record<string, unknown>, percent: boolean): number | undefined {
  if (rule.mustBe !== undefined) return Number(rule.mustBe);
  if (typeof rule.mustBeLessOrEqualTo === 'number') return rule.mustBeLessOrEqualTo;
  if (typeof rule.mustBeLessThan === 'number' && !percent) return rule.mustBeLessThan - 1;
  return undefined;
}

function pickName(common: CheckInput): CheckInput {
  return common.name === undefined ? {} : { name: common.name };
}

function rest(common: CheckInput): CheckInput {
  const { name: _name, ...others } = common;
  return others;
}

function rowCountBounds(rule: Record<string, unknown>): { min?: number; max?: number } | undefined {
  const int = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  const used = OPERATORS.filter((op) => rule[op] !== undefined);
  if (used.length !== 1) return undefined;
  if (rule.mustBe !== undefined) {
    const n = int(rule.mustBe);
    return n === undefined ? undefined : { min: n, max: n };
  }
  if (rule.mustBeGreaterOrEqualTo !== undefined) {
    const n = int(rule.mustBeGreaterOrEqualTo);
    return n === undefined ? undefined : { min: n };
  }
  if (rule.mustBeGreaterThan !== undefined) {
    const n = int(rule.mustBeGreaterThan);
    return n === undefined ? undefined : { min: n + 1 };
  }
  if (rule.mustBeLessOrEqualTo !== undefined) {
    const n = int(rule.mustBeLessOrEqualTo);
    return n === undefined ? undefined : { max: n };
  }
  if (rule.mustBeLessThan !== undefined) {
    const n = int(rule.mustBeLessThan);
    return n === undefined || n === 0 ? undefined : { max: n - 1 };
  }
  if (Array.isArray(rule.mustBeBetween)) {
    const [a, b] = rule.mustBeBetween.map(int);
    return a === undefined || b === undefined ? undefined : { min: a, max: b };
  }
  return undefined;
}

/** The SQL comparison that holds when a value passes, from the rule's one operator. */
function failingCondition(rule: Record<string, unknown>): string | undefined {
  const used = OPERATORS.filter((op) => rule[op] !== undefined);
  if (used.length !== 1) return undefined;
  const op = used[0] as (typeof OPERATORS)[number];
  const value = rule[op];
  const literal = (v: unknown): string =>
    typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`;
  switch (op) {
    case 'mustBe':
      return `= ${literal(value)}`;
    case 'mustNotBe':
      return `<> ${literal(value)}`;
    case 'mustBeGreaterThan':
      return `> ${literal(value)}`;
    case 'mustBeGreaterOrEqualTo':
      return `>= ${literal(value)}`;
    case 'mustBeLessThan':
      return `< ${literal(value)}`;
    case 'mustBeLessOrEqualTo':
      return `<= ${literal(value)}`;
    case 'mustBeBetween':
    case 'mustNotBeBetween': {
      if (!Array.isArray(value) || value.length !== 2) return undefined;
      const not = op === 'mustNotBeBetween' ? 'not ' : '';
      return `${not}between ${literal(value[0])} and ${literal(value[1])}`;
    }
  }
}

function placeholders(query: string, column: string | undefined): string {
  const withThis = query.replace(OBJECT_PLACEHOLDER, '{{ this }}');
  return column === undefined ? withThis : withThis.replace(COLUMN_PLACEHOLDER, column);
}

function safeParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
