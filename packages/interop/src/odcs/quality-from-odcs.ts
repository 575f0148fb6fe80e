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
  const common: CheckInput = {};
  if (typeof rule.name === 'string') {
    const name = /^[a-z][a-z0-9_]*$/.test(rule.name) ? rule.name : snakeCase(rule.name);
    if (name === undefined) reader.notCarried([...path, 'name'], `"${rule.name}" has no snake_case form`);
    else {
      common.name = name;
      if (name !== rule.name)
        reader.warn('PIPE7003', [...path, 'name'], `quality rule "${rule.name}" is imported as "${name}"`);
    }
  }
  if (typeof rule.description === 'string') common.description = rule.description;
  if (rule.severity !== undefined) {
    const severity = String(rule.severity).toLowerCase();
    if (severity === 'warning' || severity === 'warn' || severity === 'info') common.severity = 'warn';
    else if (severity !== 'error')
      reader.notCarried(
        [...path, 'severity'],
        `"${severity}" is neither error nor warning; imported as error`,
      );
    if (severity === 'info')
      reader.warn('PIPE7003', [...path, 'severity'], 'severity "info" is imported as "warn"');
  }
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

  const threshold = (percentAllowed: boolean): CheckInput | undefined => {
    const unit = typeof rule.unit === 'string' ? rule.unit.toLowerCase() : 'rows';
    const percent = unit === 'percent' || unit === '%';
    if (percent && !percentAllowed) {
      reader.notCarried([...path, 'unit'], 'pipectl counts this rule in rows');
      return undefined;
    }
    const bound =
      rule.mustBe !== undefined
        ? Number(rule.mustBe)
        : typeof rule.mustBeLessOrEqualTo === 'number'
          ? rule.mustBeLessOrEqualTo
          : typeof rule.mustBeLessThan === 'number' && !percent
            ? rule.mustBeLessThan - 1
            : undefined;
    if (
      bound === undefined ||
      Number.isNaN(bound) ||
      bound < 0 ||
      (rule.mustBe !== undefined && bound !== 0)
    ) {
      reader.notCarried(
        path,
        'pipectl tolerates a number (or percentage) of failing rows: write mustBe: 0 or mustBeLessOrEqualTo: N',
      );
      return undefined;
    }
    if ('maxFailing' in knobs) return {};
    return bound === 0 ? {} : { maxFailing: percent ? `${bound}%` : bound };
  };
  const make = (body: CheckInput, limit: CheckInput | undefined): CheckInput | undefined =>
    limit === undefined ? undefined : { ...pickName(common), ...body, ...rest(common), ...limit, ...knobs };
  const needColumn = (metric: string): boolean => {
    if (column !== undefined) return true;
    reader.notCarried(path, `metric ${metric} checks one property; put the rule under that property`);
    return false;
  };
  const args = isRecord(rule.arguments) ? rule.arguments : {};

  const type = rule.type ?? (rule.metric !== undefined || rule.rule !== undefined ? 'library' : undefined);
  if (type === 'library' || type === undefined) {
    const metric = String(rule.metric ?? rule.rule ?? '');
    switch (metric) {
      case 'nullValues':
        return needColumn(metric) ? make({ check: 'not_null', column }, threshold(true)) : undefined;
      case 'missingValues': {
        if (!needColumn(metric)) return undefined;
        const values = Array.isArray(args.missingValues)
          ? args.missingValues.filter((value) => value !== null)
          : undefined;
        return make(
          { check: 'missing_count', column, ...(values && values.length > 0 && { missingValues: values }) },
          threshold(true),
        );
      }
      case 'invalidValues':
        if (!needColumn(metric)) return undefined;
        if (Array.isArray(args.validValues))
          return make({ check: 'accepted_values', column, values: args.validValues }, threshold(true));
        if (typeof args.pattern === 'string')
          return make({ check: 'pattern', column, regex: args.pattern }, threshold(true));
        reader.notCarried(path, 'invalidValues needs arguments.validValues or arguments.pattern');
        return undefined;
      case 'duplicateValues': {
        if (column !== undefined) return make({ check: 'unique', column }, threshold(false));
        const columns = Array.isArray(args.properties) ? args.properties : undefined;
        if (!columns) {
          reader.notCarried(path, 'a table-level duplicateValues rule needs arguments.properties');
          return undefined;
        }
        return make({ check: 'unique', columns }, threshold(false));
      }
      case 'rowCount': {
        const bounds = rowCountBounds(rule);
        if (!bounds) {
          reader.notCarried(path, 'pipectl checks a row count between a minimum and a maximum');
          return undefined;
        }
        return make({ check: 'row_count', ...bounds }, {});
      }
      default:
        reader.notCarried(path, `metric "${metric}" is not one pipectl knows`);
        return undefined;
    }
  }
  if (type === 'sql') {
    if (typeof rule.query !== 'string') {
      reader.error('PIPE7003', path, 'a sql quality rule needs a query');
      return undefined;
    }
    const ours = rule.query.startsWith(SQL_WRAP_OPEN) && rule.query.endsWith(SQL_WRAP_CLOSE);
    if (ours) {
      const inner = rule.query.slice(SQL_WRAP_OPEN.length, rule.query.length - SQL_WRAP_CLOSE.length);
      return make({ check: 'sql', query: placeholders(inner, column) }, threshold(false));
    }
    const condition = failingCondition(rule);
    if (condition === undefined) {
      reader.notCarried(path, 'a sql rule needs one comparison (mustBe, mustBeLessThan, ...)');
      return undefined;
    }
    const query = `select * from (${placeholders(rule.query.trim(), column)}) as odcs_result(value) where not (value ${condition})`;
    return make({ check: 'sql', query }, {});
  }
  if (type === 'custom' && rule.engine === PIPECTL_VENDOR) {
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
