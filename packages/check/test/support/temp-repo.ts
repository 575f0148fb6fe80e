// Real git repositories in temporary directories, for tests. Commits are made with a fixed author
// and date, and git reads no global or system configuration, so results do not depend on the
// machine (and nothing outside the temporary directory is touched).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGit, type Git } from '../../src/git/git-runner.js';

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Pipectl Test',
  GIT_AUTHOR_EMAIL: 'test@pipectl.example',
  GIT_COMMITTER_NAME: 'Pipectl Test',
  GIT_COMMITTER_EMAIL: 'test@pipectl.example',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface TempRepo {
  readonly dir: string;
  /** Runs git in the repository; returns its output, trimmed. */
  git(...args: string[]): string;
  /** A Git for the library, with the same isolated environment. */
  readonly runner: Git;
  write(files: Record<string, string | Buffer>): void;
  /** Copies a fixture folder (under test/fixtures) over the work tree. */
  copy(fixture: string): void;
  commitAll(message: string): void;
  remove(): void;
}

export const fixtureDir = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** An empty directory that is not a repository. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-check-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function createTempRepo(): TempRepo {
  const { dir, remove } = tempDir();
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: GIT_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  const repo: TempRepo = {
    dir,
    git,
    runner: createGit(dir, GIT_ENV),
    write(files) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    },
    copy(fixture) {
      cpSync(fixtureDir(fixture), dir, { recursive: true });
    },
    commitAll(message) {
      git('add', '--all');
      git('commit', '--quiet', '--no-verify', '-m', message);
    },
    remove,
  };
  return repo;
}

/**
 * The scenario of test/fixtures/scenario: `main` holds the shop project as published; the branch
 * `feature` (checked out) removes a consumed column, adds a column, renames one without the major
 * bump it needs, waives a removal, moves a contract file, and deletes two contracts (one that a
 * step read at the base, one that nothing read).
 */
export function scenarioRepo(): TempRepo {
  const repo = createTempRepo();
  repo.copy('scenario/main');
  repo.commitAll('shop as published');
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.copy('scenario/feature');
  mkdirSync(join(repo.dir, 'shop/contracts/finance'), { recursive: true });
  repo.git('mv', 'shop/contracts/raw/refunds.contract.yaml', 'shop/contracts/finance/refunds.contract.yaml');
  repo.git(
    'rm',
    '--quiet',
    'shop/contracts/raw/legacy_events.contract.yaml',
    'shop/contracts/raw/scratch.contract.yaml',
  );
  repo.commitAll('feature: reshape the shop contracts');
  return repo;
}
