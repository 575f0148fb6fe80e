// The revision a run is started from, read from git by the client (never by the workflow): the
// commit, its author and subject, whether the working tree had more, and the pull request CI
// names. It travels with the run (PipelineRunInput.change) and is shown beside the change.
import { execFile } from 'node:child_process';
import type { RunChange } from '../workflows/run-types.js';

/**
 * The git revision of `dir`, or undefined when it is not in a git work tree (or git is missing).
 * @example await readRunChange('/repo/shop', { pullRequest: 'https://github.com/acme/shop/pull/42' })
 */
export async function readRunChange(
  dir: string,
  options: { readonly pullRequest?: string | undefined } = {},
): Promise<RunChange | undefined> {
  const log = await git(dir, ['log', '-1', '--format=%H%x00%an <%ae>%x00%s']);
  if (log === undefined) return undefined;
  const [commit, author, subject] = log.trimEnd().split('\0');
  if (!commit || author === undefined || subject === undefined) return undefined;
  const status = await git(dir, ['status', '--porcelain', '--untracked-files=no', '--', '.']);
  return {
    commit,
    author,
    subject: subject.slice(0, 300),
    dirty: (status ?? '').trim() !== '',
    ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}),
  };
}

/**
 * The pull request a CI job builds, from its environment: PIPECTL_PR_URL, or GitHub Actions'
 * GITHUB_SERVER_URL, GITHUB_REPOSITORY and a `refs/pull/<n>/merge` GITHUB_REF.
 */
export function pullRequestFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.PIPECTL_PR_URL) return env.PIPECTL_PR_URL;
  const pr = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '')?.[1];
  if (pr && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/pull/${pr}`;
  }
  return undefined;
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' }, windowsHide: true },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}
