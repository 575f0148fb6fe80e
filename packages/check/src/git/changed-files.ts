// Which files changed between the base and the head, as git sees them: `git diff --name-status -M`
// (renames detected by content), plus the untracked files of a working tree, which git diff does
// not show. Used to pair a contract file with the one it was renamed to, and by --changed-only.
import type { Git } from './git-runner.js';

export type FileChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

export interface FileChange {
  readonly status: FileChangeStatus;
  /** Repository-relative path at the head (for a deletion, the deleted path). */
  readonly path: string;
  /** Repository-relative path at the base, for renames and copies. */
  readonly from?: string;
}

const STATUS: Readonly<Record<string, FileChangeStatus>> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/**
 * Files changed under `scope` from `base` to `head` (a commit), or to the working tree when `head`
 * is undefined; untracked files of the working tree count as added.
 * @example await changedFiles(git, 'origin/main', undefined, 'contracts') // [{ status: 'renamed', from: ..., path: ... }]
 */
export async function changedFiles(
  git: Git,
  base: string,
  head: string | undefined,
  scope: string,
): Promise<FileChange[]> {
  const pathspec = scope === '' ? [] : ['--', scope];
  const diff = git.run([
    'diff',
    '--name-status',
    '-M',
    '-z',
    '--no-ext-diff',
    '--no-color',
    '--no-relative',
    base,
    ...(head === undefined ? [] : [head]),
    ...pathspec,
  ]);
  const untracked =
    head === undefined
      ? git.run(['ls-files', '--others', '--exclude-standard', '-z', '--full-name', ...pathspec])
      : Promise.resolve(Buffer.alloc(0));
  const changes = parseNameStatus((await diff).toString('utf8'));
  for (const path of (await untracked).toString('utf8').split('\0')) {
    if (path !== '') changes.push({ status: 'added', path });
  }
  return changes;
}

/** Parses `git diff --name-status -z`: `M\0path\0`, `R097\0old\0new\0`, ... */
export function parseNameStatus(output: string): FileChange[] {
  const fields = output.split('\0');
  const changes: FileChange[] = [];
  for (let index = 0; index < fields.length; ) {
    const code = fields[index++] ?? '';
    if (code === '') continue;
    const status = STATUS[code[0] as string] ?? 'modified';
    if (status === 'renamed' || status === 'copied') {
      const from = fields[index++] ?? '';
      const path = fields[index++] ?? '';
      changes.push({ status, path, from });
    } else {
      changes.push({ status, path: fields[index++] ?? '' });
    }
  }
  return changes;
}
