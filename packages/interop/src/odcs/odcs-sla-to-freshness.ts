// ODCS slaProperties -> a pipectl freshness promise: the one `freshness` (or `latency`) SLA whose
// element is a column of this object, its value and unit as a duration, and pipectl's severity.
// Other SLA properties, and a second freshness SLA, are reported as not carried.
import { DURATION_PATTERN, type IssuePath } from '@pipectl/spec';
import { PIPECTL_VENDOR } from './odcs-document.js';
import { customList, type ImportReader, isRecord } from './odcs-reader.js';

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

/** A freshness promise read, with the place of the SLA it came from. */
export interface ReadFreshness {
  readonly value: Record<string, unknown>;
  readonly at: IssuePath;
}

/** The schema object whose SLAs are read: its name, how many the file has, and its columns. */
interface SlaTarget {
  readonly objectName: string;
  readonly objectCount: number;
  readonly columns: readonly Record<string, unknown>[];
}

/** The object's freshness promise from the file's SLAs, or undefined when it has none pipectl can keep. */
export function readFreshness(
  sla: readonly unknown[],
  objectName: string,
  objectCount: number,
  columns: readonly Record<string, unknown>[],
  reader: ImportReader,
): ReadFreshness | undefined {
  const target: SlaTarget = { objectName, objectCount, columns };
  let found: ReadFreshness | undefined;
  sla.forEach((entry, index) => {
    const at = ['slaProperties', index];
    if (!isRecord(entry)) return;
    const value = freshnessOf(entry, at, target, reader);
    if (value === undefined) return;
    if (found) {
      reader.notCarried(at, 'pipectl keeps one freshness SLA per dataset');
      return;
    }
    found = { value, at };
  });
  return found;
}

/** One SLA entry as a freshness promise for the target; undefined when it is another object's, or unusable (reported). */
function freshnessOf(
  entry: Record<string, unknown>,
  at: IssuePath,
  target: SlaTarget,
  reader: ImportReader,
): Record<string, unknown> | undefined {
  const element = elementOf(entry, target);
  if (element === undefined) return undefined;
  const property = String(entry.property ?? '').toLowerCase();
  if (property !== 'freshness' && property !== 'latency') {
    reader.notCarried(at, `pipectl keeps a freshness SLA only, not "${String(entry.property)}"`);
    return undefined;
  }
  const column = element.column;
  if (column === undefined || !target.columns.some((c) => c.name === column)) {
    reader.notCarried(at, 'a freshness SLA needs element: <object>.<timestamp property>');
    return undefined;
  }
  reader.rest(entry, at, new Set(['property', 'value', 'unit', 'element', 'customProperties']));
  const maxAge = maxAgeOf(entry);
  if (maxAge === undefined) {
    reader.notCarried(
      at,
      `value ${String(entry.value)} ${String(entry.unit ?? '')} is not a whole number of ms, s, m, h, d or w`,
    );
    return undefined;
  }
  const severity = severityOf(entry, at, reader);
  return { column, maxAge, ...(severity !== undefined && { severity }) };
}

/**
 * The column an SLA's element names (`object.column`, or a bare column when the file has one
 * object); undefined when the element is another object's.
 */
function elementOf(
  entry: Record<string, unknown>,
  target: SlaTarget,
): { column: string | undefined } | undefined {
  const element = typeof entry.element === 'string' ? entry.element : undefined;
  const [elementObject, elementColumn] =
    element?.includes('.') === true
      ? [element.slice(0, element.lastIndexOf('.')), element.slice(element.lastIndexOf('.') + 1)]
      : [undefined, element];
  const forThis =
    elementObject === undefined
      ? target.objectCount === 1
      : elementObject === target.objectName || elementObject.endsWith(`.${target.objectName}`);
  return forThis ? { column: elementColumn } : undefined;
}

/** The SLA's value and unit as a pipectl duration (`26h`), or undefined when it has none. */
function maxAgeOf(entry: Record<string, unknown>): string | undefined {
  const unit = entry.unit === undefined ? undefined : UNITS[String(entry.unit).toLowerCase()];
  if (unit !== undefined && typeof entry.value === 'number' && Number.isInteger(entry.value))
    return `${entry.value}${unit}`;
  if (
    typeof entry.value === 'string' &&
    new RegExp(DURATION_PATTERN).test(entry.value) &&
    entry.unit === undefined
  )
    return entry.value;
  return undefined;
}

/** The severity in the SLA's pipectl custom properties; other custom properties are reported. */
function severityOf(entry: Record<string, unknown>, at: IssuePath, reader: ImportReader): unknown {
  let severity: unknown;
  customList(entry.customProperties, [...at, 'customProperties'], reader, (key, value, vendor) => {
    if (vendor !== PIPECTL_VENDOR || key !== 'severity') return false;
    severity = value;
    return true;
  });
  return severity;
}
