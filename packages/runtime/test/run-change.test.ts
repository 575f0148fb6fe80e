// The revision a run travels with: read from the project's git work tree by the client, with the
// pull request CI names; shown beside every waiting change in Current Details.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { pullRequestFromEnv, readRunChange } from '../src/client/run-change.js';
import { changeLine } from '../src/workflows/approval-details.js';

const repo = mkdtempSync(join(tmpdir(), 'pipectl-change-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

test('the commit, author and subject of the project, and whether the tree had more', async () => {
  expect(await readRunChange(repo)).toBeUndefined();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  writeFileSync(join(repo, 'pipectl.yaml'), 'apiVersion: pipectl/v1\nkind: Project\nname: shop\n');
  git('add', '.');
  git(
    '-c',
    'user.name=Alice Doe',
    '-c',
    'user.email=alice@example.com',
    'commit',
    '-qm',
    'drop customers from daily_revenue\n\nfinance moved to v2',
  );
  const commit = git('rev-parse', 'HEAD').trim();

  const change = await readRunChange(repo, { pullRequest: 'https://github.com/acme/shop/pull/42' });
  expect(change).toEqual({
    commit,
    author: 'Alice Doe <alice@example.com>',
    subject: 'drop customers from daily_revenue',
    dirty: false,
    pullRequest: 'https://github.com/acme/shop/pull/42',
  });
  writeFileSync(join(repo, 'pipectl.yaml'), 'apiVersion: pipectl/v1\nkind: Project\nname: shop2\n');
  expect((await readRunChange(repo))?.dirty).toBe(true);
  expect(changeLine({ ...(change as NonNullable<typeof change>), commit: '0123456789abcdef' })).toBe(
    '**Why:** commit `0123456789ab` by Alice Doe &lt;alice@example.com&gt;: "drop customers from daily_revenue" — pull request https://github.com/acme/shop/pull/42',
  );
});

test('the pull request from PIPECTL_PR_URL or GitHub Actions', () => {
  expect(pullRequestFromEnv({ PIPECTL_PR_URL: 'https://git.example.com/pr/7' })).toBe(
    'https://git.example.com/pr/7',
  );
  expect(
    pullRequestFromEnv({
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_REF: 'refs/pull/42/merge',
    }),
  ).toBe('https://github.com/acme/shop/pull/42');
  expect(
    pullRequestFromEnv({ GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/shop' }),
  ).toBeUndefined();
});
