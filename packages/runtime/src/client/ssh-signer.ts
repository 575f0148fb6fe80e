// Where `pipectl approve` gets the approver's SSH ed25519 key: an OpenSSH private key file
// (`--key`; unencrypted — an encrypted one goes through ssh-agent) or ssh-agent (SSH_AUTH_SOCK).
// Both formats are small and fully specified (OpenSSH's PROTOCOL.key and the agent protocol,
// draft-miller-ssh-agent), and only ed25519 is needed, so they are read here rather than through
// a general SSH library; Node's crypto signs once the key is a KeyObject. See docs/security.md.
import { createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { sshFingerprint } from '@pipectl/spec';
import { SigningError } from './run-errors.js';

export interface SshSigner {
  /** The SSH public key blob (`string "ssh-ed25519" || string key`). */
  readonly publicKey: Uint8Array;
  /** `SHA256:…` of the public key. */
  readonly fingerprint: string;
  /** Where the key came from, for messages (`key file ~/.ssh/id_ed25519`, `ssh-agent`). */
  readonly source: string;
  /** The raw 64-byte ed25519 signature of `data`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const ED25519 = 'ssh-ed25519';

/**
 * @example const signer = await keyFileSigner('/home/alice/.ssh/id_ed25519');
 */
export async function keyFileSigner(path: string): Promise<SshSigner> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SigningError(
      'PIPE6021',
      `cannot read the key file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const bad = (why: string) => new SigningError('PIPE6021', `${path} is not a usable signing key: ${why}`);
  const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!match?.[1]) {
    throw bad(
      text.includes('BEGIN')
        ? 'expected an OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----")'
        : 'expected a private key file, e.g. ~/.ssh/id_ed25519 (not the .pub file)',
    );
  }
  const r = new Reader(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
  let seed: Buffer;
  let pub: Buffer;
  let blob: Buffer;
  try {
    if (r.bytes(15).toString('latin1') !== 'openssh-key-v1\0') throw bad('not an openssh-key-v1 key');
    const cipher = r.string().toString('latin1');
    r.string(); // kdf name
    r.string(); // kdf options
    if (cipher !== 'none')
      throw bad(
        'the key is encrypted with a passphrase: load it into ssh-agent (`ssh-add`) and leave out --key',
      );
    if (r.uint32() !== 1) throw bad('the file holds several keys');
    blob = r.string();
    const p = new Reader(r.string());
    const check = p.uint32();
    if (check !== p.uint32()) throw bad('the key file is corrupt (check bytes differ)');
    const type = p.string().toString('latin1');
    if (type !== ED25519)
      throw bad(`it is a ${type} key; approvals are signed with ed25519 keys (\`ssh-keygen -t ed25519\`)`);
    pub = p.string();
    const priv = p.string();
    if (pub.length !== 32 || priv.length !== 64) throw bad('the ed25519 key has the wrong length');
    seed = priv.subarray(0, 32);
  } catch (error) {
    if (error instanceof SigningError) throw error;
    throw bad('the key file is truncated or malformed');
  }
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: pub.toString('base64url') },
    format: 'jwk',
  });
  return {
    publicKey: new Uint8Array(blob),
    fingerprint: sshFingerprint(blob),
    source: `key file ${path}`,
    sign: async (data) => new Uint8Array(sign(null, data, key)),
  };
}

/**
 * The ed25519 keys ssh-agent holds, each a signer that asks the agent to sign.
 * @example const [signer] = await agentSigners(process.env.SSH_AUTH_SOCK);
 */
export async function agentSigners(socket: string | undefined): Promise<SshSigner[]> {
  if (!socket)
    throw new SigningError('PIPE6020', 'no --key given and SSH_AUTH_SOCK is not set (no ssh-agent)');
  const answer = await agentRequest(socket, 11, Buffer.alloc(0));
  if (answer.type !== 12)
    throw new SigningError(
      'PIPE6022',
      `ssh-agent at ${socket} did not list its keys (answer ${answer.type})`,
    );
  const r = new Reader(answer.body);
  const count = r.uint32();
  const signers: SshSigner[] = [];
  for (let i = 0; i < count; i++) {
    const blob = r.string();
    r.string(); // comment
    if (new Reader(blob).string().toString('latin1') !== ED25519) continue;
    signers.push({
      publicKey: new Uint8Array(blob),
      fingerprint: sshFingerprint(blob),
      source: 'ssh-agent',
      sign: async (data) => {
        const body = Buffer.concat([sshString(blob), sshString(Buffer.from(data)), uint32(0)]);
        const response = await agentRequest(socket, 13, body);
        if (response.type !== 14)
          throw new SigningError('PIPE6022', `ssh-agent refused to sign with ${sshFingerprint(blob)}`);
        const sig = new Reader(new Reader(response.body).string());
        if (sig.string().toString('latin1') !== ED25519)
          throw new SigningError('PIPE6022', 'ssh-agent answered with a signature that is not ed25519');
        return new Uint8Array(sig.string());
      },
    });
  }
  return signers;
}

/** One request to the agent: `uint32 length || byte type || body`, and its answer. */
function agentRequest(socket: string, type: number, body: Buffer): Promise<{ type: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    const chunks: Buffer[] = [];
    const fail = (why: string) => {
      conn.destroy();
      reject(new SigningError('PIPE6022', `ssh-agent at ${socket}: ${why}`));
    };
    conn.setTimeout(10_000, () => fail('no answer within 10 s'));
    conn.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    conn.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length < 4) return;
      const length = all.readUInt32BE(0);
      if (length > 256 * 1024) return fail('answer too large');
      if (all.length < 4 + length) return;
      conn.end();
      resolve({ type: all[4] ?? 0, body: all.subarray(5, 4 + length) });
    });
    conn.on('connect', () => {
      conn.write(Buffer.concat([uint32(body.length + 1), Buffer.from([type]), body]));
    });
  });
}

class Reader {
  private at = 0;
  constructor(private readonly data: Buffer) {}
  bytes(n: number): Buffer {
    if (this.at + n > this.data.length) throw new RangeError('truncated');
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(bytes: Buffer): Buffer {
  return Buffer.concat([uint32(bytes.length), bytes]);
}
