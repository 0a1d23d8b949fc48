// Dovecot with the features a mail-ingest test needs beyond plaintext IMAP: TLS with a
// self-signed certificate the client trusts as its CA, OAuth2 logins (XOAUTH2 / OAUTHBEARER)
// checked by Dovecot's own oauth2 passdb against a token-introspection endpoint, and a UIDVALIDITY
// change as a server does after losing its index. Kept apart from dovecot.ts so that the plain
// server stays as small as it is; the process handling is the same (child-process.ts).
import { ImapFlow } from 'imapflow';
import { chown, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { basename, join } from 'node:path';
import {
  findBinary,
  freePort,
  makeTempDir,
  onFreePort,
  onSamePort,
  PortTakenError,
  Reaper,
  removeDir,
  run,
  saysPortTaken,
  ServerProcess,
  shellQuote,
  sleep,
} from './child-process';
import type { DovecotHandle, DovecotUser } from './dovecot';
import { ServiceStartError } from './errors';
import type { RestartOptions } from './service';
import { createSelfSignedCertificate, type SelfSignedCertificate } from './tls-certificate';

const MAIL_UID = 65534;

/** Options of startExtendedDovecot(). */
export interface ExtendedDovecotOptions {
  /** Accounts (passwords work for PLAIN/LOGIN; default one account `test` / `test`). */
  users?: readonly DovecotUser[];
  /**
   * Serve TLS with a fresh self-signed certificate (`caFile`): STARTTLS on `port`, where plaintext
   * logins are refused, and implicit TLS on `tlsPort`.
   */
  tls?: boolean;
  /**
   * Accept OAuth2 access tokens, checked by Dovecot's oauth2 passdb with an RFC 7662 POST to
   * `introspectionUrl` (the answer's `username` must be the account, `active` must be true).
   */
  oauth2?: { introspectionUrl: string; mechanisms?: readonly ('xoauth2' | 'oauthbearer')[] };
}

/** A private Dovecot with TLS and/or OAuth2 logins, and a way to change a mailbox's UIDVALIDITY. */
export interface ExtendedDovecotHandle extends DovecotHandle {
  /** Implicit-TLS port (IMAPS), when started with `tls`. */
  readonly tlsPort: number | undefined;
  /** The self-signed certificate to trust as CA, when started with `tls`. */
  readonly certificate: SelfSignedCertificate | undefined;
  /**
   * Gives `mailbox` a new UIDVALIDITY. With `renumber` (default) Dovecot also forgets its UID list,
   * as after an index loss: the mails stay and get new UIDs from 1, and the user's open sessions are
   * disconnected (they would go on with the old numbering, as a server rebuilding a mailbox does
   * not allow). Returns both values.
   */
  changeUidValidity(user: string, mailbox: string, options?: { renumber?: boolean }): Promise<{ before: bigint; after: bigint }>;
  /** Runs doveadm against this instance (e.g. `['mailbox', 'status', '-u', 'alice', 'messages', 'INBOX']`). */
  doveadm(args: readonly string[]): Promise<string>;
}

/** Starts a private Dovecot with TLS and/or OAuth2 logins on free loopback ports, in a temp dir. */
export async function startExtendedDovecot(options: ExtendedDovecotOptions = {}): Promise<ExtendedDovecotHandle> {
  const users = options.users ?? [{ user: 'test', pass: 'test' }];
  for (const { user, pass } of users) {
    if (!/^[\w.@+-]+$/.test(user) || /[:\n]/.test(pass)) {
      throw new ServiceStartError(`invalid Dovecot account ${JSON.stringify(user)}: no ':' or newlines`);
    }
  }
  const binary = findBinary('dovecot', 'dovecot-imapd');
  const doveadm = findBinary('doveadm', 'dovecot-core');
  const dir = await makeTempDir('dovecot-x');
  const reaper = new Reaper(
    `kill -9 -$(cat ${shellQuote(join(dir, 'run', 'master.pid'))}) 2>/dev/null; sleep 1; rm -rf ${shellQuote(dir)}`,
  );
  try {
    await writeUsers(dir, users);
    const certificate = options.tls ? await createSelfSignedCertificate(dir, { basename: 'dovecot' }) : undefined;
    if (options.oauth2) await writeFile(join(dir, 'oauth2.conf'), oauth2Config(options.oauth2.introspectionUrl));
    return await onFreePort(async (port) => {
      const tlsPort = options.tls ? await freePort() : undefined;
      const dovecot = new ExtendedDovecot(binary, doveadm, dir, users, port, tlsPort, certificate, options, reaper);
      await dovecot.launch();
      return dovecot;
    });
  } catch (err) {
    reaper.cancel();
    await removeDir(dir);
    throw err;
  }
}

class ExtendedDovecot implements ExtendedDovecotHandle {
  readonly source = 'local';
  readonly host = '127.0.0.1';
  private server: ServerProcess | undefined;
  private stopped = false;

  constructor(
    private readonly binary: string,
    private readonly doveadmBinary: string,
    private readonly dir: string,
    readonly users: readonly DovecotUser[],
    readonly port: number,
    readonly tlsPort: number | undefined,
    readonly certificate: SelfSignedCertificate | undefined,
    private readonly options: ExtendedDovecotOptions,
    private readonly reaper: Reaper,
  ) {}

  private get config(): string {
    return join(this.dir, `dovecot-${this.port}.conf`);
  }

  async appendMail(user: string, mailbox: string, raw: string | Buffer): Promise<number | undefined> {
    const account = this.users.find((u) => u.user === user);
    if (!account) throw new Error(`no Dovecot account ${user}`);
    const client = new ImapFlow({
      host: this.host,
      port: this.tlsPort ?? this.port,
      secure: this.tlsPort !== undefined,
      tls: this.certificate ? { ca: [this.certificate.certPem] } : undefined,
      auth: { user: account.user, pass: account.pass },
      logger: false,
    });
    await client.connect();
    try {
      if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailbox).catch(() => undefined);
      const appended = await client.append(mailbox, raw);
      return appended ? appended.uid : undefined;
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async changeUidValidity(user: string, mailbox: string, options: { renumber?: boolean } = {}): Promise<{ before: bigint; after: bigint }> {
    const before = await this.uidValidity(user, mailbox);
    if (options.renumber ?? true) {
      // Dovecot keeps UIDs in dovecot-uidlist and its indexes; without them it numbers the mails
      // anew from 1 under a new UIDVALIDITY, as a server that lost its index does.
      const folder = join(this.dir, 'home', user, 'Maildir', mailbox.toUpperCase() === 'INBOX' ? '' : `.${mailbox.replace(/\//g, '.')}`);
      for (const name of await readdir(folder)) {
        if (name === 'dovecot-uidlist' || name.startsWith('dovecot.index')) await rm(join(folder, name), { force: true });
      }
    }
    const current = await this.uidValidity(user, mailbox);
    // The regenerated value is the current time in seconds, which can equal the old one.
    const after = current === before ? before + 1n : current;
    if (after !== current) {
      await this.doveadm(['mailbox', 'update', '-u', user, '--uid-validity', String(after), mailbox]);
    }
    if (options.renumber ?? true) await this.doveadm(['kick', user]).catch(() => undefined);
    return { before, after };
  }

  doveadm(args: readonly string[]): Promise<string> {
    return run(this.doveadmBinary, ['-c', this.config, ...args]);
  }

  async restart(options: RestartOptions = {}): Promise<void> {
    this.assertNotStopped('restart');
    await this.server?.kill('SIGTERM');
    if (options.downMs) await sleep(options.downMs);
    await onSamePort(() => this.launch());
  }

  async kill(): Promise<void> {
    this.assertNotStopped('kill');
    await this.server?.killGroup();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.server?.killGroup();
    this.reaper.cancel();
    await removeDir(this.dir);
  }

  /** Starts the master in a process group of its own and waits for the IMAP greeting. */
  async launch(): Promise<void> {
    await writeFile(this.config, this.configText());
    const server = ServerProcess.spawn(this.binary, ['-F', '-c', this.config], { cwd: this.dir, group: true });
    this.server = server;
    try {
      await waitForGreeting(this.host, this.port, server);
    } catch (err) {
      await server.killGroup();
      const log = await readFile(join(this.dir, 'dovecot.log'), 'utf8').catch(() => '');
      if (saysPortTaken(`${server.log}\n${log}`)) throw new PortTakenError(log);
      throw new ServiceStartError(`dovecot on port ${this.port} did not start:\n${server.log}\n${log}`, { cause: err });
    }
  }

  private async uidValidity(user: string, mailbox: string): Promise<bigint> {
    const out = await this.doveadm(['mailbox', 'status', '-u', user, 'uidvalidity', mailbox]);
    const m = /uidvalidity=(\d+)/.exec(out);
    if (!m) throw new ServiceStartError(`doveadm mailbox status gave no uidvalidity: ${out}`);
    return BigInt(m[1]);
  }

  private configText(): string {
    const users = join(this.dir, 'users');
    const tls = this.certificate
      ? `ssl = required\nssl_cert = <${this.certificate.certFile}\nssl_key = <${this.certificate.keyFile}\ndisable_plaintext_auth = yes`
      : 'ssl = no\ndisable_plaintext_auth = no';
    const mechanisms = this.options.oauth2?.mechanisms ?? ['xoauth2'];
    const oauth2 = this.options.oauth2
      ? `passdb {\n  driver = oauth2\n  mechanisms = ${mechanisms.join(' ')}\n  args = ${join(this.dir, 'oauth2.conf')}\n}\n`
      : '';
    return `# Generated by @maintwatch/testing: a private loopback-only IMAP server with TLS / OAuth2 logins.
instance_name = ${basename(this.dir)}-${this.port}
base_dir = ${join(this.dir, 'run')}
state_dir = ${join(this.dir, 'state')}
log_path = ${join(this.dir, 'dovecot.log')}
info_log_path = ${join(this.dir, 'dovecot.log')}
protocols = imap
listen = 127.0.0.1
${tls}
auth_mechanisms = plain login${this.options.oauth2 ? ` ${mechanisms.join(' ')}` : ''}
mail_location = maildir:~/Maildir
first_valid_uid = 1
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
namespace inbox {
  inbox = yes
  separator = /
}
${oauth2}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${users}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${this.tlsPort ?? 0}
    ssl = yes
  }
}
`;
  }

  private assertNotStopped(operation: string): void {
    if (this.stopped) throw new ServiceStartError(`${operation}() after stop() on dovecot port ${this.port}`);
  }
}

function oauth2Config(introspectionUrl: string): string {
  return `introspection_mode = post
introspection_url = ${introspectionUrl}
username_attribute = username
active_attribute = active
active_value = true
force_introspection = yes
`;
}

async function writeUsers(dir: string, users: readonly DovecotUser[]): Promise<void> {
  const lines: string[] = [];
  await mkdir(join(dir, 'home'), { mode: 0o755 });
  for (const { user, pass } of users) {
    const home = join(dir, 'home', user);
    await mkdir(home, { mode: 0o700 });
    await chown(home, MAIL_UID, MAIL_UID);
    lines.push(`${user}:{PLAIN}${pass}:${MAIL_UID}:${MAIL_UID}::${home}::`);
  }
  await writeFile(join(dir, 'users'), `${lines.join('\n')}\n`, { mode: 0o644 });
}

async function waitForGreeting(host: string, port: number, server: ServerProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await greets(host, port))) {
    if (!server.running) throw new ServiceStartError(`dovecot exited:\n${server.log}`);
    if (Date.now() > deadline) throw new ServiceStartError(`dovecot not ready after ${timeoutMs} ms`);
    await sleep(20);
  }
}

function greets(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data.startsWith('* OK'));
    });
    socket.on('close', () => done(false));
  });
}
