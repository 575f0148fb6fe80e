// Entry point: runs one command line and returns its exit code. Turns usage errors into one
// readable line (exit 2) and unexpected failures into a short report (exit 70), never a bare trace.
import { ISSUE_CODES, type IssueCode } from '@pipectl/spec/lite';
import { CommanderError } from 'commander';
import { createContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { processTerminal, type Terminal } from './io/terminal.js';
import { buildProgram } from './program.js';
import { UsageError } from './usage-error.js';

/** An error carrying a code of the issue catalog (the libraries' typed errors: WarehouseError, PIPE6xxx ...). */
function knownError(error: unknown): (Error & { code: IssueCode; hint?: string }) | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, hint } = error as { code?: unknown; hint?: unknown };
  if (typeof code !== 'string' || !Object.hasOwn(ISSUE_CODES, code)) return undefined;
  return Object.assign(error, { code: code as IssueCode }, typeof hint === 'string' ? { hint } : {});
}

export const INTERNAL_ERROR = 70;

export async function main(
  argv: readonly string[],
  term: Terminal = processTerminal(),
  cwd = process.cwd(),
): Promise<number> {
  const ctx = createContext(term, cwd);
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; anything else commander reports is a usage error.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      term.err(`${ctx.paint('red', 'error:')} ${error.message}\n`);
      if (error.hint) term.err(`  ${ctx.paint('blue', '=')} help: ${error.hint}\n`);
      return EXIT.usage;
    }
    const known = knownError(error);
    if (known) {
      // An operational problem the libraries name with a stable code (a missing tool, a locked
      // warehouse, a server that does not answer): the user's to fix, so exit 2 with the fix.
      term.err(`${ctx.paint('red', 'error:')} ${known.code} ${known.message}\n`);
      const help = known.hint ?? ISSUE_CODES[known.code].help;
      term.err(`  ${ctx.paint('blue', '=')} help: ${help}\n`);
      return EXIT.usage;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    term.err(`${ctx.paint('red', 'internal error:')} ${err.message}\n`);
    if (process.env.PIPECTL_DEBUG) term.err(`${err.stack ?? ''}\n`);
    else
      term.err(
        '  run again with PIPECTL_DEBUG=1 for the stack trace, and report it with the command you ran\n',
      );
    return INTERNAL_ERROR;
  }
}
