// Check results as the lines `pipectl test` and `pipectl verify` print under a dataset: a mark,
// the check id, and what was observed against what was expected, with up to three failing rows.
import type { CheckResult } from '@pipectl/engine';
import type { Paint, Style } from '../io/terminal.js';
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
  const colour = colourOf(check, warn);
  const symbol = warn ? '!' : SYMBOL[check.status];
  const label = warn ? 'warn' : check.status === 'fail' || check.status === 'error' ? check.status : '';
  const lines = [
    `      ${paint(colour, symbol)} ${check.id.padEnd(width)}  ${label ? `${paint(colour, label)} ` : ''}${paint(check.status === 'pass' ? 'gray' : colour, detailOf(check))}`,
  ];
  if (check.status === 'pass') return lines;
  if (check.status === 'fail' && check.message) lines.push(`          ${check.message}`);
  if (check.hint) lines.push(`          ${paint('blue', '=')} help: ${check.hint}`);
  return [...lines, ...sampleLines(check, paint)];
}

/** Red when it blocks, yellow for a warning or quarantine, green when it passed, gray otherwise. */
function colourOf(check: ShownCheck, warn: boolean): Style {
  if (check.blocking) return 'red';
  if (warn || check.status === 'quarantined') return 'yellow';
  return check.status === 'pass' ? 'green' : 'gray';
}

/** What was observed against what was expected, or why the check did not judge. */
function detailOf(check: ShownCheck): string {
  switch (check.status) {
    case 'pass':
      return check.observed;
    case 'quarantined':
      return `${plural(check.quarantinedRows ?? 0, 'row')} quarantined (${check.rule})`;
    case 'error':
    case 'skipped':
      return check.message ?? check.status;
    default:
      return `${check.observed}; expected ${check.expected} (${check.rule})`;
  }
}

/** Up to three failing rows as JSON, cut at 160 characters, and how many more there are. */
function sampleLines(check: ShownCheck, paint: Paint): string[] {
  const lines = check.samples.slice(0, 3).map((sample) => {
    const text = JSON.stringify(sample);
    return `          ${paint('gray', text.length > 160 ? `${text.slice(0, 157)}...` : text)}`;
  });
  if (check.samples.length > 3)
    lines.push(`          ${paint('gray', `... ${check.samples.length - 3} more samples`)}`);
  return lines;
}
