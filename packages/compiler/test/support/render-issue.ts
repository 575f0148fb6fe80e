// Renders issues the way the CLI prints their first line, so tests can compare them as text.
import type { Issue } from '@pipectl/spec';

export function renderIssue(issue: Issue, options: { hint?: boolean } = {}): string {
  const where =
    issue.file === undefined
      ? ''
      : ` ${issue.file}${issue.span ? `:${issue.span.line}:${issue.span.col}` : ''}`;
  const hint = options.hint !== false && issue.hint ? ` (${issue.hint})` : '';
  return `${issue.code}${where} ${issue.message}${hint}`;
}

export function renderIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => renderIssue(issue)).join('\n');
}
