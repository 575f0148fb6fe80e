// Signed decisions, checked against OpenSSH itself: what `pipectl approve` signs (key file or
// ssh-agent) verifies with `ssh-keygen -Y verify`, and what `ssh-keygen -Y sign` signs verifies in
// the workflow's pure verifier; anything changed after signing is refused with its reason.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllowedSigners, APPROVAL_NAMESPACE as SPEC_NAMESPACE } from '@pipectl/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSigner, signDecision } from '../src/client/sign-decision.js';
import { agentSigners, keyFileSigner } from '../src/client/ssh-signer.js';
import {
  APPROVAL_NAMESPACE,
  decisionMessage,
  judgeSignature,
  type PlanSigner,
  verifyDecisionSignature,
} from '../src/workflows/decision-signature.js';
import type { PendingApproval } from '../src/workflows/run-types.js';
import { keyFolder, makeKey, SSH_AGENT, SSH_KEYGEN, startAgent, type TestKey } from './support/ssh-keys.js';

const haveSsh = SSH_KEYGEN !== undefined;
if (!haveSsh)
  console.warn('ssh-keygen is not on PATH: the OpenSSH cross-checks of signed decisions are skipped');

const pending: PendingApproval = {
  step: 'daily_revenue',
  fingerprint: '3f9c0a5e1b2d4c6f',
  dataset: 'mart.daily_revenue',
  approvers: ['alice'],
  compatibility: {
    verdict: 'breaking',
    mode: 'forward',
    fromVersion: '1.0.0',
    toVersion: '2.0.0',
    changes: [],
    consumers: [],
  },
  since: '2026-12-03T09:00:00.000Z',
  deadline: '2026-12-06T09:00:00.000Z',
};
const RUN = 'pipectl-shop-shop-2026-12-03';
const NOW = Date.parse('2026-12-03T09:05:00.000Z');

describe.skipIf(!haveSsh)('a signed decision', () => {
  const folder = keyFolder();
  let alice: TestKey;
  let bob: TestKey;
  let signers: PlanSigner[];
  let allowed: string;

  beforeAll(() => {
    alice = makeKey(folder.dir, 'alice');
    bob = makeKey(folder.dir, 'bob');
    allowed = join(folder.dir, 'allowed_signers');
    writeFileSync(allowed, `# approvers\nalice ${alice.publicLine}\nbob@example.com,bob ${bob.publicLine}\n`);
    const parsed = parseAllowedSigners('allowed_signers', readFileSync(allowed, 'utf8'));
    expect(parsed.issues).toEqual([]);
    signers = parsed.signers.map(({ principals, publicKey, fingerprint }) => ({
      principals,
      publicKey,
      fingerprint,
    }));
  });
  afterAll(() => folder.remove());

  const sshVerify = (principal: string, message: string, signature: string): boolean => {
    const sig = join(folder.dir, 'decision.sig');
    writeFileSync(sig, `${signature}\n`);
    try {
      execFileSync(
        SSH_KEYGEN as string,
        ['-Y', 'verify', '-f', allowed, '-I', principal, '-n', APPROVAL_NAMESPACE, '-s', sig],
        {
          input: message,
          stdio: ['pipe', 'ignore', 'ignore'],
        },
      );
      return true;
    } catch {
      return false;
    }
  };

  it('names keys by the fingerprints ssh-keygen prints, in the namespace the spec names', () => {
    expect(signers.map((s) => s.fingerprint)).toEqual([alice.fingerprint, bob.fingerprint]);
    expect(signers[1]?.principals).toEqual(['bob@example.com', 'bob']);
    expect(SPEC_NAMESPACE).toBe(APPROVAL_NAMESPACE);
  });

  it('signed from a key file, verifies with ssh-keygen -Y verify and in the workflow', async () => {
    const signer = await keyFileSigner(alice.path);
    expect(signer.fingerprint).toBe(alice.fingerprint);
    const input = await signDecision({
      runId: RUN,
      kind: 'approve',
      input: { by: 'alice', comment: 'finance migrated' },
      pending,
      signer,
      now: new Date(NOW),
    });
    const judged = judgeSignature({ runId: RUN, kind: 'approve', input, pending, signers, now: NOW });
    expect(judged).toMatchObject({
      ok: true,
      signature: { fingerprint: alice.fingerprint, signedAt: input.signedAt },
    });
    if (!judged.ok) return;
    expect(sshVerify('alice', judged.signature.message, input.signature as string)).toBe(true);
    expect(sshVerify('bob', judged.signature.message, input.signature as string)).toBe(false);
  });

  it('signed by ssh-keygen -Y sign, verifies in the workflow', () => {
    const message = decisionMessage({
      run: RUN,
      step: pending.step,
      dataset: pending.dataset,
      contractVersion: '2.0.0',
      fingerprint: pending.fingerprint,
      decision: 'reject',
      by: 'bob',
      comment: 'breaks the finance export — ünïcode',
      signedAt: '2026-12-03T09:04:00.000Z',
    });
    const file = join(folder.dir, 'message.txt');
    writeFileSync(file, message);
    execFileSync(SSH_KEYGEN as string, ['-Y', 'sign', '-f', bob.path, '-n', APPROVAL_NAMESPACE, file], {
      stdio: 'ignore',
    });
    const signature = readFileSync(`${file}.sig`, 'utf8');
    expect(verifyDecisionSignature({ message, signature, by: 'bob', signers })).toEqual({
      ok: true,
      fingerprint: bob.fingerprint,
    });
    expect(verifyDecisionSignature({ message: `${message} `, signature, by: 'bob', signers })).toMatchObject({
      ok: false,
    });
  });

  it.skipIf(!SSH_AGENT)('signed through ssh-agent with the key listed for the approver', async () => {
    const agent = await startAgent(folder.dir, [bob, alice]);
    try {
      expect((await agentSigners(agent.socket)).map((k) => k.fingerprint).sort()).toEqual(
        [alice.fingerprint, bob.fingerprint].sort(),
      );
      const signer = await chooseSigner({ agentSocket: agent.socket, by: 'alice', signers });
      expect(signer.fingerprint).toBe(alice.fingerprint);
      const input = await signDecision({
        runId: RUN,
        kind: 'reject',
        input: { by: 'alice' },
        pending,
        signer,
        now: new Date(NOW),
      });
      const judged = judgeSignature({ runId: RUN, kind: 'reject', input, pending, signers, now: NOW });
      expect(judged.ok).toBe(true);
      if (judged.ok)
        expect(sshVerify('alice', judged.signature.message, input.signature as string)).toBe(true);
    } finally {
      agent.stop();
    }
  });

  it('refuses what was changed after signing, or signed by someone else, with the reason', async () => {
    const signer = await keyFileSigner(alice.path);
    const input = await signDecision({
      runId: RUN,
      kind: 'approve',
      input: { by: 'alice', comment: 'ok' },
      pending,
      signer,
      now: new Date(NOW),
    });
    const judge = (
      over: { by?: string; comment?: string; signedAt?: string | undefined; signature?: string | undefined },
      kind: 'approve' | 'reject' = 'approve',
      runId = RUN,
    ) => {
      const judged = judgeSignature({
        runId,
        kind,
        input: { ...input, ...over },
        pending,
        signers,
        now: NOW,
      });
      return judged.ok ? 'accepted' : judged.reason;
    };
    expect(judge({})).toBe('accepted');
    expect(judge({ comment: 'ok!' })).toMatch(
      /^signature refused: the signature by key SHA256:\S+ does not match this decision/,
    );
    expect(judge({}, 'reject')).toMatch(/does not match this decision/);
    expect(judge({}, 'approve', `${RUN}-other`)).toMatch(/does not match this decision/);
    expect(judge({ by: 'bob' })).toBe(
      `signature refused: key ${alice.fingerprint} signs for alice, not for "bob"`,
    );
    expect(judge({ signature: undefined, signedAt: undefined })).toMatch(
      /^this project requires signed approvals: "alice" sent an unsigned decision; sign it with `pipectl approve/,
    );
    expect(judge({ signedAt: 'yesterday' })).toMatch(/"signedAt" must be an ISO time/);
    expect(judge({ signature: 'lgtm' })).toMatch(/not an SSH signature/);
    const stranger = await keyFileSigner(makeKey(folder.dir, 'mallory').path);
    const forged = await signDecision({
      runId: RUN,
      kind: 'approve',
      input: { by: 'alice' },
      pending,
      signer: stranger,
      now: new Date(NOW),
    });
    expect(judge(forged)).toBe(
      'signature refused: signed with a key that is not in the allowed-signers file of the planned revision',
    );
    const late = await signDecision({
      runId: RUN,
      kind: 'approve',
      input: { by: 'alice' },
      pending,
      signer,
      now: new Date(NOW + 3_600_000),
    });
    expect(judge(late)).toMatch(/outside this wait/);
  });

  it('refuses key files it cannot sign with, saying what to do', async () => {
    const rsa = makeKey(folder.dir, 'rsa', 'rsa');
    await expect(keyFileSigner(rsa.path)).rejects.toThrow(
      /it is a ssh-rsa key; approvals are signed with ed25519 keys/,
    );
    await expect(keyFileSigner(`${alice.path}.pub`)).rejects.toThrow(/not the \.pub file/);
    const locked = join(folder.dir, 'locked');
    execFileSync(SSH_KEYGEN as string, ['-q', '-t', 'ed25519', '-N', 'secret', '-f', locked]);
    await expect(keyFileSigner(locked)).rejects.toThrow(
      /encrypted with a passphrase: load it into ssh-agent/,
    );
  });
});

describe('the allowed-signers file', () => {
  it('reports malformed lines, other key types and unsupported options at their line', () => {
    const blob = (fill: number) => {
      const type = Buffer.from('ssh-ed25519');
      const head = Buffer.alloc(4);
      head.writeUInt32BE(type.length);
      return Buffer.concat([head, type, Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, fill)]).toString(
        'base64',
      );
    };
    const key = blob(7);
    const text = [
      `alice ssh-ed25519 ${key} alice@laptop`,
      'bob ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ',
      'carol',
      `dave cert-authority ssh-ed25519 ${key}`,
      `erin namespaces="git" ssh-ed25519 ${key}`,
      `gina namespaces="git,pipectl-approval" ssh-ed25519 ${blob(9)}`,
      'frank ssh-ed25519 notbase64!',
    ].join('\n');
    const { signers, issues } = parseAllowedSigners('allowed_signers', text);
    expect(signers.map((s) => [s.principals, s.line])).toEqual([
      [['alice'], 1],
      [['gina'], 6],
    ]);
    expect(issues.map((i) => `${i.code} ${i.span?.line}: ${i.message}`)).toMatchInlineSnapshot(`
      [
        "PIPE2033 2: line 2 of allowed_signers lists a ssh-rsa key; approvals are signed with ssh-ed25519 keys only",
        "PIPE2032 3: line 3 of allowed_signers has no key: "carol"",
        "PIPE2032 4: allowed-signers option "cert-authority" on line 4 is not supported",
        "PIPE2032 7: the key on line 7 of allowed_signers is not a valid ssh-ed25519 public key",
      ]
    `);
  });
});
