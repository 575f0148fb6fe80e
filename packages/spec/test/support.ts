// Test helpers: reading fixtures and rendering issues as one line each, for inline snapshots.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatIssuePath, type Issue, type ParseResult, parseDocument } from '../src/index.js';

export function fixtureText(relativePath: string): string {
  return readFileSync(fileURLToPath(new URL(`fixtures/${relativePath}`, import.meta.url)), 'utf8');
}

/** Parses `fixtures/<folder>/<name>`; issues name the file by its base name. */
export function parseFixture(relativePath: string): ParseResult {
  const name = relativePath.split('/').pop() ?? relativePath;
  return parseDocument(name, fixtureText(relativePath));
}

/**
 * One line per issue, the way a person reads it:
 * `PIPE1004 bad.contract.yaml:10:5 columns[0].nulable unknown key "nulable" in columns[0] (did you mean "nullable"?)`
 */
export function renderIssue(issue: Issue): string {
  const place = `${issue.file ?? '?'}:${issue.span ? `${issue.span.line}:${issue.span.col}` : '?:?'}`;
  const path = formatIssuePath(issue.path);
  return [
    issue.code,
    issue.severity === 'warning' ? 'warning' : undefined,
    place,
    path === '' ? undefined : path,
    issue.message,
    issue.hint === undefined ? undefined : `(${issue.hint})`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

export function renderIssues(issues: readonly Issue[]): string {
  return issues.map(renderIssue).join('\n');
}
