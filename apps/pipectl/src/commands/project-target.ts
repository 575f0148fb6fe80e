// `--target <name>` for the commands that talk to Temporal (worker, dev, run, runs, status, deploy,
// decisions): which target of pipectl.yaml (else its `target:`, else the top-level settings, target
// "default"), with its `${VAR}`s read from the environment, from pipectl.yaml alone — loading the
// whole project through the façade (@pipectl/project, which the project commands use) would cost
// these commands start-up time. An unknown name or an unset variable is printed at its line in
// pipectl.yaml and exits 2.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue, Project, ProjectDocument, ResolvedTarget } from '@pipectl/spec';
import { type CliContext, sourceReader } from '../context.js';
import { renderIssues } from '../render/issues.js';
import { UsageError } from '../usage-error.js';

/**
 * The target the command runs on; prints the issues and throws a UsageError (exit 2) when it cannot
 * be used. `what` finishes the sentence "… : <what>", e.g. "not tested".
 * @example const target = await resolveCommandTarget(ctx, root, document, document.value, flags.target)
 */
export async function resolveCommandTarget(
  ctx: CliContext,
  root: string,
  document: ProjectDocument | undefined,
  project: Project,
  name: string | undefined,
): Promise<ResolvedTarget> {
  const { resolveTarget } = await import('@pipectl/spec');
  const resolved = resolveTarget(project, { ...(name !== undefined ? { name } : {}), env: process.env });
  if (resolved.ok) return resolved.target;
  const located: Issue[] = resolved.issues.map((issue) =>
    document && issue.path.length > 0
      ? { ...issue, file: document.file, span: document.sourceMap.spanOf(issue.path) }
      : issue,
  );
  ctx.term.err(`${renderIssues(located, ctx.paint, sourceReader(root))}\n\n`);
  throw new UsageError(
    `target "${name ?? project.target ?? 'default'}" cannot be used`,
    'name a target of pipectl.yaml with --target, and set the environment variables it reads',
  );
}

/** pipectl.yaml of `root` parsed on its own (commands that do not compile the project), if it is a valid Project. */
export async function readProjectDocument(root: string): Promise<ProjectDocument | undefined> {
  const file = join(root, 'pipectl.yaml');
  if (!existsSync(file)) return undefined;
  const { parseDocument } = await import('@pipectl/spec');
  const parsed = parseDocument('pipectl.yaml', readFileSync(file, 'utf8'));
  if (parsed.document?.kind !== 'Project') return undefined;
  return parsed.document;
}
