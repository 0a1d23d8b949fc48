import { readFile } from 'node:fs/promises';
import { FtpSrv } from 'ftp-srv';
import { freePort, makeTempDir, removeDir } from './child-process';
import { createSelfSignedCertificate, type SelfSignedCertificate } from './tls-certificate';

/** A real FTP server in this process (ftp-srv), with one login and a temp root. */
export interface FtpServerHandle {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The directory uploads land in. */
  readonly root: string;
  /** With `tls`: the self-signed certificate to trust (explicit FTPS, AUTH TLS). */
  readonly certificate?: SelfSignedCertificate;
  /** Logins refused so far (wrong user or password). */
  readonly refusedLogins: number;
  stop(): Promise<void>;
}

const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => quiet };
function noop(): void {
  // ftp-srv logs through a bunyan-style logger; the tests do not want its lines.
}

/** Starts ftp-srv on a free loopback port; `tls` offers AUTH TLS with a self-signed certificate. */
export async function startFtpServer(options: { user?: string; password?: string; tls?: boolean } = {}): Promise<FtpServerHandle> {
  const user = options.user ?? 'jtac';
  const password = options.password ?? 'jtac-upload-pw';
  const root = await makeTempDir('ftp-root-');
  const certificate = options.tls ? await createSelfSignedCertificate(root, { basename: '.tls' }) : undefined;
  const port = await freePort();
  // Passive ports: a random window, so parallel test files do not reach for the same ones.
  const pasvMin = 41000 + Math.floor(Math.random() * 20000);
  const srv = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: pasvMin,
    pasv_max: pasvMin + 200,
    anonymous: false,
    greeting: 'maintwatch test FTP',
    log: quiet,
    tls: certificate ? { key: await readFile(certificate.keyFile), cert: await readFile(certificate.certFile) } : false,
  } as ConstructorParameters<typeof FtpSrv>[0]);
  let refused = 0;
  srv.on('login', ({ username, password: given }, resolve, reject) => {
    if (username === user && given === password) return resolve({ root });
    refused++;
    reject(new Error('Not logged in'));
  });
  await srv.listen();
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    root,
    certificate,
    get refusedLogins() {
      return refused;
    },
    stop: async () => {
      await srv.close();
      await removeDir(root);
    },
  };
}
