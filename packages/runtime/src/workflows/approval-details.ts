// The Markdown the Temporal web UI shows under "Current Details" while a run waits: for every
// waiting step, what changed, who it would break, its change fingerprint, and exactly what to send
// to approve or reject it; then the decisions the run refused. Pure, so it is safe in workflow code.
import type { Decision, PendingApproval, RefusedDecision, RunChange } from './run-types.js';

/** How many refused decisions Current Details lists (the status query has them all). */
const REFUSALS_SHOWN = 5;

export function approvalDetails(args: {
  runId: string;
  pipeline: string;
  waiting: readonly PendingApproval[];
  refused?: readonly RefusedDecision[];
  /** The revision the run was started from: why the contract changed. */
  change?: RunChange;
  /** The project requires signed approvals. */
  signed?: boolean;
}): string {
  const { runId, pipeline, waiting } = args;
  const why = args.change ? changeLine(args.change) : undefined;
  const signing = args.signed
    ? [
        "**Signed approvals required.** Decisions must be signed with an approver's SSH key: run the terminal command below, or paste the JSON `pipectl approve … --print` prints into the Signal form. An unsigned decision is refused.",
        '',
      ]
    : [];
  const several = waiting.length > 1;
  const lines = several
    ? [
        `## ${waiting.length} changes await approval: ${waiting.map((p) => `\`${p.step}\``).join(', ')}`,
        '',
        'Each needs its own decision, naming its `step` and `fingerprint`.',
        '',
      ]
    : [];
  for (const pending of waiting) lines.push(...section(runId, pipeline, pending, several, why), '');
  lines.push(...signing);
  lines.push(refusalDetails(args.refused ?? []));
  return lines.join('\n').trimEnd();
}

/** The latest decisions the run refused, or '' when none was. */
export function refusalDetails(refused: readonly RefusedDecision[]): string {
  if (refused.length === 0) return '';
  const shown = refused.slice(-REFUSALS_SHOWN).map((r) => {
    const what = `${r.kind === 'approved' ? 'approve' : 'reject'}${r.step ? ` of step \`${r.step}\`` : ''}`;
    return `- ${r.at} ${what} from "${r.by}": ${r.reason.replaceAll('`', "'")}`;
  });
  return ['**Refused decisions (not applied)**', '', ...shown].join('\n');
}

/** The revision line: commit, author, subject, pull request. */
export function changeLine(change: RunChange): string {
  const pr = change.pullRequest ? ` — pull request ${change.pullRequest}` : '';
  const dirty = change.dirty ? ' (with uncommitted changes)' : '';
  return `**Why:** commit \`${change.commit.slice(0, 12)}\`${dirty} by ${change.author.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}: "${change.subject.replaceAll('`', "'")}"${pr}`;
}

function section(
  runId: string,
  pipeline: string,
  pending: PendingApproval,
  several: boolean,
  why: string | undefined,
): string[] {
  const c = pending.compatibility;
  const rows = c.changes.map(
    (ch) => `| ${ch.verdict} | \`${ch.rule}\` | \`${ch.path}\` | ${ch.message.replaceAll('|', '\\|')} |`,
  );
  const consumers = c.consumers.length
    ? c.consumers.map((x) => `- ${x.kind} \`${x.name}\`${x.owner ? ` (owner: ${x.owner})` : ''}`).join('\n')
    : '- none found in the lineage graph';
  const approver = pending.approvers[0] ?? 'your-name';
  const payload = `{"by": "${approver}", "comment": "why", "step": "${pending.step}", "fingerprint": "${pending.fingerprint}"}`;
  return [
    `${several ? '###' : '##'} Awaiting approval: ${c.verdict} change to \`${pending.dataset}\``,
    '',
    `Pipeline \`${pipeline}\`, step \`${pending.step}\`: contract ${c.fromVersion ?? '(none)'} → ${c.toVersion} under \`${c.mode}\` compatibility.`,
    '',
    ...(pending.docsPage
      ? [
          `**Contract page:** [${pending.dataset}](${pending.docsPage}) (columns, lineage, version history)`,
          '',
        ]
      : []),
    ...(why ? [why, ''] : []),
    `**Change fingerprint:** \`${pending.fingerprint}\``,
    '',
    '| verdict | rule | path | change |',
    '|---|---|---|---|',
    ...rows,
    '',
    '**Consumers this change reaches**',
    '',
    consumers,
    '',
    `**Who may decide:** ${pending.approvers.join(', ') || 'no approvers are listed in the contract'} — until ${pending.deadline}.`,
    '',
    '**How to decide**',
    '',
    `- In this UI: *Send a Signal* (or *Update*) → \`approve\` or \`reject\`, with input \`${payload}\``,
    `- From a terminal: \`pipectl approve ${runId} --as ${approver} --step ${pending.step} --fingerprint ${pending.fingerprint} --comment "why"\` (or \`pipectl reject\`)`,
  ];
}

/**
 * One line of Current Details per decision: what, who, how (signal, update, timeout), when, the
 * signature status and the comment.
 * @example decisionLine(made, 'mart.daily_revenue')
 * // '- **approved** `mart.daily_revenue` by **alice** via update at 2026-12-03T09:00:00.000Z, signed with key `SHA256:…` — "finance migrated"'
 */
export function decisionLine(decision: Decision, dataset: string, signaturesRequired: boolean): string {
  const signature = decision.signature
    ? `, signed with key \`${decision.signature.fingerprint}\` at ${decision.signature.signedAt}`
    : signaturesRequired && decision.via !== 'timeout'
      ? ', unsigned'
      : '';
  const comment = decision.comment ? ` — "${decision.comment.replaceAll('`', "'")}"` : '';
  return `- **${decision.kind}** \`${dataset}\` (step \`${decision.step}\`) by **${decision.by}** via ${decision.via} at ${decision.at}${signature}${comment}`;
}

/** The most the web UI shows of a timer's summary before cutting it off. */
const TIMER_SUMMARY_LIMIT = 200;

/**
 * The one line the approval wait's timer carries as its summary. A run's own Summary is fixed when
 * it starts (Temporal keeps it immutable), before anyone knows a change will wait, so the waiting
 * timer is where the web UI's History and Timeline name the dataset, the rule and the deadline.
 */
export function approvalTimerSummary(pending: PendingApproval): string {
  const gating = pending.compatibility.changes.filter(
    (change) => change.verdict === 'breaking' || change.verdict === 'review',
  );
  const first = gating[0] ?? pending.compatibility.changes[0];
  const rule = first ? `${first.rule} at ${first.path}` : 'a contract change';
  const more = gating.length > 1 ? ` (+${gating.length - 1} more)` : '';
  const kind = pending.compatibility.verdict === 'review' ? 'review' : 'breaking';
  const line = `awaiting approval: ${kind} change to ${pending.dataset}: ${rule}${more}; decide before ${pending.deadline}`;
  return line.length > TIMER_SUMMARY_LIMIT ? `${line.slice(0, TIMER_SUMMARY_LIMIT - 1)}…` : line;
}
