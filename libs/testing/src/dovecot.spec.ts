import { ImapFlow } from 'imapflow';
import { DovecotHandle, startDovecot } from './index';

const ALICE = { user: 'alice', pass: 's3cret' };
const BOB = { user: 'bob@example.net', pass: 'other' };

function notice(subject: string): string {
  return [
    'From: noc@provider.example',
    'To: alice@example.net',
    `Subject: ${subject}`,
    'Message-ID: <' + subject.replace(/\W/g, '') + '@provider.example>',
    'Date: Sun, 22 Nov 2026 10:00:00 +0000',
    '',
    'Planned maintenance.',
    '',
  ].join('\r\n');
}

async function withImap<T>(dovecot: DovecotHandle, auth: { user: string; pass: string }, use: (c: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth, logger: false });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}

async function subjects(client: ImapFlow, mailbox: string): Promise<string[]> {
  const lock = await client.getMailboxLock(mailbox);
  try {
    const found: string[] = [];
    for await (const message of client.fetch('1:*', { envelope: true })) found.push(message.envelope?.subject ?? '');
    return found;
  } finally {
    lock.release();
  }
}

describe('dovecot', () => {
  let dovecot: DovecotHandle;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [ALICE, BOB] });
  });

  afterAll(async () => {
    await dovecot?.stop();
  });

  it('dovecot - imapflow logs in and sees an appended mail', async () => {
    const uid = await dovecot.appendMail('alice', 'INBOX', notice('Maintenance 1'));
    expect(uid).toBe(1);
    expect(await withImap(dovecot, ALICE, (c) => subjects(c, 'INBOX'))).toEqual(['Maintenance 1']);
  });

  it('dovecot - each user has a mailbox of their own', async () => {
    await dovecot.appendMail('bob@example.net', 'INBOX', notice('For Bob'));
    expect(await withImap(dovecot, BOB, (c) => subjects(c, 'INBOX'))).toEqual(['For Bob']);
    expect(await withImap(dovecot, ALICE, (c) => subjects(c, 'INBOX'))).not.toContain('For Bob');
  });

  it('dovecot - a wrong password is refused', async () => {
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: 'alice', pass: 'wrong' },
      logger: false,
    });
    await expect(client.connect()).rejects.toThrow();
    client.close();
  });

  it('dovecot - appendMail creates a missing mailbox', async () => {
    await dovecot.appendMail('alice', 'Providers/Zayo', notice('Zayo 1'));
    await dovecot.appendMail('alice', 'Providers/Zayo', notice('Zayo 2'));
    expect(await withImap(dovecot, ALICE, (c) => subjects(c, 'Providers/Zayo'))).toEqual(['Zayo 1', 'Zayo 2']);
  });

  it('dovecot - IDLE sees a mail appended while connected', async () => {
    await withImap(dovecot, ALICE, async (client) => {
      await client.mailboxOpen('INBOX');
      const before = client.mailbox ? client.mailbox.exists : 0;
      const grown = new Promise<number>((resolve) => client.on('exists', (data: { count: number }) => resolve(data.count)));
      const idling = client.idle();
      await dovecot.appendMail('alice', 'INBOX', notice('Live one'));
      expect(await grown).toBe(before + 1);
      await client.noop();
      await idling;
    });
  });

  it('dovecot - restart keeps the mail and the port', async () => {
    const port = dovecot.port;
    await dovecot.restart();
    expect(dovecot.port).toBe(port);
    expect(await withImap(dovecot, ALICE, (c) => subjects(c, 'INBOX'))).toContain('Maintenance 1');
  });

  it('dovecot - kill refuses connections until restart', async () => {
    await dovecot.kill();
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: ALICE, logger: false });
    await expect(client.connect()).rejects.toThrow();
    client.close();
    await dovecot.restart();
    expect(await withImap(dovecot, ALICE, (c) => subjects(c, 'Providers/Zayo'))).toEqual(['Zayo 1', 'Zayo 2']);
  });
});
