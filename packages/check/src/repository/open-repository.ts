// Finding the repository and the revisions a check compares, with a clear error for each way it
// can fail: not a repository, a project outside it, a base the clone does not have (the usual
// cause in CI is a shallow clone or an unfetched branch).
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type Git, GitCommandError } from '../git/git-runner.js';
import { CheckError } from './check-error.js';

export interface OpenedRepository {
  /** Absolute path of the top level, as git reports it. */
  readonly root: string;
  /** The project directory, repository-relative with `/` ('' for the top level). */
  readonly project: string;
}

/** Translates a git failure that is not about the question asked (git missing, a crash). */
export function gitFailure(error: unknown): CheckError {
  if (error instanceof GitCommandError && error.systemCode === 'ENOENT')
    return new CheckError(
      'PIPE4006',
      'git is not installed (or not on PATH)',
      'install git; pipectl check reads the base revision with it',
    );
  const message = error instanceof Error ? error.message : String(error);
  return new CheckError('PIPE4006', message, 'run the git command shown by hand to see what is wrong');
}

/** The repository holding `dir`, and `projectDir` (relative to `dir`) inside it. */
export async function openRepository(git: Git, dir: string, projectDir: string): Promise<OpenedRepository> {
  if (!existsSync(dir)) throw new CheckError('PIPE4002', `"${dir}" does not exist`);
  let root: string;
  try {
    root = (await git.run(['rev-parse', '--show-toplevel'])).toString('utf8').trim();
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode !== null)
      throw new CheckError(
        'PIPE4002',
        `"${dir}" is not inside a git repository`,
        'run pipectl check in a clone of the repository (in CI: check it out with its history)',
      );
    throw gitFailure(error);
  }
  const absolute = resolve(dir, projectDir);
  const real = existsSync(absolute) ? realpathSync(absolute) : absolute;
  const project = relative(realpathSync(root), real);
  if (project.startsWith('..') || isAbsolute(project))
    throw new CheckError(
      'PIPE4004',
      `the project "${absolute}" is outside the repository "${root}"`,
      'pass a project directory inside the repository',
    );
  return { root: realpathSync(root), project: project.split(sep).join('/') };
}

/** The commit `ref` names; a CheckError that says how to get it when the clone does not have it. */
export async function resolveCommit(git: Git, ref: string, role: 'base' | 'head'): Promise<string> {
  try {
    const output = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return output.toString('utf8').trim();
  } catch (error) {
    if (!(error instanceof GitCommandError) || error.exitCode === null) throw gitFailure(error);
  }
  throw new CheckError(
    'PIPE4001',
    `the ${role} revision "${ref}" does not exist in this clone`,
    await fetchHint(git, ref),
  );
}

/** `git fetch origin main` for `origin/main`, and a word about shallow clones when this is one. */
async function fetchHint(git: Git, ref: string): Promise<string> {
  const remotes = await git
    .run(['remote'])
    .then((output) => output.toString('utf8').split('\n').filter(Boolean))
    .catch(() => [] as string[]);
  const shallow = await git
    .run(['rev-parse', '--is-shallow-repository'])
    .then((output) => output.toString('utf8').trim() === 'true')
    .catch(() => false);
  const deepen = shallow
    ? 'this clone is shallow: fetch its history with `git fetch --unshallow` (in GitHub Actions, check out with `fetch-depth: 0`)'
    : 'in GitHub Actions, check out with `fetch-depth: 0` so the base branch and its history are there';
  // A commit id or a relative name (HEAD~1) needs history, not a branch.
  if (/^[0-9a-f]{7,64}$/i.test(ref) || /[~^@:]/.test(ref)) return deepen;
  const slash = ref.indexOf('/');
  if (slash > 0) {
    const remote = ref.slice(0, slash);
    const missing = remotes.includes(remote) ? '' : ` (this clone has no remote "${remote}": add it first)`;
    return `fetch it first: \`git fetch ${remote} ${ref.slice(slash + 1)}\`${missing}; ${deepen}`;
  }
  const origin = remotes[0] ?? 'origin';
  return `fetch it first: \`git fetch ${origin} ${ref}\`, then pass --base ${origin}/${ref}; ${deepen}`;
}
