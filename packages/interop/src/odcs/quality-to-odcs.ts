// pipectl quality checks -> ODCS data-quality rules. Checks ODCS's library knows (nullValues,
// missingValues, invalidValues, duplicateValues, rowCount) and SQL checks become standard rules
// other tools run; the rest (range, relationships, freshness) become `type: custom` rules for the
// `pipectl` engine, which is what ODCS has custom rules for. pipectl-only knobs (samples, onFail, a
// percentage on a rule ODCS counts in rows) ride along as pipectl customProperties.
import type { QualityCheck } from '@pipectl/spec';
import { type OdcsCustomProperty, type OdcsQuality, PIPECTL_VENDOR } from './odcs-document.js';

/** Where a rule goes: on the property it checks, or on the schema object. */
export interface PlacedRule {
  readonly column?: string;
  readonly rule: OdcsQuality;
}

/** The wrapper around a pipectl SQL check (which returns failing rows) that makes it an ODCS count. */
export const SQL_WRAP_OPEN = 'SELECT COUNT(*) FROM (\n';
export const SQL_WRAP_CLOSE = '\n) AS failing_rows';
/** pipectl's `{{ this }}` is ODCS's `${object}` (datacontract-cli substitutes the table there). */
export const THIS_PATTERN = /\{\{\s*this\s*\}\}/g;
// biome-ignore lint/suspicious/noTemplateCurlyInString: ODCS's placeholder syntax, not a template
export const ODCS_THIS = '${object}';

/**
 * One pipectl check as one ODCS rule, placed on its column when it has exactly one.
 * @example qualityToOdcs({ check: 'not_null', column: 'id', ... }) // { column: 'id', rule: { metric: 'nullValues', mustBe: 0 } }
 */
export function qualityToOdcs(check: QualityCheck): PlacedRule {
  const extra: OdcsCustomProperty[] = [];
  const common: OdcsQuality = {
    ...(check.name !== undefined && { name: check.name }),
    ...(check.description !== undefined && { description: check.description }),
    severity: check.severity === 'warn' ? 'warning' : 'error',
  };
  if (check.samples !== 5) extra.push(custom('samples', check.samples));
  if (check.onFail !== 'fail') extra.push(custom('onFail', check.onFail));
  const threshold = (percentAllowed: boolean): Partial<OdcsQuality> => {
    if (typeof check.maxFailing === 'number')
      return check.maxFailing === 0 ? { mustBe: 0 } : { mustBeLessOrEqualTo: check.maxFailing };
    if (percentAllowed) return { unit: 'percent', mustBeLessOrEqualTo: Number.parseFloat(check.maxFailing) };
    extra.push(custom('maxFailing', check.maxFailing));
    return { mustBe: 0 };
  };
  const done = (rule: OdcsQuality, column?: string): PlacedRule => ({
    ...(column !== undefined && { column }),
    rule: extra.length > 0 ? { ...rule, customProperties: extra } : rule,
  });

  switch (check.check) {
    case 'not_null':
      return done({ ...common, metric: 'nullValues', ...threshold(true) }, check.column);
    case 'missing_count':
      return done(
        {
          ...common,
          metric: 'missingValues',
          arguments: { missingValues: check.missingValues },
          ...threshold(true),
        },
        check.column,
      );
    case 'accepted_values':
      return done(
        { ...common, metric: 'invalidValues', arguments: { validValues: check.values }, ...threshold(true) },
        check.column,
      );
    case 'pattern':
      return done(
        { ...common, metric: 'invalidValues', arguments: { pattern: check.regex }, ...threshold(true) },
        check.column,
      );
    case 'unique':
      if (check.column !== undefined && check.columns === undefined)
        return done({ ...common, metric: 'duplicateValues', ...threshold(false) }, check.column);
      return done({
        ...common,
        metric: 'duplicateValues',
        arguments: { properties: check.columns ?? [] },
        ...threshold(false),
      });
    case 'row_count': {
      // rowCount compares the count itself; maxFailing has no meaning for it.
      const bounds: Partial<OdcsQuality> =
        check.min !== undefined && check.max !== undefined
          ? { mustBeBetween: [check.min, check.max] }
          : check.max !== undefined
            ? { mustBeLessOrEqualTo: check.max }
            : { mustBeGreaterOrEqualTo: check.min ?? 0 };
      if (check.maxFailing !== 0) extra.push(custom('maxFailing', check.maxFailing));
      return done({ ...common, metric: 'rowCount', ...bounds });
    }
    case 'sql': {
      const query = `${SQL_WRAP_OPEN}${check.query.replace(THIS_PATTERN, ODCS_THIS)}${SQL_WRAP_CLOSE}`;
      return done({ ...common, type: 'sql', query, ...threshold(false) });
    }
    default: {
      // range, relationships, freshness: ODCS's library has no such metric.
      const { name: _n, description: _d, severity: _s, samples: _x, onFail: _o, maxFailing, ...body } = check;
      const implementation = maxFailing === 0 ? body : { ...body, maxFailing };
      return done(
        { ...common, type: 'custom', engine: PIPECTL_VENDOR, implementation },
        'column' in check ? check.column : undefined,
      );
    }
  }
}

export function custom(property: string, value: unknown): OdcsCustomProperty {
  return { property, value, vendor: PIPECTL_VENDOR };
}
