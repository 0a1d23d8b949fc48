import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate, ownPostgres, type PostgresHandle, type SelfSignedCertificate } from '@maintwatch/testing';
import { createDataSource, type StoreOptions } from './data-source';
import { DatabaseTlsConfigError } from './errors';

// A real PostgreSQL serving TLS with a test certificate for "localhost" (its own CA), and a second,
// unrelated CA: what DATABASE_CA_FILE, the URL's sslmode and DATABASE_TLS_INSECURE let through.

let dir: string;
let server: SelfSignedCertificate;
let otherCa: SelfSignedCertificate;
let pg: PostgresHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-tls-'));
  chmodSync(dir, 0o755);
  server = await createSelfSignedCertificate(dir, { names: ['localhost'], basename: 'server' });
  otherCa = await createSelfSignedCertificate(dir, { names: ['localhost'], basename: 'other' });
  // PostgreSQL reads its key only when the cluster's owner owns it with mode 0600.
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(server.keyFile, uid, -1);
  }
  chmodSync(server.keyFile, 0o600);
  pg = await ownPostgres({ settings: { ssl: 'on', ssl_cert_file: server.certFile, ssl_key_file: server.keyFile } });
});

afterAll(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Connects with these options and says whether the session runs over TLS. */
async function connect(options: Omit<StoreOptions, 'url'> & { host?: string; query?: string }): Promise<boolean> {
  const url = `postgres://postgres@${options.host ?? 'localhost'}:${pg.port}/postgres${options.query ?? ''}`;
  const ds = createDataSource({ ...options, url, connectTimeoutMs: 5000 });
  await ds.initialize();
  try {
    const rows: { ssl: boolean }[] = await ds.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
    return rows[0]?.ssl === true;
  } finally {
    await ds.destroy();
  }
}

describe('PostgreSQL TLS', () => {
  it('postgres tls - connects verified with DATABASE_CA_FILE, even when the URL says sslmode=require', async () => {
    expect(await connect({ caFile: server.certFile })).toBe(true);
    expect(await connect({ caFile: server.certFile, query: '?sslmode=require' })).toBe(true);
    expect(await connect({ caFile: server.certFile, query: '?sslmode=verify-full&application_name=x' })).toBe(true);
  });

  it('postgres tls - refuses a server whose certificate another CA signed', async () => {
    await expect(connect({ caFile: otherCa.certFile })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    // The URL's sslrootcert is taken as the CA as well, and verified the same way.
    await expect(connect({ query: `?sslmode=verify-full&sslrootcert=${otherCa.certFile}` })).rejects.toThrow(/certificate/i);
  });

  it('postgres tls - refuses a certificate that does not name the host connected to', async () => {
    await expect(connect({ caFile: server.certFile, host: '127.0.0.1' })).rejects.toThrow(/altnames|Hostname|IP/i);
    // verify-ca checks the chain only, as libpq does.
    expect(await connect({ caFile: server.certFile, host: '127.0.0.1', query: '?sslmode=verify-ca' })).toBe(true);
  });

  it('postgres tls - refuses sslmode=no-verify unless DATABASE_TLS_INSECURE', async () => {
    expect(() => createDataSource({ url: `postgres://postgres@localhost:${pg.port}/postgres?sslmode=no-verify` })).toThrow(DatabaseTlsConfigError);
    expect(() => createDataSource({ url: `postgres://postgres@localhost:${pg.port}/postgres?ssl=no-verify` })).toThrow(/DATABASE_TLS_INSECURE/);
    expect(await connect({ query: '?sslmode=no-verify', tlsInsecure: true })).toBe(true);
  });

  it('postgres tls - plaintext when neither the URL nor a CA asks for TLS', async () => {
    expect(await connect({ host: '127.0.0.1' })).toBe(false);
    expect(() => createDataSource({ url: `postgres://postgres@localhost:${pg.port}/postgres?sslmode=disable`, caFile: server.certFile })).toThrow(/sslmode=disable/);
  });
});
