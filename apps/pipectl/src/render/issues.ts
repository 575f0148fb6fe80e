// Renders issues the way compilers do: the problem, where it is, the line itself, and what to do.
//
//   error PIPE1004 unknown key "nulable" in columns[0]
//     --> contracts/sales/orders.contract.yaml:10:5  columns[0].nulable
//      |
//   10 |     nulable: false
//      |     ^^^^^^^
//      = expected: one of: name, type, nullable, ...
//      = help: did you mean "nullable"?
import { formatIssuePath, ISSUE_CODES, type Issue, sortIssues } from '@pipectl/spec/lite';
import type { Paint } from '../io/terminal.js';

export type ReadSource = (file: string) => string | undefined;

export function renderIssue(issue: Issue, paint: Paint, readSource: ReadSource): string {
  const label =
    issue.severity === 'error'
      ? paint('red', paint('bold', 'error'))
      : paint('yellow', paint('bold', 'warning'));
  const lines = [`${label} ${paint('bold', issue.code)} ${issue.message}`];
  const path = issue.path.length > 0 ? `  ${paint('gray', formatIssuePath(issue.path))}` : '';
  if (issue.file !== undefined) {
    const where = issue.span ? `${issue.file}:${issue.span.line}:${issue.span.col}` : issue.file;
    lines.push(`  ${paint('blue', '-->')} ${where}${path}`);
  }
  const frame = issue.file !== undefined && issue.span ? codeFrame(issue, readSource(issue.file), paint) : [];
  lines.push(...frame);
  const gutter = frame.length > 0 ? ' '.repeat(String(issue.span?.line ?? '').length + 2) : '  ';
  if (issue.expected) lines.push(`${gutter}${paint('blue', '=')} expected: ${issue.expected}`);
  const help = issue.hint ?? (ISSUE_CODES as Record<string, { help: string }>)[issue.code]?.help;
  if (help) lines.push(`${gutter}${paint('blue', '=')} help: ${help}`);
  return lines.join('\n');
}

function codeFrame(issue: Issue, text: string | undefined, paint: Paint): string[] {
  const span = issue.span;
  if (!span || text === undefined) return [];
  const sourceLine = text.split(/\r?\n/)[span.line - 1];
  if (sourceLine === undefined) return [];
  const number = String(span.line);
  const pad = ' '.repeat(number.length);
  const width =
    span.endLine === span.line
      ? Math.max(1, span.endCol - span.col)
      : Math.max(1, sourceLine.length - span.col + 1);
  const caret = `${' '.repeat(Math.max(0, span.col - 1))}${'^'.repeat(Math.min(width, 80))}`;
  const color = issue.severity === 'error' ? 'red' : 'yellow';
  return [
    ` ${pad} ${paint('blue', '|')}`,
    ` ${paint('blue', number)} ${paint('blue', '|')} ${sourceLine}`,
    ` ${pad} ${paint('blue', '|')} ${paint(color, caret)}`,
  ];
}

export function renderIssues(issues: readonly Issue[], paint: Paint, readSource: ReadSource): string {
  return sortIssues(issues)
    .map((issue) => renderIssue(issue, paint, readSource))
    .join('\n\n');
}

export function summarizeIssues(issues: readonly Issue[]): { errors: number; warnings: number } {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  return { errors, warnings: issues.length - errors };
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
