// Compile issues as plain text for a failure message (the web UI and `pipectl status` show it as
// is). The issues themselves travel as the failure's details, for the CLI to render with frames.
import { formatIssuePath, type Issue, sortIssues } from '@pipectl/spec';

/**
 * @example renderIssuesText(issues)
 * // error PIPE1003 unknown column "amout" in contract "sales.orders" (did you mean "amount"?)
 * //   --> pipelines/orders.pipeline.yaml:14:9  steps[2].columns[1]
 */
export function renderIssuesText(issues: readonly Issue[], limit = 20): string {
  const shown = sortIssues(issues).slice(0, limit);
  const lines = shown.map((issue) => {
    const head = `${issue.severity} ${issue.code} ${issue.message}`;
    const path = issue.path.length > 0 ? `  ${formatIssuePath(issue.path)}` : '';
    const where =
      issue.file === undefined
        ? ''
        : `\n  --> ${issue.file}${issue.span ? `:${issue.span.line}:${issue.span.col}` : ''}${path}`;
    const hint = issue.hint ? `\n  = help: ${issue.hint}` : '';
    return `${head}${where}${hint}`;
  });
  if (issues.length > shown.length) lines.push(`... and ${issues.length - shown.length} more`);
  return lines.join('\n');
}
