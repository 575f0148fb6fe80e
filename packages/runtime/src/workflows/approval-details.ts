// The Markdown the Temporal web UI shows under "Current Details" while a run waits: for every
// waiting step, what changed, who it would break, its change fingerprint, and exactly what to send
// to approve or reject it; then the decisions the run refused. Pure, so it is safe in workflow code.
import type { PendingApproval, RefusedDecision } from './run-types.js';

/** How many refused decisions Current Details lists (the status query has them all). */
const REFUSALS_SHOWN = 5;

export function approvalDetails(args: {
  runId: string;
  pipeline: string;
  waiting: readonly PendingApproval[];
  refused?: readonly RefusedDecision[];
}): string {
  const { runId, pipeline, waiting } = args;
  const several = waiting.length > 1;
  const lines = several
    ? [
        `## ${waiting.length} changes await approval: ${waiting.map((p) => `\`${p.step}\``).join(', ')}`,
        '',
        'Each needs its own decision, naming its `step` and `fingerprint`.',
        '',
      ]
    : [];
  for (const pending of waiting) lines.push(...section(runId, pipeline, pending, several), '');
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

function section(runId: string, pipeline: string, pending: PendingApproval, several: boolean): string[] {
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
