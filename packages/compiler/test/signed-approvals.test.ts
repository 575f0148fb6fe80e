// A project that requires signed approvals: its allowed-signers file is read with the project (so
// a run's plan holds the keys of its own revision), and what would stop a signed decision is
// reported at validate: a missing file, a file outside the project, a bad line, an approver
// without a key.
import { afterAll, expect, test } from 'vitest';
import { compile, createDuckDbSqlParser } from '../src/index.js';
import { renderIssue } from './support/render-issue.js';
import { writeTempProject } from './support/temp-project.js';

const sqlParser = createDuckDbSqlParser();
afterAll(() => sqlParser.close());

const KEY = (() => {
  const type = Buffer.from('ssh-ed25519');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(type.length);
  return Buffer.concat([head, type, Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 1)]).toString('base64');
})();

const contract = (approvers: string) =>
  [
    'apiVersion: pipectl/v1',
    'kind: Contract',
    'name: mart.orders',
    'owner: data@example.com',
    'version: 1.0.0',
    `approvers: [${approvers}]`,
    'columns:',
    '  - name: id',
    '    type: integer',
    '',
  ].join('\n');

async function compiled(files: Record<string, string>) {
  const project = await writeTempProject({
    'contracts/orders.contract.yaml': contract('alice, bob'),
    ...files,
  });
  try {
    const result = await compile(project.dir, { sqlParser });
    return {
      issues: result.issues.map((issue) => `${issue.severity} ${renderIssue(issue, { hint: false })}`),
      signers: result.signers?.map((s) => s.principals.join(',')),
    };
  } finally {
    await project.remove();
  }
}

const settings = (lines: string[]) =>
  ['apiVersion: pipectl/v1', 'kind: Project', 'name: shop', 'approvals:', ...lines, ''].join('\n');

test('without the setting, no allowed-signers file is read', async () => {
  expect(await compiled({ 'pipectl.yaml': settings(['  signatures: off']) })).toEqual({
    issues: [],
    signers: undefined,
  });
});

test('the allowed signers are read with the project; an approver without a key is a warning at the contract', async () => {
  const result = await compiled({
    'pipectl.yaml': settings(['  signatures: required']),
    allowed_signers: `# who may sign\nalice ssh-ed25519 ${KEY} alice@laptop\n`,
  });
  expect(result.signers).toEqual(['alice']);
  expect(result.issues).toMatchInlineSnapshot(`
    [
      "warning PIPE2034 contracts/orders.contract.yaml:6:12 approver "bob" of mart.orders has no key in allowed_signers, so cannot sign a decision",
    ]
  `);
});

test('a missing file, a file outside the project and a bad line are errors at their place', async () => {
  expect(
    (
      await compiled({
        'pipectl.yaml': settings(['  signatures: required', '  allowedSigners: keys/approvers']),
      })
    ).issues,
  ).toMatchInlineSnapshot(`
    [
      "error PIPE2031 pipectl.yaml:6:19 approvals.signatures is "required" but the allowed-signers file "keys/approvers" does not exist",
    ]
  `);
  expect(
    (
      await compiled({
        'pipectl.yaml': settings(['  signatures: required', '  allowedSigners: ../approvers']),
      })
    ).issues,
  ).toMatchInlineSnapshot(`
    [
      "error PIPE2035 pipectl.yaml:6:19 approvals.allowedSigners "../approvers" is outside the project directory",
    ]
  `);
  expect(
    (
      await compiled({
        'pipectl.yaml': settings(['  signatures: required']),
        allowed_signers: `alice,bob ssh-ed25519 ${KEY}\nbob ssh-rsa AAAAB3NzaC1yc2E\n`,
      })
    ).issues,
  ).toMatchInlineSnapshot(`
    [
      "error PIPE2033 allowed_signers:2:1 line 2 of allowed_signers lists a ssh-rsa key; approvals are signed with ssh-ed25519 keys only",
    ]
  `);
});
