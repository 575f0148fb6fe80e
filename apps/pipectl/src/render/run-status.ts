// Renders a run's status: the steps with their state and gates, the pending schema change with
// what to type to decide it, the decisions, and the failure if any.
import type { PendingApproval, RunStatusReport, RunStatusView, StepState } from '@pipectl/runtime';
import type { Paint, Style } from '../io/terminal.js';

const STATE_STYLE: Record<StepState, Style> = {
  pending: 'gray',
  building: 'cyan',
  awaiting_approval: 'yellow',
  publishing: 'cyan',
  published: 'green',
  rejected: 'yellow',
  skipped: 'gray',
  failed: 'red',
};

export function renderRunStatus(report: RunStatusReport, paint: Paint, ui?: string): string {
  const lines: string[] = [];
  const view = report.view;
  lines.push(
    `${paint('bold', report.runId)}  ${statusLabel(report.status, paint)}  ${paint('gray', report.execution.toLowerCase())}`,
  );
  if (view) lines.push(`  pipeline ${view.pipeline}, logical date ${view.logicalDate}`);
  else if (report.pipeline) lines.push(`  pipeline ${report.pipeline}`);
  if (ui) lines.push(`  web UI   ${ui}`);
  if (view) lines.push(...renderView(view, paint, report.runId));
  else if (report.execution === 'RUNNING')
    lines.push(paint('yellow', '  no worker answered: start one with `pipectl worker` (or `pipectl dev`)'));
  if (report.failure) {
    // A rejection is a decision, not a fault: named, in the colour of `rejected`.
    const word =
      report.failure.type === 'ChangeRejected' ? paint('yellow', 'rejected') : paint('red', 'failed');
    lines.push('', `${word} ${report.failure.type}: ${report.failure.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function statusLabel(status: string, paint: Paint): string {
  const style: Style =
    status === 'succeeded'
      ? 'green'
      : status === 'failed'
        ? 'red'
        : status === 'awaiting_approval' || status === 'rejected'
          ? 'yellow'
          : 'cyan';
  return paint(style, paint('bold', status));
}

export function renderView(view: RunStatusView, paint: Paint, runId: string): string[] {
  const lines: string[] = [
    '',
    ...revisionLines(view),
    ...sourceLines(view, paint),
    ...stepLines(view, paint),
  ];
  const waiting = awaitingOf(view);
  for (const pending of waiting) lines.push(...waitingLines(pending, view, paint, runId));
  if (waiting.length > 1) {
    lines.push(
      paint('yellow', `  ${waiting.length} steps wait: each needs its own decision, named with --step`),
    );
  }
  lines.push(...decisionLines(view, paint));
  if (view.lineage) lines.push(renderLineageCounts(view.lineage, paint));
  if (view.error) lines.push('', `${paint('red', 'error')} ${view.error}`);
  return lines;
}

/** The revision the run was started from, with its pull request. */
function revisionLines(view: RunStatusView): string[] {
  const c = view.change;
  if (!c) return [];
  return [
    `  revision ${c.commit.slice(0, 12)}${c.dirty ? ' (+ uncommitted changes)' : ''} by ${c.author}: ${c.subject}${c.pullRequest ? `  ${c.pullRequest}` : ''}`,
    '',
  ];
}

/** One line per landed source. */
function sourceLines(view: RunStatusView, paint: Paint): string[] {
  return view.sources.map(
    (source) =>
      `  ${paint('green', '✓')} source ${source.source} → ${source.dataset}  ${paint('gray', `${source.rowsWritten} rows`)}`,
  );
}

/** One line per step with its state, and under it each check that did not pass. */
function stepLines(view: RunStatusView, paint: Paint): string[] {
  const lines: string[] = [];
  for (const step of view.steps) {
    const report = step.report;
    const detail = report
      ? paint(
          'gray',
          `${report.rowsWritten} rows, ${report.checks.length} checks, ${report.compatibility.verdict}`,
        )
      : '';
    lines.push(
      `  ${paint(STATE_STYLE[step.state], step.state.padEnd(17))} ${step.name}${report ? ` → ${report.dataset}` : ''}  ${detail}`,
    );
    for (const check of report?.checks ?? []) {
      if (check.passed) continue;
      if (check.observed === 'skipped') {
        lines.push(paint('gray', `      - ${check.id}: skipped (${check.expected})`));
        continue;
      }
      const mark = check.severity === 'error' ? paint('red', '✗') : paint('yellow', '!');
      lines.push(
        `      ${mark} ${check.id}: ${check.failingRows} failing rows (expected ${check.expected}, observed ${check.observed})`,
      );
    }
  }
  return lines;
}

/** A change that waits: what changed, whom it reaches, who may decide it and the command that does. */
function waitingLines(pending: PendingApproval, view: RunStatusView, paint: Paint, runId: string): string[] {
  const c = pending.compatibility;
  const lines = [
    '',
    paint(
      'yellow',
      paint('bold', `Waiting for approval: ${c.verdict} change to ${pending.dataset} (step ${pending.step})`),
    ),
    `  fingerprint ${paint('bold', pending.fingerprint)}`,
    `  contract ${c.fromVersion ?? '(none)'} → ${c.toVersion} under ${c.mode} compatibility`,
    ...c.changes.map(
      (change) =>
        `  ${change.verdict.padEnd(10)} ${change.rule}  ${change.path}  ${paint('gray', change.message)}`,
    ),
  ];
  if (c.consumers.length > 0) {
    lines.push(
      `  reaches: ${c.consumers.map((x) => `${x.name}${x.owner ? ` (${x.owner})` : ''}`).join(', ')}`,
    );
  }
  const who = pending.approvers[0] ?? 'NAME';
  lines.push(
    `  approvers: ${pending.approvers.join(', ') || '(none listed)'}; deadline ${pending.deadline}`,
    `  decide: pipectl approve ${runId} --as ${who} --step ${pending.step} --fingerprint ${pending.fingerprint} --comment "why"   (or: pipectl reject ...)`,
  );
  if (view.signatures) {
    lines.push(
      `  signed approvals required: sign with your SSH key (ssh-agent, or --key <file>); keys: ${view.signatures.signers.map((s) => `${s.principals.join(',')} ${s.fingerprint}`).join('; ') || 'none listed'}`,
    );
  }
  return lines;
}

/** The decisions taken, and the signals the run refused. */
function decisionLines(view: RunStatusView, paint: Paint): string[] {
  const lines = view.decisions.map((decision) => {
    const step = decision.step ? ` step ${decision.step}` : '';
    const fingerprint = decision.fingerprint ? ` fingerprint ${decision.fingerprint}` : '';
    const signed = decision.signature
      ? `, signed by key ${decision.signature.fingerprint} at ${decision.signature.signedAt}`
      : view.signatures && decision.via !== 'timeout'
        ? ', unsigned'
        : '';
    const comment = decision.comment ? `: ${decision.comment}` : '';
    return `  ${decision.kind} by ${decision.by} (${decision.via}, ${decision.at})${step}${fingerprint}${signed}${comment}`;
  });
  for (const refused of view.refused) {
    // Views of runs from before decisions named their step carry neither kind nor step.
    const kind = refused.kind ? `${refused.kind === 'rejected' ? 'reject' : 'approve'} ` : '';
    const step = refused.step ? ` for step ${refused.step}` : '';
    lines.push(paint('gray', `  refused ${kind}signal${step} from "${refused.by}": ${refused.reason}`));
  }
  return lines;
}

/** The run's OpenLineage deliveries: best effort, so what was dropped is said, never fatal. */
export function renderLineageCounts(counts: NonNullable<RunStatusView['lineage']>, paint: Paint): string {
  const sent = `  openlineage ${counts.sent} event deliver${counts.sent === 1 ? 'y' : 'ies'} sent`;
  if (counts.dropped === 0) return sent;
  return `${sent}, ${paint('yellow', `${counts.dropped} dropped`)}${counts.lastError ? paint('gray', ` (last: ${counts.lastError})`) : ''}`;
}

/** The steps a run waits on (views of runs from before steps could wait in parallel have only `pending`). */
export function awaitingOf(view: RunStatusView): readonly PendingApproval[] {
  return view.awaiting ?? (view.pending ? [view.pending] : []);
}
