// Compatibility results as GitHub Actions workflow commands, so each finding shows on the line of
// the pull request that caused it: `::error file=…,line=…,col=…,title=RULE::message`. Breaking
// changes and version errors are errors; review changes follow the review policy (errors under
// `fail`, warnings under `approve`, notices under `allow`); waived changes are notices; compatible
// changes say nothing. Escaping follows GitHub's toolkit: data escapes
// `%`, CR and LF; properties also escape `:` and `,`.
import type { CheckedChange, ContractCheck, RepositoryCheckReport } from '@pipectl/check';
import type { Issue } from '@pipectl/spec';
import { consumersSentence, isUnapprovedBreaking, repoFile } from './compat-values.js';

export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

type Level = 'error' | 'warning' | 'notice';

const GATE_LEVEL: Readonly<Record<CheckedChange['gate'], Level>> = {
  fail: 'error',
  warn: 'warning',
  notice: 'notice',
};

interface Place {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
}

/** One workflow command line. */
export function workflowCommand(
  level: Level,
  place: Place | undefined,
  title: string,
  message: string,
): string {
  const properties: string[] = [];
  if (place) {
    properties.push(`file=${escapeProperty(place.file)}`);
    if (place.line !== undefined) properties.push(`line=${place.line}`);
    if (place.col !== undefined) properties.push(`col=${place.col}`);
  }
  properties.push(`title=${escapeProperty(title)}`);
  return `::${level} ${properties.join(',')}::${escapeData(message)}`;
}

function changeCommand(
  report: RepositoryCheckReport,
  check: ContractCheck,
  change: CheckedChange,
): string | undefined {
  // The gate carries the review policy: a review change is an error under `fail`, a warning
  // under `approve`, a notice under `allow`.
  const level: Level | undefined = change.waived
    ? 'notice'
    : change.verdict === 'compatible'
      ? undefined
      : GATE_LEVEL[change.gate];
  if (!level) return undefined;
  const lines = [`${check.dataset}: ${change.message} (${change.verdict} under ${check.mode})`];
  if (change.waived) lines.push(`waived: ${change.waived.reason}`);
  const consumers = consumersSentence(change.impact);
  if (consumers) lines.push(`${isUnapprovedBreaking(change) ? 'breaks' : 'reaches'} ${consumers}`);
  if (check.docsPage) lines.push(`page: ${check.docsPage}`);
  const place = change.location
    ? { file: repoFile(report, change.location.file), line: change.location.line, col: change.location.col }
    : { file: repoFile(report, check.file) };
  return workflowCommand(level, place, change.rule, lines.join('\n'));
}

function versionCommand(report: RepositoryCheckReport, check: ContractCheck): string | undefined {
  const finding = check.versionCheck.finding;
  if (!finding || check.status === 'removed') return undefined;
  const place = check.versionLocation
    ? {
        file: repoFile(report, check.versionLocation.file),
        line: check.versionLocation.line,
        col: check.versionLocation.col,
      }
    : { file: repoFile(report, check.file) };
  const level: Level = finding.severity === 'error' ? 'error' : 'warning';
  return workflowCommand(level, place, finding.code, `${check.dataset}: ${check.versionCheck.message}`);
}

function issueCommand(report: RepositoryCheckReport, issue: Issue): string {
  const place = issue.file
    ? {
        file: repoFile(report, issue.file),
        ...(issue.span ? { line: issue.span.line, col: issue.span.col } : {}),
      }
    : undefined;
  const message = issue.hint ? `${issue.message}\nhelp: ${issue.hint}` : issue.message;
  return workflowCommand(issue.severity === 'error' ? 'error' : 'warning', place, issue.code, message);
}

/** Every annotation of a report, then one plain summary line (shown in the log). */
export function renderGithub(report: RepositoryCheckReport): string {
  const lines: string[] = [];
  for (const issue of report.issues) lines.push(issueCommand(report, issue));
  for (const check of report.contracts) {
    for (const change of check.changes) {
      const command = changeCommand(report, check, change);
      if (command) lines.push(command);
    }
    const version = versionCommand(report, check);
    if (version) lines.push(version);
  }
  const s = report.summary;
  lines.push(
    `pipectl check: ${s.unapprovedBreaking} unapproved breaking, ${s.waived} waived, ${s.review} review, ${s.compatible} compatible, ${s.versionErrors} version errors, ${s.headErrors} errors in ${s.contracts} changed contracts (${s.unchanged} unchanged)`,
  );
  return `${lines.join('\n')}\n`;
}
