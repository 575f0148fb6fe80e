// TLS (mTLS) to a Temporal cluster, from a target's `temporal.tls` (resolved: `${VAR}`s filled):
// certificates read from files, or PEMs taken from environment variables (`caEnv`, `certEnv`,
// `keyEnv`), into the SDK's TLSConfig. The client and the worker connect with the same one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Environment, TemporalTls } from '@pipectl/spec';
import { PipectlError } from '@pipectl/spec/lite';
import type { TLSConfig } from '@temporalio/client';

/** PIPE6011: a certificate or key the TLS settings name cannot be read. */
export class TemporalTlsError extends PipectlError {
  constructor(
    readonly field: string,
    readonly source: string,
    reason: string,
  ) {
    super(
      'PIPE6011',
      `temporal.tls.${field}: cannot read ${source}: ${reason}; give a readable PEM file, or the name of an environment variable holding the PEM (${field.replace(/File$/, 'Env')})`,
    );
  }
}

/**
 * The SDK's TLS settings; relative files are read from `baseDir`.
 * @example tlsConfigOf({ caFile: 'certs/ca.pem', certEnv: 'TEMPORAL_CERT', keyEnv: 'TEMPORAL_KEY' }, '/srv/shop')
 */
export function tlsConfigOf(tls: TemporalTls, baseDir: string, env: Environment = process.env): TLSConfig {
  const pem = (name: 'ca' | 'cert' | 'key'): Uint8Array | undefined => {
    const file = tls[`${name}File`];
    const variable = tls[`${name}Env`];
    if (variable !== undefined) {
      const value = env[variable];
      if (value === undefined || value === '')
        throw new TemporalTlsError(`${name}Env`, `the environment variable ${variable}`, 'it is not set');
      return Buffer.from(value);
    }
    if (file === undefined) return undefined;
    try {
      return readFileSync(resolve(baseDir, file));
    } catch (error) {
      throw new TemporalTlsError(
        `${name}File`,
        resolve(baseDir, file),
        error instanceof Error ? error.message : String(error),
      );
    }
  };
  const ca = pem('ca');
  const crt = pem('cert');
  const key = pem('key');
  if ((crt === undefined) !== (key === undefined)) {
    throw new TemporalTlsError(
      crt === undefined ? 'certFile' : 'keyFile',
      'the client certificate pair',
      'mTLS needs both the certificate and its key',
    );
  }
  return {
    ...(tls.serverName !== undefined ? { serverNameOverride: tls.serverName } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
}
