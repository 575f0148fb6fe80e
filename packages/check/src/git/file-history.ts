// Earlier versions of one file, for the *_transitive modes: the commits that changed it, newest
// first, followed across renames (`git log --follow`), bounded to the newest few.
import type { Git } from './git-runner.js';

export interface FileRevision {
  readonly commit: string;
  /** Repository-relative path of the file in that commit (it may have been renamed since). */
  readonly path: string;
}

/**
 * The newest `limit` commits reachable from `from` that changed `path`, newest first.
 * @example await fileHistory(git, 'origin/main', 'contracts/orders.contract.yaml', 20)
 */
export async function fileHistory(
  git: Git,
  from: string,
  path: string,
  limit: number,
): Promise<FileRevision[]> {
  const output = await git.run([
    'log',
    '--follow',
    `--max-count=${limit}`,
    '--format=%x00%H',
    '--name-only',
    '-z',
    '--no-ext-diff',
    from,
    '--',
    path,
  ]);
  // Each commit is `\0<hash>\0\n<path>\0` (the path of the file in that commit).
  const revisions: FileRevision[] = [];
  for (const match of output.toString('utf8').matchAll(/\0([0-9a-f]{40,64})\0\n?([^\0]+)\0/g)) {
    revisions.push({ commit: match[1] as string, path: match[2] as string });
  }
  return revisions;
}
