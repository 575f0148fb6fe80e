// The Markdown the Temporal web UI shows under "Current Details" while a run waits: what changed,
// who it would break, and exactly how to approve or reject. Pure, so it is safe in workflow code.
import type { PendingApproval } from './run-types.js';

export function approvalDetails(args: { runId: string; pipeline: string; pending: PendingApproval }): string {
  const { runId, pipeline, pending } = args;
  const c = pending.compatibility;
  const rows = c.changes.map(
    (ch) => `| ${ch.verdict} | \`${ch.rule}\` | \`${ch.path}\` | ${ch.message.replaceAll('|', '\\|')} |`,
  );
  const consumers = c.consumers.length
    ? c.consumers.map((x) => `- ${x.kind} \`${x.name}\`${x.owner ? ` (owner: ${x.owner})` : ''}`).join('\n')
    : '- none found in the lineage graph';
  const approver = pending.approvers[0] ?? 'your-name';
  return [
    `## Awaiting approval: ${c.verdict} change to \`${pending.dataset}\``,
    '',
    `Pipeline \`${pipeline}\`, step \`${pending.step}\`: contract ${c.fromVersion ?? '(none)'} → ${c.toVersion} under \`${c.mode}\` compatibility.`,
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
    `- In this UI: *Send a Signal* (or *Update*) → \`approve\` or \`reject\`, with input \`{"by": "${approver}", "comment": "why"}\``,
    `- From a terminal: \`pipectl approve ${runId} --as ${approver} --comment "why"\` (or \`pipectl reject\`)`,
  ].join('\n');
}
