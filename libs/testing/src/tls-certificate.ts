import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findBinary, run } from './child-process';

/** A self-signed certificate and its key, as PEM files (the certificate doubles as the CA to trust). */
export interface SelfSignedCertificate {
  /** PEM certificate: give it to clients as their trusted CA. */
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate's PEM text. */
  readonly certPem: string;
}

/**
 * Makes a fresh self-signed certificate (EC P-256, CA:TRUE, valid 2 days) in `dir`, for `localhost`
 * and 127.0.0.1 unless other names are given. Uses the openssl command line, which Debian ships
 * with every TLS server we start; key generation takes a few milliseconds.
 */
export async function createSelfSignedCertificate(
  dir: string,
  options: { names?: readonly string[]; basename?: string } = {},
): Promise<SelfSignedCertificate> {
  const openssl = findBinary('openssl', 'openssl');
  const names = options.names ?? ['localhost', '127.0.0.1'];
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const base = options.basename ?? 'tls';
  const certFile = join(dir, `${base}-cert.pem`);
  const keyFile = join(dir, `${base}-key.pem`);
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    `/CN=${names[0] ?? 'localhost'}`,
    '-addext',
    `subjectAltName=${san}`,
  ]);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}
