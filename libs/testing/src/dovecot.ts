import { ImapFlow } from 'imapflow';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { basename, join } from 'node:path';
import {
  findBinary,
  makeTempDir,
  onFreePort,
  onSamePort,
  PortTakenError,
  Reaper,
  removeDir,
  saysPortTaken,
  ServerProcess,
  shellQuote,
  sleep,
} from './child-process';
import { ServiceStartError } from './errors';
import { RestartOptions } from './service';

/** Owner of the mail files: Dovecot refuses logins whose mail would be owned by root. */
const MAIL_UID = 65534;

/** An IMAP account (names as imapflow's `auth` takes them). */
export interface DovecotUser {
  readonly user: string;
  readonly pass: string;
}

/** Options for startDovecot(). */
export interface DovecotOptions {
  /** Accounts to create (default: one account `test` / `test`). */
  users?: readonly DovecotUser[];
}

/** A private Dovecot IMAP server (plaintext IMAP on loopback, no TLS). */
export interface DovecotHandle {
  readonly source: 'local';
  readonly host: string;
  readonly port: number;
  readonly users: readonly DovecotUser[];
  /** Delivers a raw RFC 5322 message by IMAP APPEND (creating the mailbox if needed); returns its UID. */
  appendMail(user: string, mailbox: string, raw: string | Buffer): Promise<number | undefined>;
  /** Shuts Dovecot down gracefully (clients get a BYE) and starts it again on the same port; the mail stays. */
  restart(options?: RestartOptions): Promise<void>;
  /** SIGKILLs Dovecot with all its worker processes (connections drop at once); restart() brings it back. */
  kill(): Promise<void>;
  /** Stops Dovecot and removes its config and mail. */
  stop(): Promise<void>;
}

/** Starts a private Dovecot IMAP server on a free loopback port, with its own config and mail in a temp dir. */
export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotHandle> {
  return LocalDovecot.start(options.users ?? [{ user: 'test', pass: 'test' }]);
}

class LocalDovecot implements DovecotHandle {
  readonly source = 'local';
  readonly host = '127.0.0.1';
  private server: ServerProcess | undefined;
  private stopped = false;

  private constructor(
    private readonly binary: string,
    private readonly dir: string,
    readonly users: readonly DovecotUser[],
    readonly port: number,
    private readonly reaper: Reaper,
  ) {}

  private get config(): string {
    return join(this.dir, `dovecot-${this.port}.conf`);
  }

  static async start(users: readonly DovecotUser[]): Promise<LocalDovecot> {
    for (const { user, pass } of users) {
      if (!/^[\w.@+-]+$/.test(user) || /[:\n]/.test(pass)) {
        throw new ServiceStartError(`invalid Dovecot account ${JSON.stringify(user)}: no ':' or newlines`);
      }
    }
    const binary = findBinary('dovecot', 'dovecot-imapd');
    const dir = await makeTempDir('dovecot');
    // The master leads a process group (see launch()): killing the group takes its workers too.
    const reaper = new Reaper(
      `kill -9 -$(cat ${shellQuote(join(dir, 'run', 'master.pid'))}) 2>/dev/null; sleep 1; rm -rf ${shellQuote(dir)}`,
    );
    try {
      await writeUsers(dir, users);
      return await onFreePort(async (port) => {
        const dovecot = new LocalDovecot(binary, dir, users, port, reaper);
        await dovecot.launch();
        return dovecot;
      });
    } catch (err) {
      reaper.cancel();
      await removeDir(dir);
      throw err;
    }
  }

  async appendMail(user: string, mailbox: string, raw: string | Buffer): Promise<number | undefined> {
    const account = this.users.find((u) => u.user === user);
    if (!account) throw new Error(`no Dovecot account ${user}`);
    const client = new ImapFlow({
      host: this.host,
      port: this.port,
      secure: false,
      auth: { user: account.user, pass: account.pass },
      logger: false,
    });
    await client.connect();
    try {
      if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailbox);
      const appended = await client.append(mailbox, raw);
      return appended ? appended.uid : undefined;
    } finally {
      await client.logout().catch(() => client.close());
    }
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
    // Dovecot's graceful shutdown takes over a second; nothing is left to keep here.
    await this.server?.killGroup();
    this.reaper.cancel();
    await removeDir(this.dir);
  }

  private async launch(): Promise<void> {
    await writeFile(this.config, dovecotConfig(this.dir, this.port));
    // A group of its own, so that kill() and stop() also take the login and auth workers at once.
    const server = ServerProcess.spawn(this.binary, ['-F', '-c', this.config], { cwd: this.dir, group: true });
    this.server = server;
    try {
      await waitForGreeting(this.host, this.port, server);
    } catch (err) {
      await server.killGroup();
      const log = await readFile(join(this.dir, 'dovecot.log'), 'utf8').catch(() => '');
      if (saysPortTaken(`${server.log}\n${log}`)) throw new PortTakenError(log);
      throw new ServiceStartError(`dovecot on port ${this.port} did not start:\n${server.log}\n${log}`, {
        cause: err,
      });
    }
  }

  private assertNotStopped(operation: string): void {
    if (this.stopped) throw new ServiceStartError(`${operation}() after stop() on dovecot port ${this.port}`);
  }
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

function dovecotConfig(dir: string, port: number): string {
  const users = join(dir, 'users');
  return `# Generated by @maintwatch/testing: a private, plaintext, loopback-only IMAP server.
instance_name = ${basename(dir)}
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
log_path = ${join(dir, 'dovecot.log')}
info_log_path = ${join(dir, 'dovecot.log')}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
# Tests check refused logins: Dovecot's delays after a failed login (2 s, then up to 15 s for
# every later login from 127.0.0.1) would only slow the tests that follow.
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
passdb {
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
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/** Waits for the IMAP greeting (`* OK`), failing early if the server process exits. */
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
