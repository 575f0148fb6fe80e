// Check results as the lines `pipectl test` and `pipectl verify` print under a dataset: a mark,
// the check id, and what was observed against what was expected, with up to three failing rows.
import type { CheckResult } from '@pipectl/engine';
import type { Paint } from '../io/terminal.js';
import { plural } from './issues.js';

/** What a line needs of a check: a quality gate's result, or a schema check of verify (with a hint). */
export type ShownCheck = Pick<
  CheckResult,
  'id' | 'blocking' | 'rule' | 'expected' | 'observed' | 'samples' | 'message' | 'quarantinedRows'
> & { readonly status: CheckResult['status']; readonly hint?: string };

const SYMBOL: Record<CheckResult['status'], string> = {
  pass: '✓',
  fail: '✗',
  quarantined: '⇢',
  error: '✗',
  skipped: '-',
};

/** One line per check (more for failures), the ids padded to one column. */
export function renderChecks(checks: readonly ShownCheck[], paint: Paint): string[] {
  const width = Math.max(...checks.map((check) => check.id.length), 0);
  return checks.flatMap((check) => renderCheck(check, paint, width));
}

function renderCheck(check: ShownCheck, paint: Paint, width: number): string[] {
  const warn = check.status === 'fail' && !check.blocking;
  const colour = check.blocking
    ? 'red'
    : warn || check.status === 'quarantined'
      ? 'yellow'
      : check.status === 'pass'
        ? 'green'
        : 'gray';
  const symbol = warn ? '!' : SYMBOL[check.status];
  const label = warn ? 'warn' : check.status === 'fail' || check.status === 'error' ? check.status : '';
  const detail =
    check.status === 'pass'
      ? check.observed
      : check.status === 'quarantined'
        ? `${plural(check.quarantinedRows ?? 0, 'row')} quarantined (${check.rule})`
        : check.status === 'error' || check.status === 'skipped'
          ? (check.message ?? check.status)
          : `${check.observed}; expected ${check.expected} (${check.rule})`;
  const lines = [
    `      ${paint(colour, symbol)} ${check.id.padEnd(width)}  ${label ? `${paint(colour, label)} ` : ''}${paint(check.status === 'pass' ? 'gray' : colour, detail)}`,
  ];
  if (check.status === 'fail' && check.message) lines.push(`          ${check.message}`);
  if (check.status !== 'pass' && check.hint)
    lines.push(`          ${paint('blue', '=')} help: ${check.hint}`);
  if (check.status !== 'pass') {
    for (const sample of check.samples.slice(0, 3)) {
      const text = JSON.stringify(sample);
      lines.push(`          ${paint('gray', text.length > 160 ? `${text.slice(0, 157)}...` : text)}`);
    }
    if (check.samples.length > 3)
      lines.push(`          ${paint('gray', `... ${check.samples.length - 3} more samples`)}`);
  }
  return lines;
}
