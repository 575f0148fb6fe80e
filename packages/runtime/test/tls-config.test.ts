// TLS to a Temporal cluster from a target's `temporal.tls`: PEMs from files (relative to the
// project) or from environment variables, into the SDK's TLSConfig; what cannot be read is
// PIPE6011 naming the field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemporalTlsError, tlsConfigOf } from '../src/client/tls-config.js';

describe('tlsConfigOf', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pipectl-tls-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the CA from a file relative to the project, and the client pair from the environment', () => {
    const tls = tlsConfigOf(
      { serverName: 'temporal.internal', caFile: 'ca.pem', certEnv: 'CERT', keyEnv: 'KEY' },
      dir,
      {
        CERT: 'CERT PEM',
        KEY: 'KEY PEM',
      },
    );
    expect({
      serverNameOverride: tls.serverNameOverride,
      ca: Buffer.from(tls.serverRootCACertificate ?? []).toString(),
      crt: Buffer.from(tls.clientCertPair?.crt ?? []).toString(),
      key: Buffer.from(tls.clientCertPair?.key ?? []).toString(),
    }).toEqual({ serverNameOverride: 'temporal.internal', ca: 'CA PEM', crt: 'CERT PEM', key: 'KEY PEM' });
  });

  it('is plain TLS (the system roots) when nothing is given', () => {
    expect(tlsConfigOf({}, dir, {})).toEqual({});
  });

  it.each([
    [{ caFile: 'missing.pem' }, {}, /^temporal\.tls\.caFile: cannot read .*missing\.pem: ENOENT/],
    [
      { certEnv: 'CERT', keyEnv: 'KEY' },
      { KEY: 'k' },
      /^temporal\.tls\.certEnv: cannot read the environment variable CERT: it is not set/,
    ],
    [{ certEnv: 'CERT' }, { CERT: 'c' }, /^temporal\.tls\.keyFile: .*needs both the certificate and its key/],
  ])('refuses %j with PIPE6011 naming the field', (tls, env, message) => {
    let error: unknown;
    try {
      tlsConfigOf(tls, dir, env);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TemporalTlsError);
    expect((error as TemporalTlsError).code).toBe('PIPE6011');
    expect((error as Error).message).toMatch(message);
  });
});
