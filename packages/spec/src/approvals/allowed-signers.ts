// The approvers' public keys of a project that requires signed approvals: an allowed-signers file
// in the format git's `gpg.ssh.allowedSignersFile` and `ssh-keygen -Y verify -f` read
// (`alice,bob@example.com ssh-ed25519 AAAAC3Nz… comment`). Pure: text in, signers and issues out.
// Only ed25519 keys sign approvals; the `namespaces="…"` option is honoured, others are refused.
import { createHash } from 'node:crypto';
import type { Issue } from '../issues/issue.js';

/** The namespace approvals are signed in (`ssh-keygen -Y sign -n pipectl-approval`). */
export const APPROVAL_NAMESPACE = 'pipectl-approval';

export interface AllowedSigner {
  /** Who this key signs for: names as the contracts' `approvers` list them. */
  readonly principals: readonly string[];
  /** The SSH public key blob (`string "ssh-ed25519" || string key`), base64, as in the file. */
  readonly publicKey: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** 1-based line of the file. */
  readonly line: number;
}

export interface AllowedSignersResult {
  readonly signers: readonly AllowedSigner[];
  readonly issues: readonly Issue[];
}

/**
 * @example parseAllowedSigners('allowed_signers', 'alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…').signers[0].principals // ['alice']
 */
export function parseAllowedSigners(file: string, text: string): AllowedSignersResult {
  const signers: AllowedSigner[] = [];
  const issues: Issue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const read = readSignerLine({ file, text, raw, trimmed, line: index + 1 });
    if (read === undefined) return;
    if ('code' in read) issues.push(read);
    else signers.push(read);
  });
  return { signers, issues };
}

/** One line of the file, and the file it is in, for the line's issues. */
interface SignerLine {
  readonly file: string;
  readonly text: string;
  readonly raw: string;
  readonly trimmed: string;
  /** 1-based. */
  readonly line: number;
}

/**
 * One non-blank, non-comment line: its signer, the issue that keeps it out, or undefined when its
 * `namespaces` option leaves approvals out.
 */
function readSignerLine(at: SignerLine): AllowedSigner | Issue | undefined {
  const { file, line, trimmed } = at;
  const tokens = tokenize(trimmed);
  const principals = tokens[0] ?? '';
  let rest = tokens.slice(1);
  let namespaces: string[] | undefined;
  if (rest[0] !== undefined && !looksLikeKeyType(rest[0])) {
    const options = readOptions(rest[0], at);
    if ('code' in options) return options;
    namespaces = options.namespaces;
    rest = rest.slice(1);
  }
  const key = readKey(rest[0], rest[1], at);
  if ('code' in key) return key;
  const names = principals.split(',').filter((name) => name !== '');
  if (names.length === 0)
    return lineIssue(
      at,
      'PIPE2032',
      `line ${line} of ${file} names no principal`,
      'alice ssh-ed25519 AAAA…',
      'start the line with the approver name',
    );
  if (namespaces && !namespaces.some((ns) => ns === APPROVAL_NAMESPACE || ns === '*')) return undefined;
  return { principals: names, publicKey: key.base64, fingerprint: sshFingerprint(key.blob), line };
}

/** The line's options: the namespaces it names (the last `namespaces=` wins), or the issue of one pipectl does not read. */
function readOptions(token: string, at: SignerLine): { namespaces: string[] | undefined } | Issue {
  let namespaces: string[] | undefined;
  for (const option of splitOptions(token)) {
    const ns = /^namespaces="([^"]*)"$/i.exec(option);
    if (ns?.[1] === undefined)
      return lineIssue(
        at,
        'PIPE2032',
        `allowed-signers option "${option}" on line ${at.line} is not supported`,
        'no options, or namespaces="pipectl-approval"',
        'remove the option (certificate authorities and validity windows are not read by pipectl)',
      );
    namespaces = ns[1].split(',').map((n) => n.trim());
  }
  return { namespaces };
}

/** The line's ssh-ed25519 key, decoded; or the issue when it is missing, of another type, or not valid. */
function readKey(
  keyType: string | undefined,
  base64: string | undefined,
  at: SignerLine,
): { base64: string; blob: Uint8Array } | Issue {
  const { file, line } = at;
  if (keyType === undefined || base64 === undefined)
    return lineIssue(
      at,
      'PIPE2032',
      `line ${line} of ${file} has no key: "${at.trimmed.slice(0, 80)}"`,
      '<principals> ssh-ed25519 <base64 key> [comment]',
      'copy the public key line from ~/.ssh/id_ed25519.pub after the approver name',
    );
  if (keyType !== 'ssh-ed25519')
    return lineIssue(
      at,
      'PIPE2033',
      `line ${line} of ${file} lists a ${keyType} key; approvals are signed with ssh-ed25519 keys only`,
      'ssh-ed25519',
      'create an ed25519 key with `ssh-keygen -t ed25519` and list its public key',
    );
  const blob = ed25519Blob(base64);
  if (!blob)
    return lineIssue(
      at,
      'PIPE2032',
      `the key on line ${line} of ${file} is not a valid ssh-ed25519 public key`,
      'the base64 text after "ssh-ed25519" in a .pub file',
      "copy the whole key from the approver's ~/.ssh/id_ed25519.pub",
    );
  return { base64, blob };
}

/** An error placed on the whole line. */
function lineIssue(at: SignerLine, code: string, message: string, expected: string, hint: string): Issue {
  const { line, raw } = at;
  return {
    code,
    severity: 'error',
    message,
    file: at.file,
    path: [],
    span: { line, col: 1, endLine: line, endCol: raw.length + 1, offset: offsetOf(at.text, line) },
    expected,
    hint,
  };
}

/** `SHA256:<base64 without padding>` of a public key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The decoded blob when `base64` is exactly `string "ssh-ed25519" || string <32 bytes>`. */
function ed25519Blob(base64: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const blob = Buffer.from(base64, 'base64');
  const type = 'ssh-ed25519';
  if (blob.length !== 4 + type.length + 4 + 32) return undefined;
  if (blob.readUInt32BE(0) !== type.length || blob.toString('latin1', 4, 4 + type.length) !== type)
    return undefined;
  if (blob.readUInt32BE(4 + type.length) !== 32) return undefined;
  return new Uint8Array(blob);
}

function looksLikeKeyType(token: string): boolean {
  return /^(ssh-|ecdsa-|sk-|rsa-)/.test(token);
}

/** Whitespace-separated tokens; double quotes keep spaces (in `namespaces="a,b"`). */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

/** Comma-separated options; commas inside quotes stay. */
function splitOptions(token: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of token) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === ',') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.filter((o) => o !== '');
}

function offsetOf(text: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}
