// Real SSH ed25519 keys for the signed-approval tests, made by the machine's ssh-keygen (found on
// PATH once, called by absolute path), and an ssh-agent started for a test and stopped by its pid.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../../../test-support/wait.js';

/** Absolute path of a program on PATH, or undefined. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, program);
    if (dir !== '' && existsSync(path)) return path;
  }
  return undefined;
}

export const SSH_KEYGEN = which('ssh-keygen');
export const SSH_AGENT = which('ssh-agent');
export const SSH_ADD = which('ssh-add');

export interface TestKey {
  /** Private key file (OpenSSH, unencrypted). */
  readonly path: string;
  /** The .pub line: `ssh-ed25519 AAAA… comment`. */
  readonly publicLine: string;
  /** `SHA256:…` as ssh-keygen -l prints it. */
  readonly fingerprint: string;
}

export function keyFolder(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-keys-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeKey(dir: string, name: string, type: 'ed25519' | 'rsa' = 'ed25519'): TestKey {
  if (!SSH_KEYGEN) throw new Error('ssh-keygen is not on PATH');
  const path = join(dir, name);
  execFileSync(SSH_KEYGEN, ['-q', '-t', type, '-N', '', '-C', name, '-f', path]);
  const fingerprint =
    execFileSync(SSH_KEYGEN, ['-l', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  return { path, publicLine: readFileSync(`${path}.pub`, 'utf8').trim(), fingerprint };
}

/** A fresh ssh-agent on a socket in `dir` holding `keys`; stop() ends it by its pid. */
export async function startAgent(
  dir: string,
  keys: readonly TestKey[],
): Promise<{ socket: string; stop(): void }> {
  if (!SSH_AGENT || !SSH_ADD) throw new Error('ssh-agent is not on PATH');
  const socket = join(dir, 'agent.sock');
  const agent = spawn(SSH_AGENT, ['-D', '-a', socket], { stdio: 'ignore' });
  await eventually(async () => (existsSync(socket) ? true : undefined), 'ssh-agent to create its socket');
  for (const key of keys)
    execFileSync(SSH_ADD, ['-q', key.path], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  return { socket, stop: () => agent.kill() };
}
