// `pipectl approve` and `pipectl reject`: decide the schema change a run is waiting on. Sent as an
// update, so the answer is immediate and a refusal (not an approver, nothing pending) is explained;
// --signal sends it as a signal instead, which works while no worker runs.
import type { Command } from 'commander';
import { type CliContext, resolveProjectDir } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { asUsageError } from './run-errors.js';
import { addTemporalOptions, type TemporalFlags, temporalSettings } from './temporal-options.js';

interface DecideFlags extends TemporalFlags {
  as: string;
  comment?: string;
  project?: string;
  signal?: boolean;
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
        kind === 'approve'
          ? 'Approve the schema change a run is waiting on: the run publishes the new version and records\nwho approved it. Only an approver listed in the contract may decide; the first decision wins.'
          : 'Reject the schema change a run is waiting on: the staged output is dropped, nothing is\npublished, and the run ends as rejected. Only an approver listed in the contract may decide.',
      )
      .argument('<run>', 'run id, as `pipectl run` and `pipectl runs` print it')
      .requiredOption('--as <name>', "who decides: a name from the contract's approvers")
      .option('--comment <text>', 'why; recorded with the decision and the published version')
      .option('--signal', 'send as a signal (taken when a worker runs; refusals show in `pipectl status`)')
      .option(
        '-p, --project <dir>',
        'project whose pipectl.yaml names the Temporal settings (default: nearest)',
      );
    addTemporalOptions(command)
      .addHelpText(
        'after',
        `\nExamples:\n  $ pipectl ${kind} pipectl-shop_marts-2026-11-22 --as alice --comment "${kind === 'approve' ? 'finance migrated to v2' : 'breaks the finance export'}"\n  $ pipectl runs --awaiting-approval`,
      )
      .action(async (runId: string, options: DecideFlags) => {
        const runtime = await import('@pipectl/runtime');
        const settings = await temporalSettings(options, resolveProjectDir(options.project, ctx.cwd));
        const input = {
          by: options.as,
          ...(options.comment !== undefined ? { comment: options.comment } : {}),
        };
        try {
          const client = await runtime.connectClient(settings, `pipectl:${options.as}`);
          if (options.signal) {
            await runtime.signalDecision(client, runId, kind, input);
            ctx.term.out(
              `sent ${kind} by ${options.as} to ${runId} as a signal; see \`pipectl status ${runId}\`\n`,
            );
          } else {
            const decision = await runtime.decide(client, runId, kind, input);
            const word =
              decision.kind === 'approved' ? ctx.paint('green', 'approved') : ctx.paint('yellow', 'rejected');
            ctx.term.out(
              `${word} step ${decision.step} of ${runId} by ${decision.by}${decision.comment ? `: ${decision.comment}` : ''}\n`,
            );
          }
          setExit(EXIT.ok);
        } catch (error) {
          await asUsageError(error);
        }
      });
  }
}
