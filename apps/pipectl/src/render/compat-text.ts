// Compatibility results for people: grouped by contract, one line per change with its verdict,
// rule, path and values, then what it says, who it reaches, and the version bump it needs.
//
//   contracts/raw/orders.contract.yaml  raw.orders 1.0.0 -> 2.0.0 (forward)
//     ✗ breaking    FIELD_REMOVED columns.coupon_code  varchar -> (none)  line 8
//         column "coupon_code" (varchar) removed
//         breaks marts.order_totals (finance@shop.example); pipeline shop_daily (analytics@shop.example)
//     ✓ version 1.0.0 -> 2.0.0 matches the changes (major needed)
import type { CheckedChange, CheckSummary, ContractCheck, RepositoryCheckReport } from '@pipectl/check';
import type { Paint, Style } from '../io/terminal.js';
import { beforeAfter, consumersSentence, isUnapprovedBreaking, pathOf } from './compat-values.js';
import { plural } from './issues.js';

const VERDICT_STYLE: Readonly<Record<CheckedChange['verdict'], Style>> = {
  breaking: 'red',
  review: 'yellow',
  compatible: 'green',
};

function contractHeader(check: ContractCheck, paint: Paint): string {
  const versions =
    check.status === 'added'
      ? `${check.toVersion} (new)`
      : check.status === 'removed'
        ? `${check.fromVersion} (removed)`
        : `${check.fromVersion} -> ${check.toVersion}`;
  const extra: string[] = [];
  if (check.previousDataset) extra.push(`renamed from ${check.previousDataset}`);
  if (check.previousFile) extra.push(`moved from ${check.previousFile}`);
  const compared = check.comparedWith.length > 1 ? `, against ${check.comparedWith.join(', ')}` : '';
  return `${paint('bold', check.file)}  ${check.dataset} ${versions} ${paint('gray', `(${check.mode}${compared})`)}${
    extra.length > 0 ? paint('gray', `  ${extra.join(', ')}`) : ''
  }`;
}

/** What the review policy made of a review change. */
const REVIEW_GATE: Readonly<Record<CheckedChange['gate'], string>> = {
  fail: 'review policy: fail — waive it with `except` (and a reason) once someone has looked',
  warn: 'review policy: approve — an approver decides when a run publishes it',
  notice: 'review policy: allow',
};

function changeLines(change: CheckedChange, paint: Paint): string[] {
  const waived = change.waived !== undefined;
  const mark = waived
    ? paint('cyan', '~')
    : paint(
        VERDICT_STYLE[change.verdict],
        change.verdict === 'compatible' ? '✓' : change.verdict === 'breaking' ? '✗' : '!',
      );
  const label = waived ? `${change.verdict}, waived` : change.verdict;
  const verdict = paint(waived ? 'cyan' : VERDICT_STYLE[change.verdict], label.padEnd(18));
  const line = change.location
    ? paint('gray', `  line ${change.location.line}${change.location.side === 'base' ? ' (base)' : ''}`)
    : '';
  const lines = [
    `  ${mark} ${verdict} ${paint('bold', change.rule)} ${pathOf(change)}  ${beforeAfter(change)}${line}`,
  ];
  const indent = '      ';
  lines.push(`${indent}${change.message}`);
  if (change.waived) lines.push(`${indent}${paint('cyan', 'waived:')} ${change.waived.reason}`);
  if (change.note) lines.push(`${indent}${paint('gray', `note: ${change.note}`)}`);
  if (!waived && change.verdict === 'review')
    lines.push(`${indent}${paint('gray', REVIEW_GATE[change.gate])}`);
  const consumers = consumersSentence(change.impact);
  if (consumers) {
    const verb = isUnapprovedBreaking(change) ? paint('red', 'breaks') : 'reaches';
    const base = change.impact?.graph === 'base' ? paint('gray', ' (lineage at the base)') : '';
    lines.push(`${indent}${verb} ${consumers}${base}`);
  } else if (change.impact && change.verdict !== 'compatible') {
    lines.push(`${indent}${paint('gray', 'no consumers in the lineage graph')}`);
  }
  return lines;
}

/** One contract's changes and version check. */
export function renderContractText(check: ContractCheck, paint: Paint): string {
  const lines = [contractHeader(check, paint)];
  for (const change of check.changes) lines.push(...changeLines(change, paint));
  if (check.changes.length === 0) lines.push(`  ${paint('gray', 'no contract changes')}`);
  const version = check.versionCheck;
  if (check.status !== 'removed') {
    const warn = version.finding?.severity === 'warning';
    const mark = version.ok ? (warn ? paint('yellow', '!') : paint('green', '✓')) : paint('red', '✗');
    const code = version.finding ? `${paint('bold', version.finding.code)} ` : '';
    lines.push(`  ${mark} ${code}${version.message}`);
  }
  if (check.docsPage) lines.push(`  ${paint('gray', `page: ${check.docsPage}`)}`);
  return lines.join('\n');
}

/** The closing line: what fails, and the counts. */
export function renderSummaryText(summary: CheckSummary, paint: Paint): string {
  const counts = [
    `${summary.breaking} breaking`,
    `${summary.waived} waived`,
    `${summary.review} review`,
    `${summary.compatible} compatible`,
  ].join(', ');
  const scope = `${plural(summary.changes, 'change')} in ${plural(summary.contracts, 'contract')} (${counts})`;
  const unchanged = summary.unchanged > 0 ? `; ${summary.unchanged} unchanged` : '';
  if (summary.headErrors > 0)
    return `${paint('red', '✗ invalid:')} ${plural(summary.headErrors, 'error')} at the head; ${scope}${unchanged}`;
  if (summary.failed) {
    const problems = [
      summary.unapprovedBreaking > 0 ? plural(summary.unapprovedBreaking, 'unapproved breaking change') : '',
      summary.failingReview > 0 ? plural(summary.failingReview, 'unreviewed change') : '',
      summary.versionErrors > 0 ? plural(summary.versionErrors, 'version error') : '',
    ].filter(Boolean);
    return `${paint('red', `✗ ${problems.join(', ')}`)}: ${scope}${unchanged}`;
  }
  return `${paint('green', '✓ no unapproved breaking change')}: ${scope}${unchanged}`;
}

/** A whole repository check: a heading, every contract with changes, the summary. */
export function renderReportText(report: RepositoryCheckReport, paint: Paint): string {
  const head = report.head.ref === 'WORKTREE' ? 'the working tree' : report.head.ref;
  const heading = paint(
    'gray',
    `project ${report.project}: ${head} against ${report.base.ref} (${report.base.commit.slice(0, 12)})${
      report.selection.changedOnly
        ? `, changed files only (${report.selection.changedFiles?.length ?? 0})`
        : ''
    }`,
  );
  const blocks = report.contracts.map((check) => renderContractText(check, paint));
  if (blocks.length === 0) blocks.push(paint('gray', 'no contract changed'));
  return `${heading}\n\n${blocks.join('\n\n')}\n\n${renderSummaryText(report.summary, paint)}\n`;
}
