// Signing a decision on the client (`pipectl approve` with signed approvals): the canonical message
// of decision-signature.ts, signed by the approver's SSH key as an SSHSIG the run verifies.
import {
  armorSshsig,
  decisionMessage,
  type PlanSigner,
  sshsigSignedData,
} from '../workflows/decision-signature.js';
import type { DecisionInput, PendingApproval } from '../workflows/run-types.js';
import { SigningError } from './run-errors.js';
import { agentSigners, keyFileSigner, type SshSigner } from './ssh-signer.js';

/**
 * The decision with `signedAt` and an armored SSHSIG `signature`, ready to send or to paste into
 * the web UI's Signal form.
 * @example const signed = await signDecision({ runId, kind: 'approve', input, pending, signer, now: new Date() });
 */
export async function signDecision(args: {
  readonly runId: string;
  readonly kind: 'approve' | 'reject';
  readonly input: DecisionInput;
  readonly pending: PendingApproval;
  readonly signer: SshSigner;
  readonly now: Date;
}): Promise<DecisionInput> {
  const { runId, kind, input, pending, signer } = args;
  const signedAt = args.now.toISOString();
  const message = decisionMessage({
    run: runId,
    step: pending.step,
    dataset: pending.dataset,
    contractVersion: pending.compatibility.toVersion,
    fingerprint: pending.fingerprint,
    decision: kind,
    by: input.by,
    comment: input.comment ?? null,
    signedAt,
  });
  const signature = await signer.sign(sshsigSignedData(message));
  return {
    by: input.by,
    ...(input.comment !== undefined ? { comment: input.comment } : {}),
    step: pending.step,
    fingerprint: pending.fingerprint,
    signedAt,
    signature: armorSshsig(signer.publicKey, signature),
  };
}

/**
 * The key to sign with: the key file when given, else the ssh-agent key the run's allowed signers
 * list for `by` (or the agent's only ed25519 key).
 */
export async function chooseSigner(args: {
  readonly keyFile?: string | undefined;
  readonly agentSocket?: string | undefined;
  readonly by: string;
  readonly signers: readonly PlanSigner[];
}): Promise<SshSigner> {
  if (args.keyFile !== undefined) return keyFileSigner(args.keyFile);
  const held = await agentSigners(args.agentSocket);
  const listed = args.signers.filter((s) => s.principals.includes(args.by)).map((s) => s.fingerprint);
  const mine = held.find((k) => listed.includes(k.fingerprint));
  if (mine) return mine;
  if (listed.length > 0 || held.length !== 1) {
    throw new SigningError(
      'PIPE6020',
      held.length === 0
        ? 'ssh-agent holds no ed25519 key: add yours with `ssh-add ~/.ssh/id_ed25519`, or pass --key'
        : `ssh-agent holds no key listed for "${args.by}" in the allowed-signers file${listed.length ? ` (listed: ${listed.join(', ')})` : ''}; agent keys: ${held.map((k) => k.fingerprint).join(', ')}`,
    );
  }
  return held[0] as SshSigner;
}
