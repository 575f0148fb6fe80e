// The one place the CLI turns a thrown error into what a person reads on stderr, and its exit code.
// The libraries' errors are PipectlErrors (a catalog code, the fix, retryable, maybe a file place):
// one line `error: PIPEnnnn message (at file:line:col)` and `= help: fix`, exit 2, because they are
// the user's to fix (a missing tool, a locked warehouse, a server that does not answer, bad input).
// The CLI's own UsageErrors (a flag's value, a missing argument) read the same without a code.
// Anything else is a bug: exit 70 with how to report it.
import { type Issue, isPipectlError } from '@pipectl/spec/lite';
import { sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Paint } from '../io/terminal.js';
import { UsageError } from '../usage-error.js';
import { renderIssues } from './issues.js';

export const INTERNAL_ERROR = 70;

export interface RenderedError {
  readonly text: string;
  readonly exitCode: number;
}

/** @example renderError(new RunNotFoundError('x'), paint) // { text: 'error: PIPE6004 no run "x" …', exitCode: 2 } */
export function renderError(error: unknown, paint: Paint, debug = false): RenderedError {
  const help = (hint: string) => `  ${paint('blue', '=')} help: ${hint}\n`;
  if (error instanceof UsageError) {
    return {
      text: `${paint('red', 'error:')} ${error.message}\n${error.hint ? help(error.hint) : ''}`,
      exitCode: EXIT.usage,
    };
  }
  if (isPipectlError(error)) {
    const { place } = error;
    // An error about a project's settings carries its issues, located: shown with their code frames.
    const located = issuesOf(error);
    const frames = located
      ? `${renderIssues(located.issues, paint, sourceReader(located.projectDir))}\n\n`
      : '';
    const at = place
      ? ` (at ${place.file}${place.line === undefined ? '' : `:${place.line}${place.col === undefined ? '' : `:${place.col}`}`})`
      : '';
    return {
      text: `${frames}${paint('red', 'error:')} ${error.code} ${error.message}${at}\n${help(error.hint)}`,
      exitCode: EXIT.usage,
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    text:
      `${paint('red', 'internal error:')} ${err.message}\n` +
      (debug
        ? `${err.stack ?? ''}\n`
        : '  run again with PIPECTL_DEBUG=1 for the stack trace, and report it with the command you ran\n'),
    exitCode: INTERNAL_ERROR,
  };
}

/** The located issues an error carries (the façade's ProjectIssuesError), by shape. */
function issuesOf(error: Error): { issues: readonly Issue[]; projectDir: string } | undefined {
  const { issues, projectDir } = error as { issues?: unknown; projectDir?: unknown };
  return Array.isArray(issues) && typeof projectDir === 'string' ? { issues, projectDir } : undefined;
}
