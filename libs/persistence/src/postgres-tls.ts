import { readFileSync } from 'node:fs';
import { DatabaseTlsConfigError } from './errors';

/** The node:tls options pg is given (the ones both pg and TypeORM type alike). */
export interface PostgresTlsConnection {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  checkServerIdentity?: () => undefined;
}

/** What pg is given as `ssl`: false for plaintext, else the TLS options. */
export type PostgresTlsOptions = false | PostgresTlsConnection;

/** Where TLS settings come from besides the URL. */
export interface PostgresTlsSettings {
  /** PEM file of the CA to trust (DATABASE_CA_FILE); turns TLS on by itself. */
  caFile?: string;
  /** Allow sslmode=no-verify / ssl=no-verify (DATABASE_TLS_INSECURE). */
  insecure?: boolean;
}

// The URL parameters pg-connection-string turns into TLS options. They override the options pg
// is given next to the URL (so a `sslmode=require` copied from a provider's console would replace
// a private CA, and `sslmode=no-verify` would silently turn verification off): each is removed from
// the URL and decided here instead.
const TLS_PARAMETERS = ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat', 'sslcompat'] as const;

type Mode = 'disable' | 'verify-full' | 'verify-ca' | 'no-verify' | undefined;

function modeOf(params: URLSearchParams): Mode {
  const sslmode = params.get('sslmode')?.trim().toLowerCase();
  const ssl = params.get('ssl')?.trim().toLowerCase();
  let mode: Mode;
  switch (sslmode) {
    case undefined:
    case '':
      break;
    case 'disable':
      mode = 'disable';
      break;
    // pg never falls back to plaintext, and "require" means verified TLS in pg (libpq would not
    // check the certificate): both are taken as the safe reading, verify-full.
    case 'require':
    case 'verify-full':
      mode = 'verify-full';
      break;
    case 'verify-ca':
      mode = 'verify-ca';
      break;
    case 'no-verify':
      mode = 'no-verify';
      break;
    case 'prefer':
    case 'allow':
      throw new DatabaseTlsConfigError(
        `sslmode=${sslmode} is not supported (it would accept an unverified or plaintext connection): use sslmode=disable or sslmode=verify-full`,
      );
    default:
      throw new DatabaseTlsConfigError(`sslmode=${sslmode} is not a PostgreSQL sslmode (disable, require, verify-ca, verify-full, no-verify)`);
  }
  if (ssl === undefined || ssl === '') return mode;
  const fromSsl: Mode = ssl === 'true' || ssl === '1' ? 'verify-full' : ssl === 'false' || ssl === '0' ? 'disable' : ssl === 'no-verify' ? 'no-verify' : undefined;
  if (fromSsl === undefined) throw new DatabaseTlsConfigError(`ssl=${ssl} in the URL is not true, false or no-verify`);
  if (mode !== undefined && mode !== fromSsl) throw new DatabaseTlsConfigError(`the URL's sslmode=${sslmode} and ssl=${ssl} contradict each other; keep one`);
  return fromSsl;
}

function readPem(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new DatabaseTlsConfigError(`${what} ${file} cannot be read (${code})`, { cause: err });
  }
}

/**
 * Decides PostgreSQL's TLS from the URL's parameters and `settings`, and returns the URL without
 * them. TLS is on when the URL asks for it (sslmode=require|verify-ca|verify-full, ssl=true) or a CA
 * file is given, and then verifies the server's certificate and host name (verify-full) against the
 * CA file (or sslrootcert, else the system's CAs). verify-ca checks the chain but not the name, as
 * libpq does. sslmode=no-verify is refused unless `settings.insecure`. Throws DatabaseTlsConfigError.
 */
export function postgresTls(url: string, settings: PostgresTlsSettings = {}): { url: string; ssl: PostgresTlsOptions } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new DatabaseTlsConfigError('the PostgreSQL URL cannot be parsed', { cause: err });
  }
  const params = parsed.searchParams;
  const mode = modeOf(params);
  const rootCert = params.get('sslrootcert') ?? undefined;
  const cert = params.get('sslcert') ?? undefined;
  const key = params.get('sslkey') ?? undefined;
  for (const name of TLS_PARAMETERS) params.delete(name);
  const stripped = parsed.toString();

  if (mode === 'disable') {
    if (settings.caFile) throw new DatabaseTlsConfigError('DATABASE_CA_FILE is set but the URL says sslmode=disable; remove one');
    return { url: stripped, ssl: false };
  }
  if (mode === 'no-verify' && !settings.insecure) {
    throw new DatabaseTlsConfigError(
      'the URL asks for TLS without verifying the server (no-verify); give the server\'s CA in DATABASE_CA_FILE instead, or set DATABASE_TLS_INSECURE=true to accept an unverified server',
    );
  }
  if (mode === undefined && !settings.caFile && !rootCert) return { url: stripped, ssl: false };
  if (settings.caFile && rootCert && rootCert !== settings.caFile) {
    throw new DatabaseTlsConfigError(`DATABASE_CA_FILE and the URL's sslrootcert=${rootCert} name different CAs; keep one`);
  }
  if ((cert === undefined) !== (key === undefined)) throw new DatabaseTlsConfigError('the URL gives sslcert without sslkey (or the reverse); a client certificate needs both');

  const caFile = settings.caFile ?? (rootCert === 'system' ? undefined : rootCert);
  const ssl: PostgresTlsConnection = { rejectUnauthorized: mode !== 'no-verify' };
  if (caFile) ssl.ca = readPem(settings.caFile ? 'DATABASE_CA_FILE' : 'sslrootcert', caFile);
  if (cert && key) {
    ssl.cert = readPem('sslcert', cert);
    ssl.key = readPem('sslkey', key);
  }
  // Chain checked, name not: what libpq's verify-ca means (the default check is verify-full).
  if (mode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
  return { url: stripped, ssl };
}

/** The reason `postgresTls` refuses these settings, or undefined when they are fine (for config validation). */
export function postgresTlsProblem(url: string, settings: PostgresTlsSettings = {}): string | undefined {
  try {
    postgresTls(url, settings);
    return undefined;
  } catch (err) {
    if (err instanceof DatabaseTlsConfigError) return err.message;
    throw err;
  }
}

/** The database variables an app's config validates together (see checkDatabaseTls). */
export interface DatabaseEnv {
  DATABASE_URL: string;
  DATABASE_CA_FILE?: string;
  DATABASE_TLS_INSECURE: boolean;
}

/**
 * A config refinement (zod's superRefine): reports on DATABASE_URL why its TLS settings are
 * refused, so a service stops at start with a config error instead of retrying a bad connection.
 */
export function checkDatabaseTls(config: DatabaseEnv, ctx: { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void }): void {
  const problem = postgresTlsProblem(config.DATABASE_URL, { caFile: config.DATABASE_CA_FILE, insecure: config.DATABASE_TLS_INSECURE });
  if (problem) ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: problem });
}
