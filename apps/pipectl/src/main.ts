// Entry point: runs one command line and returns its exit code. Every error is rendered by
// render/error.ts: user errors in one readable line and the fix (exit 2), bugs in a short report
// (exit 70), never a bare trace.
import { CommanderError } from 'commander';
import { createContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { processTerminal, type Terminal } from './io/terminal.js';
import { buildProgram } from './program.js';
import { renderError } from './render/error.js';

export { INTERNAL_ERROR } from './render/error.js';

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
    const rendered = renderError(error, ctx.paint, Boolean(process.env.PIPECTL_DEBUG));
    term.err(rendered.text);
    return rendered.exitCode;
  }
}
