// Signed approvals: the canonical message a decision signs, and its verification. The signature is
// an SSHSIG (the format of `ssh-keygen -Y sign`, namespace `pipectl-approval`) made with an
// approver's ed25519 key; the keys are the project's allowed signers, carried in the run's plan
// (the revision the run was planned from). Pure and synchronous — an update's validator must
// answer at once, and the workflow sandbox has no node:crypto — so ed25519 and SHA-512 come from
// @noble/curves and @noble/hashes (audited, dependency-free, deterministic JS). See docs/security.md.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { stableJson } from './stable-json.js';

/** The SSHSIG namespace of approvals: `ssh-keygen -Y sign -n pipectl-approval`. */
export const APPROVAL_NAMESPACE = 'pipectl-approval';

/** The fields a signed decision covers: which run, which change, what was decided, by whom, when. */
export interface SignedDecisionFields {
  readonly run: string;
  readonly step: string;
  readonly dataset: string;
  readonly contractVersion: string;
  /** The change fingerprint (PendingApproval.fingerprint). */
  readonly fingerprint: string;
  readonly decision: 'approve' | 'reject';
  readonly by: string;
  readonly comment: string | null;
  /** ISO time the approver signed. */
  readonly signedAt: string;
}

/** A key that may sign, as the plan carries it (spec's AllowedSigner without its line). */
export interface PlanSigner {
  readonly principals: readonly string[];
  /** base64 SSH public key blob. */
  readonly publicKey: string;
  readonly fingerprint: string;
}

export type SignatureVerdict =
  | { readonly ok: true; readonly fingerprint: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The exact text signed: sorted-key JSON with a format tag, one line, UTF-8.
 * @example decisionMessage({ run: 'pipectl-shop-shop_marts-2026-11-22', step: 'daily_revenue', ... })
 * // '{"by":"alice","comment":"ok","contractVersion":"2.0.0",...,"v":"pipectl-decision/1"}'
 */
export function decisionMessage(fields: SignedDecisionFields): string {
  return stableJson({ ...fields, v: 'pipectl-decision/1' });
}

/** The bytes an SSHSIG signs over `message` (PROTOCOL.sshsig: preamble, namespace, hash of the message). */
export function sshsigSignedData(message: string, hashAlgorithm: 'sha512' | 'sha256' = 'sha512'): Uint8Array {
  const digest = (hashAlgorithm === 'sha512' ? sha512 : sha256)(utf8(message));
  return concat([
    ascii('SSHSIG'),
    sshString(ascii(APPROVAL_NAMESPACE)),
    sshString(new Uint8Array(0)),
    sshString(ascii(hashAlgorithm)),
    sshString(digest),
  ]);
}

/** An armored SSHSIG (`-----BEGIN SSH SIGNATURE-----`) of `signedData` made with `publicKey` (the blob). */
export function armorSshsig(publicKey: Uint8Array, signature: Uint8Array): string {
  const sigBlob = concat([sshString(ascii('ssh-ed25519')), sshString(signature)]);
  const body = concat([
    ascii('SSHSIG'),
    uint32(1),
    sshString(publicKey),
    sshString(ascii(APPROVAL_NAMESPACE)),
    sshString(new Uint8Array(0)),
    sshString(ascii('sha512')),
    sshString(sigBlob),
  ]);
  const b64 = toBase64(body);
  const lines = b64.match(/.{1,70}/g) ?? [];
  return ['-----BEGIN SSH SIGNATURE-----', ...lines, '-----END SSH SIGNATURE-----'].join('\n');
}

/**
 * Checks that `signature` (armored SSHSIG) signs `message` in the approval namespace with a key
 * the allowed signers list for `by`. Never throws: a bad signature is a reason.
 * @example verifyDecisionSignature({ message, signature, by: 'alice', signers: plan.signatures.signers })
 * // { ok: true, fingerprint: 'SHA256:…' }
 */
export function verifyDecisionSignature(args: {
  readonly message: string;
  readonly signature: string;
  readonly by: string;
  readonly signers: readonly PlanSigner[];
}): SignatureVerdict {
  const refuse = (reason: string): SignatureVerdict => ({
    ok: false,
    reason: `signature refused: ${reason}`,
  });
  const body = dearmor(args.signature);
  if (!body)
    return refuse(
      'not an SSH signature (expected "-----BEGIN SSH SIGNATURE-----" … as `pipectl approve --print` prints it)',
    );
  const reader = new Reader(body);
  const fields = (() => {
    try {
      if (latin1(reader.bytes(6)) !== 'SSHSIG') return undefined;
      const version = reader.uint32();
      const publicKey = reader.string();
      const namespace = latin1(reader.string());
      reader.string(); // reserved
      const hash = latin1(reader.string());
      const sig = new Reader(reader.string());
      const sigType = latin1(sig.string());
      const sigBytes = sig.string();
      return { version, publicKey, namespace, hash, sigType, sigBytes, rest: reader.left() + sig.left() };
    } catch {
      return undefined;
    }
  })();
  if (fields?.rest !== 0) return refuse('the SSH signature is truncated or malformed');
  if (fields.version !== 1) return refuse(`SSHSIG version ${fields.version} is not supported`);
  if (fields.namespace !== APPROVAL_NAMESPACE) {
    return refuse(`signed in namespace "${fields.namespace}", not "${APPROVAL_NAMESPACE}"`);
  }
  if (fields.hash !== 'sha512' && fields.hash !== 'sha256')
    return refuse(`hash "${fields.hash}" is not supported`);
  if (fields.sigType !== 'ssh-ed25519' || fields.sigBytes.length !== 64)
    return refuse('only ssh-ed25519 signatures are accepted');
  const key = new Reader(fields.publicKey);
  let raw: Uint8Array;
  try {
    if (latin1(key.string()) !== 'ssh-ed25519') return refuse('only ssh-ed25519 keys are accepted');
    raw = key.string();
  } catch {
    return refuse('the public key in the signature is malformed');
  }
  if (raw.length !== 32 || key.left() !== 0) return refuse('the public key in the signature is malformed');
  const blob64 = toBase64(fields.publicKey);
  const signer = args.signers.find((s) => s.publicKey === blob64);
  if (!signer)
    return refuse('signed with a key that is not in the allowed-signers file of the planned revision');
  if (!signer.principals.includes(args.by)) {
    return refuse(
      `key ${signer.fingerprint} signs for ${signer.principals.join(', ')}, not for "${args.by}"`,
    );
  }
  let valid = false;
  try {
    valid = ed25519.verify(fields.sigBytes, sshsigSignedData(args.message, fields.hash), raw, {
      zip215: false,
    });
  } catch {
    valid = false;
  }
  if (!valid) {
    return refuse(
      `the signature by key ${signer.fingerprint} does not match this decision (run, step, dataset, contract version, fingerprint, decision, comment and signedAt must be exactly as signed)`,
    );
  }
  return { ok: true, fingerprint: signer.fingerprint };
}

class Reader {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}
  bytes(n: number): Uint8Array {
    if (this.at + n > this.data.length) throw new RangeError('truncated');
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  uint32(): number {
    const b = this.bytes(4);
    return ((b[0] ?? 0) * 2 ** 24 + (((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0))) >>> 0;
  }
  string(): Uint8Array {
    return this.bytes(this.uint32());
  }
  left(): number {
    return this.data.length - this.at;
  }
}

function dearmor(text: string): Uint8Array | undefined {
  const match = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(text);
  if (!match?.[1]) return undefined;
  return fromBase64(match[1].replace(/\s+/g, ''));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64 without atob/Buffer, which the workflow sandbox may lack. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const clean = text.replace(/=+$/, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    buffer = (buffer << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 255);
    }
  }
  return Uint8Array.from(out);
}

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63];
    out += ALPHABET[(n >> 12) & 63];
    out += b === undefined ? '=' : ALPHABET[(n >> 6) & 63];
    out += c === undefined ? '=' : ALPHABET[n & 63];
  }
  return out;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 255);
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else
      out.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
  }
  return Uint8Array.from(out);
}

function uint32(n: number): Uint8Array {
  return Uint8Array.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function sshString(bytes: Uint8Array): Uint8Array {
  return concat([uint32(bytes.length), bytes]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** How far a signature's `signedAt` may lie outside the wait (clocks of approvers' machines differ). */
const CLOCK_SKEW_MS = 10 * 60_000;

/** What a decision's signature proved, as the run records it with the decision and the published version. */
export interface DecisionSignature {
  /** `SHA256:…` of the approver's key. */
  readonly fingerprint: string;
  readonly signedAt: string;
  /** The armored SSHSIG, so anyone can check it again with `ssh-keygen -Y verify`. */
  readonly signature: string;
  /** The exact message signed (decisionMessage). */
  readonly message: string;
}

/**
 * The gate's signature check for a run that requires signed approvals: the payload must carry
 * `signedAt` and `signature`, signed over this run, this waiting change and this decision.
 * @example judgeSignature({ runId, kind: 'approve', input, pending, signers, now: Date.now() })
 */
export function judgeSignature(args: {
  readonly runId: string;
  readonly kind: 'approve' | 'reject';
  readonly input: {
    readonly by: string;
    readonly comment?: string | undefined;
    readonly signedAt?: string | undefined;
    readonly signature?: string | undefined;
  };
  readonly pending: {
    readonly step: string;
    readonly dataset: string;
    readonly fingerprint: string;
    readonly since: string;
    readonly compatibility: { readonly toVersion: string };
  };
  readonly signers: readonly PlanSigner[];
  readonly now: number;
}): { ok: true; signature: DecisionSignature } | { ok: false; reason: string } {
  const { input, pending } = args;
  if (input.signature === undefined || input.signedAt === undefined) {
    return {
      ok: false,
      reason: `this project requires signed approvals: "${input.by}" sent an unsigned decision; sign it with \`pipectl ${args.kind} ${args.runId} --as ${input.by}\` (or paste the JSON of \`--print\`)`,
    };
  }
  const signedAt = Date.parse(input.signedAt);
  if (Number.isNaN(signedAt) || new Date(signedAt).toISOString() !== input.signedAt) {
    return {
      ok: false,
      reason: `signature refused: "signedAt" must be an ISO time like 2026-12-03T09:00:00.000Z, not "${input.signedAt}"`,
    };
  }
  if (signedAt < Date.parse(pending.since) - CLOCK_SKEW_MS || signedAt > args.now + CLOCK_SKEW_MS) {
    return {
      ok: false,
      reason: `signature refused: signed at ${input.signedAt}, outside this wait (since ${pending.since}); sign the decision again`,
    };
  }
  const message = decisionMessage({
    run: args.runId,
    step: pending.step,
    dataset: pending.dataset,
    contractVersion: pending.compatibility.toVersion,
    fingerprint: pending.fingerprint,
    decision: args.kind,
    by: input.by,
    comment: input.comment ?? null,
    signedAt: input.signedAt,
  });
  const verdict = verifyDecisionSignature({
    message,
    signature: input.signature,
    by: input.by,
    signers: args.signers,
  });
  if (!verdict.ok) return verdict;
  return {
    ok: true,
    signature: {
      fingerprint: verdict.fingerprint,
      signedAt: input.signedAt,
      signature: input.signature,
      message,
    },
  };
}
