// The first step of every command that needs a compiled project: compile it, print its problems
// the way `pipectl validate` does, and return nothing when there are errors (exit 2 is then set).
import type { CompileResult } from '@pipectl/compiler';
import type { OpenedProject } from '@pipectl/project';
import { type CliContext, displayPath, sourceReader } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { plural, renderIssues, summarizeIssues } from '../render/issues.js';

/**
 * @param outcome what did not happen, for the closing line: `not compiled`, `not started`, ...
 * @param project the project opened through the façade, compiled once for the whole command; or,
 *   compiling the directory itself, whether to use the compile cache
 */
export async function compileOrReport(
  ctx: CliContext,
  root: string,
  outcome: string,
  setExit: (code: number) => void,
  project: OpenedProject | { readonly cache: boolean },
): Promise<CompileResult | undefined> {
  const result =
    'compile' in project
      ? await project.compile()
      : await (await import('@pipectl/compiler')).compile(root, { cache: project.cache });
  if (result.issues.length > 0)
    ctx.term.err(`${renderIssues(result.issues, ctx.paint, sourceReader(root))}\n\n`);
  const { errors } = summarizeIssues(result.issues);
  if (errors === 0) return result;
  ctx.term.err(`${ctx.paint('red', outcome)}: ${plural(errors, 'error')} in ${displayPath(root, ctx.cwd)}\n`);
  setExit(EXIT.usage);
  return undefined;
}
