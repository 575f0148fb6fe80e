// `pipectl approve` and `pipectl reject`: decide the schema change a run is waiting on. The step
// and its change fingerprint are filled from the run's waiting steps (several waiting: --step must
// name one), so the run refuses the decision when the change is not the one named. Sent as an
// update, so the answer is immediate and a refusal (not an approver, nothing pending) is explained;
// --signal sends it as a signal instead, which works while no worker runs.
import type { DecisionNotPlacedError, ProjectRuns } from '@pipectl/project';
import type { Command } from 'commander';
import { type CliContext, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { addTemporalOptions, type TemporalFlags, temporalOptionsOf } from './temporal-options.js';

type DecisionOutcome = Awaited<ReturnType<ProjectRuns['decide']>>;

interface DecideFlags extends TemporalFlags {
  as: string;
  comment?: string;
  step?: string;
  fingerprint?: string;
  project?: string;
  signal?: boolean;
  key?: string;
  sign?: boolean;
  print?: boolean;
}

export function registerDecide(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  for (const kind of ['approve', 'reject'] as const) {
    const command = program
      .command(kind)
      .summary(
        kind === 'approve'
          ? 'approve the breaking schema change a run waits on'
          : 'reject it: nothing is published',
      )
      .description(
        (kind === 'approve'
          ? 'Approve the schema change a run is waiting on: the run publishes the new version and records\nwho approved it. Only an approver listed in the contract may decide; the first decision wins.'
          : 'Reject the schema change a run is waiting on: the staged output is dropped, nothing is\npublished, and the run ends as rejected. Only an approver listed in the contract may decide.') +
          '\nThe decision names the step and its change fingerprint, as `pipectl status` shows them: with\none step waiting they are filled in; with several, --step picks one. --fingerprint makes the\nrun refuse the decision unless the waiting change is the one you reviewed.' +
          "\nWhen the project requires signed approvals (pipectl.yaml `approvals.signatures: required`), the\ndecision is signed with your SSH ed25519 key, from ssh-agent or --key; --print prints the signed\nJSON for the web UI's Signal form instead of sending it.",
      )
      .argument('<run>', 'run id, as `pipectl run` and `pipectl runs` print it')
      .requiredOption('--as <name>', "who decides: a name from the contract's approvers")
      .option('--comment <text>', 'why (at most 2000 characters); recorded with the decision and the version')
      .option('--step <name>', 'the waiting step to decide (needed when several wait)')
      .option(
        '--fingerprint <hash>',
        'the change fingerprint you reviewed; refused if the waiting change differs',
      )
      .option('--signal', 'send as a signal (taken when a worker runs; refusals show in `pipectl status`)')
      .option(
        '--key <file>',
        'sign with this OpenSSH ed25519 private key (unencrypted); default: ssh-agent (SSH_AUTH_SOCK)',
      )
      .option('--sign', 'sign even when the run does not require signed approvals')
      .option(
        '--print',
        "print the decision's JSON (signed when required) to paste into the web UI; send nothing",
      )
      .option(
        '-p, --project <dir>',
        'project whose pipectl.yaml names the Temporal settings (default: nearest)',
      );
    addTemporalOptions(command)
      .addHelpText(
        'after',
        `\nExamples:\n  $ pipectl ${kind} pipectl-shop-shop_marts-2026-11-22 --as alice --comment "${kind === 'approve' ? 'finance migrated to v2' : 'breaks the finance export'}"\n  $ pipectl ${kind} pipectl-shop-shop_marts-2026-11-22 --as alice --step daily_revenue --fingerprint 3f9c0a5e1b2d4c6f\n  $ pipectl runs --awaiting-approval`,
      )
      .action(async (runId: string, options: DecideFlags) => {
        const { connectProject, DecisionNotPlacedError } = await import('@pipectl/project');
        const runs = await connectProject(resolveProjectDir(options.project, ctx.cwd), {
          ...temporalOptionsOf(options),
          identity: `pipectl:${options.as}`,
        });
        try {
          const outcome = await runs
            .decide(runId, kind, {
              by: options.as,
              comment: options.comment,
              step: options.step,
              fingerprint: options.fingerprint,
              keyFile: options.key,
              agentSocket: process.env.SSH_AUTH_SOCK,
              ...(options.sign ? { sign: true } : {}),
              send: options.print ? 'none' : options.signal ? 'signal' : 'update',
            })
            .catch((error: unknown) => {
              throw error instanceof DecisionNotPlacedError ? refusal(error, kind, options.as) : error;
            });
          ctx.term.out(saidOf(ctx, kind, runId, options.as, outcome, options.print === true));
          setExit(EXIT.ok);
        } finally {
          await runs.close();
        }
      });
  }
}

/** What the command prints on stdout for a decision placed (and on stderr, the key it was signed with). */
function saidOf(
  ctx: CliContext,
  kind: 'approve' | 'reject',
  runId: string,
  by: string,
  { input, signedWith, decision }: DecisionOutcome,
  printOnly: boolean,
): string {
  if (signedWith) ctx.term.err(`signed as ${by} with ${signedWith.fingerprint} (${signedWith.source})\n`);
  if (printOnly) return `${JSON.stringify(input)}\n`;
  if (decision) {
    const word =
      decision.kind === 'approved' ? ctx.paint('green', 'approved') : ctx.paint('yellow', 'rejected');
    const signed = decision.signature ? ` (signed, key ${decision.signature.fingerprint})` : '';
    const comment = decision.comment ? `: ${decision.comment}` : '';
    return `${word} step ${decision.step} (fingerprint ${decision.fingerprint}) of ${runId} by ${decision.by}${signed}${comment}\n`;
  }
  const what = input.step
    ? `step ${input.step}${input.fingerprint ? ` (fingerprint ${input.fingerprint})` : ''}`
    : 'the waiting step';
  return `sent ${kind} of ${what} by ${by} to ${runId} as a signal; see \`pipectl status ${runId}\`\n`;
}

/** A decision that could not be placed: why, and when steps wait, the command that decides each. */
function refusal(error: DecisionNotPlacedError, kind: 'approve' | 'reject', by: string): UsageError {
  const { runId, waiting } = error;
  const message = `${error.code} ${error.message}`;
  if (waiting.length === 0) return new UsageError(message, error.hint);
  const picks = waiting.map(
    (p) =>
      `    pipectl ${kind} ${runId} --as ${by} --step ${p.step} --fingerprint ${p.fingerprint}   # ${p.compatibility.verdict} change to ${p.dataset}`,
  );
  return new UsageError(
    message,
    `review each change with \`pipectl status ${runId}\`, then decide it by name:\n${picks.join('\n')}`,
  );
}
