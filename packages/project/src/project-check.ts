// `check` through the façade: every contract of the project at a git base against the working tree
// (or a head revision), judged by rule id and mode, with the downstream each change reaches. Both
// trees are read from git by @pipectl/check itself, so this does not load the project first.
import { resolve } from 'node:path';
import type { CheckRepositoryOptions, RepositoryCheckReport } from '@pipectl/check';

export interface CheckOptions
  extends Pick<
    CheckRepositoryOptions,
    'changedOnly' | 'selectDatasets' | 'today' | 'historyLimit' | 'cache'
  > {
  /** The base revision: a branch, tag or commit, e.g. `origin/main` or `HEAD~1`. */
  readonly base: string;
  /** A head revision; the working tree when absent. */
  readonly head?: string | undefined;
}

/**
 * Never throws for a breaking change: that is `report.summary.failed`; the head's own errors are
 * `report.issues`. Throws a CheckError (PIPE4xxx) when git cannot answer (no such base, not a repository).
 * @example const report = await checkProject('examples/shop', { base: 'origin/main' }); report.summary.failed
 */
export async function checkProject(dir: string, options: CheckOptions): Promise<RepositoryCheckReport> {
  const { checkRepository, WORKTREE } = await import('@pipectl/check');
  const { base, head, ...rest } = options;
  return checkRepository({ ...rest, repoDir: resolve(dir), base, head: head ?? WORKTREE });
}
