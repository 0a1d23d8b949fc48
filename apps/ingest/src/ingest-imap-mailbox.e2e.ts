// The built ingest service reading a real Dovecot mailbox over IMAP into a real nats-server:
// push by IDLE, an exact resume from the cursor after a stop or a SIGKILL, a UIDVALIDITY change,
// a Dovecot restart, bad credentials next to a good source, a 25 MB mail, mail without
// Message-ID or not MIME at all, and the after-publish actions.
import { ImapFlow } from 'imapflow';
import {
  buildApp,
  ownNats,
  startApp,
  startExtendedDovecot,
  testNamespace,
  type AppProcess,
  type ExtendedDovecotHandle,
  type NatsServerHandle,
} from '@maintwatch/testing';
import { eventually, mailId, metric, noticeMail, NoticeReader, readiness, writeSourcesFile } from './fixtures/ingest.fixture';

jest.setTimeout(90_000);

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'kate'].map((user) => ({ user, pass: `pw-${user}` }));
const FAST_RECONNECT = { reconnect: { minMs: 100, maxMs: 1000 } };

describe('ingest - IMAP mailbox', () => {
  let dovecot: ExtendedDovecotHandle;
  const running: AppProcess[] = [];
  const readers: NoticeReader[] = [];
  let natsUrl: string;

  beforeAll(async () => {
    buildApp('ingest');
    dovecot = await startExtendedDovecot({ users: USERS });
    natsUrl = process.env['NATS_URL'] ?? '';
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
    await Promise.all(readers.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await dovecot?.stop();
  });

  const imapSource = (name: string, user: string, extra: object = {}) => ({
    name,
    type: 'imap',
    host: dovecot.host,
    port: dovecot.port,
    security: 'none',
    user,
    passwordEnv: `PW_${user.toUpperCase()}`,
    ...extra,
  });
  const passwords = Object.fromEntries(USERS.map((u) => [`PW_${u.user.toUpperCase()}`, u.pass]));

  async function ingest(sources: object[], options: { ns: string; nats?: string; env?: Record<string, string> }): Promise<AppProcess> {
    const file = writeSourcesFile({ defaults: FAST_RECONNECT, sources });
    const app = await startApp('ingest', {
      NATS_URL: options.nats ?? natsUrl,
      NATS_NAMESPACE: options.ns,
      INGEST_SOURCES_FILE: file,
      ...passwords,
      ...options.env,
    });
    running.push(app);
    return app;
  }

  async function reader(ns: string, url = natsUrl): Promise<NoticeReader> {
    const r = await NoticeReader.start(url, ns);
    readers.push(r);
    return r;
  }

  const sourceUp = async (app: AppProcess, name: string) => (await readiness(app.url)).checks[`source.${name}`]?.status === 'up';

  it('imap - reads back the lookback on first start, then publishes a mail appended while running, pushed by IDLE', async () => {
    const ns = testNamespace();
    const old = mailId('old');
    await dovecot.appendMail('alice', 'INBOX', noticeMail(old));
    const notices = await reader(ns);
    // Polling once an hour: a mail that arrives before the deadline below came through IDLE.
    const app = await ingest([imapSource('noc', 'alice', { pollIntervalSeconds: 3600 })], { ns });
    await notices.waitFor(1);
    await eventually(() => sourceUp(app, 'noc'), 10_000, 'source up');
    expect(await metric(app.url, 'maintwatch_ingest_idle_connected', { source: 'noc' })).toBe(1);

    const fresh = mailId('live');
    await dovecot.appendMail('alice', 'INBOX', noticeMail(fresh));
    const [, live] = await notices.waitFor(2, 30_000);
    expect(notices.ids()).toEqual([`noc:${old}@maint.example.net`, `noc:${fresh}@maint.example.net`]);
    expect(live).toMatchObject({ source: 'noc', sender: 'noc@maint.example.net', subject: `Planned maintenance ${fresh}` });
    // The counter moves after JetStream's ack, which a subscriber may see first.
    await eventually(async () => (await metric(app.url, 'maintwatch_ingest_published_total', { source: 'noc' })) >= 2, 10_000, 'published counted');
    expect(await metric(app.url, 'maintwatch_ingest_published_total', { source: 'noc' })).toBe(2);
    expect(await metric(app.url, 'maintwatch_ingest_last_sync_timestamp_seconds', { source: 'noc' })).toBeGreaterThan(Date.now() / 1000 - 60);

    // Read with BODY.PEEK: nobody has to mark the mail unread again.
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: USERS[0], logger: false });
    await client.connect();
    await client.mailboxOpen('INBOX', { readOnly: true });
    const flags = (await client.fetchAll('1:*', { flags: true })).map((m) => [...(m.flags ?? [])]);
    await client.logout();
    expect(flags.flat()).not.toContain('\\Seen');
  });

  it('imap - stop ingest, append 50 mails, start it: exactly those 50 are published, once each', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    await dovecot.appendMail('bob', 'INBOX', noticeMail(mailId('before')));
    const first = await ingest([imapSource('noc', 'bob')], { ns });
    await notices.waitFor(1);
    expect(await first.stop()).toBe(0);
    running.splice(running.indexOf(first), 1);

    const ids = Array.from({ length: 50 }, (_, i) => mailId(`batch${i}`));
    for (const id of ids) await dovecot.appendMail('bob', 'INBOX', noticeMail(id, { kb: 10 }));
    const second = await ingest([imapSource('noc', 'bob')], { ns });
    await notices.waitFor(51, 20_000);
    await eventually(() => sourceUp(second, 'noc'), 10_000, 'source up');
    expect(notices.ids().slice(1)).toEqual(ids.map((id) => `noc:${id}@maint.example.net`));
    // Resumed from the cursor: the mail published before was not even read again.
    expect(await metric(second.url, 'maintwatch_ingest_fetched_total', { source: 'noc' })).toBe(50);
    expect(await metric(second.url, 'maintwatch_ingest_published_total', { source: 'noc' })).toBe(50);
    expect(await notices.stored()).toBe(51);
  });

  describe('with a private nats-server', () => {
    let nats: NatsServerHandle;
    beforeAll(async () => {
      nats = await ownNats();
    });
    afterAll(async () => {
      await nats?.stop();
    });

    it('imap - SIGKILL between fetch and the JetStream acknowledgement: after restart nothing is lost or doubled', async () => {
      const ns = testNamespace();
      const app = await ingest([imapSource('noc', 'carol')], { ns, nats: nats.url });
      await eventually(() => sourceUp(app, 'noc'), 10_000, 'source up');
      // With NATS gone, the mails are fetched but their publishes wait for an acknowledgement.
      await nats.kill();
      const ids = [mailId('k1'), mailId('k2'), mailId('k3')];
      for (const id of ids) await dovecot.appendMail('carol', 'INBOX', noticeMail(id));
      await eventually(async () => (await metric(app.url, 'maintwatch_ingest_fetched_total', { source: 'noc' })) >= 1, 10_000, 'fetched');
      expect(await metric(app.url, 'maintwatch_ingest_published_total', { source: 'noc' })).toBe(0);
      app.child.kill('SIGKILL');
      await new Promise((r) => app.child.once('exit', r));
      running.splice(running.indexOf(app), 1);

      await nats.restart();
      const notices = await reader(ns, nats.url);
      await ingest([imapSource('noc', 'carol')], { ns, nats: nats.url });
      // A mail after the three: once it is in, anything published twice would be in too.
      const sentinel = mailId('k-sentinel');
      await dovecot.appendMail('carol', 'INBOX', noticeMail(sentinel));
      await notices.waitFor(4, 30_000);
      expect(notices.ids()).toEqual([...ids, sentinel].map((id) => `noc:${id}@maint.example.net`));
      expect(await notices.stored()).toBe(4);
    });
  });

  it('imap - SIGKILL in the middle of a stream of 50 mails: after restart each is published once', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const app = await ingest([imapSource('noc', 'dave')], { ns });
    await eventually(() => sourceUp(app, 'noc'), 10_000, 'source up');
    const exited = new Promise<void>((resolve) => {
      app.child.once('exit', () => resolve());
      notices.onNotice = (_n, count) => {
        if (count === 10) app.child.kill('SIGKILL');
      };
    });
    const ids = Array.from({ length: 50 }, (_, i) => mailId(`c${i}`));
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: USERS[3], logger: false });
    await client.connect();
    for (const id of ids) await client.append('INBOX', noticeMail(id, { kb: 10 }));
    await client.logout();
    await exited;
    notices.onNotice = undefined;
    running.splice(running.indexOf(app), 1);
    expect(notices.notices.length).toBeLessThan(50);

    await ingest([imapSource('noc', 'dave')], { ns });
    await notices.waitFor(50, 20_000);
    const sentinel = mailId('c-sentinel');
    await dovecot.appendMail('dave', 'INBOX', noticeMail(sentinel));
    await notices.waitFor(51, 20_000);
    expect(notices.ids()).toEqual([...ids, sentinel].map((id) => `noc:${id}@maint.example.net`));
    expect(await notices.stored()).toBe(51);
  });

  it('imap - a UIDVALIDITY change re-reads the lookback: only mail not yet published is published', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const noId = noticeMail(mailId('noid'), { messageId: false });
    const ids = [mailId('u1'), mailId('u2'), mailId('u3')];
    for (const id of ids) await dovecot.appendMail('erin', 'INBOX', noticeMail(id));
    await dovecot.appendMail('erin', 'INBOX', noId);
    const app = await ingest([imapSource('noc', 'erin', { pollIntervalSeconds: 0.5 })], { ns });
    await notices.waitFor(4);
    expect(notices.notices[3].noticeId).toMatch(/^noc:sha256:[0-9a-f]{64}$/);
    // Expunge the first three, so that the renumbered mailbox has lower UIDs than the cursor.
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: USERS[4], logger: false });
    await client.connect();
    await client.mailboxOpen('INBOX');
    await client.messageDelete('1:3', { uid: true });
    await client.logout();
    const changed = await dovecot.changeUidValidity('erin', 'INBOX');
    const after = mailId('after');
    await dovecot.appendMail('erin', 'INBOX', noticeMail(after));
    await notices.waitFor(5, 10_000);
    await eventually(() => sourceUp(app, 'noc'), 10_000, 'source up again');
    const sentinel = mailId('u-sentinel');
    await dovecot.appendMail('erin', 'INBOX', noticeMail(sentinel));
    await notices.waitFor(6, 10_000);
    expect(notices.ids().slice(4)).toEqual([`noc:${after}@maint.example.net`, `noc:${sentinel}@maint.example.net`]);
    expect(await notices.stored()).toBe(6);
    expect(await metric(app.url, 'maintwatch_ingest_skipped_total', { source: 'noc', reason: 'already-seen' })).toBe(1);
    expect(app.output()).toContain(`changed (${changed.before} -> ${changed.after}): re-reading the last 7 days`);
  });

  it('imap - wrong password and a missing mailbox: each named in one log line and down in /readyz, counted; the good source goes on', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const app = await ingest(
      [imapSource('good', 'frank'), imapSource('badpass', 'frank', { passwordEnv: 'PW_WRONG' }), imapSource('nobox', 'frank', { mailbox: 'Providers/None' })],
      { ns, env: { PW_WRONG: 'not-the-password' } },
    );
    const id = mailId('ok');
    await dovecot.appendMail('frank', 'INBOX', noticeMail(id));
    await notices.waitFor(1);
    await eventually(async () => (await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'badpass', kind: 'auth' })) >= 2, 10_000, 'auth retried');
    await eventually(async () => (await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'nobox', kind: 'mailbox' })) >= 1, 10_000, 'mailbox missing');
    await eventually(() => sourceUp(app, 'good'), 10_000, 'good source up');
    const ready = await readiness(app.url);
    expect(ready.status).toBe(503);
    expect(ready.checks['source.good']).toEqual({ status: 'up' });
    expect(ready.checks['source.badpass']).toEqual({ status: 'down', reason: expect.stringContaining('authentication failed for frank') });
    expect(ready.checks['source.nobox']).toEqual({ status: 'down', reason: expect.stringContaining('mailbox "Providers/None" does not exist') });
    expect(await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'nobox', kind: 'mailbox' })).toBeGreaterThanOrEqual(1);
    const out = app.output();
    expect(out.split('\n').filter((l) => l.includes('source badpass: authentication failed'))).toHaveLength(1);
    expect(out).not.toContain('not-the-password');
    expect(out).not.toContain('pw-frank');
    expect(notices.ids()).toEqual([`good:${id}@maint.example.net`]);
  });

  it('imap - Dovecot restart: the source shows down, reconnects with backoff and catches up', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const app = await ingest([imapSource('noc', 'grace')], { ns });
    await eventually(() => sourceUp(app, 'noc'), 10_000, 'source up');
    await dovecot.kill();
    await eventually(async () => !(await sourceUp(app, 'noc')), 10_000, 'source down');
    expect((await readiness(app.url)).checks['source.noc'].reason).toMatch(/closed by the server|cannot reach/);
    await dovecot.restart();
    const id = mailId('after-restart');
    await dovecot.appendMail('grace', 'INBOX', noticeMail(id));
    await notices.waitFor(1, 15_000);
    await eventually(() => sourceUp(app, 'noc'), 10_000, 'source up again');
    expect(notices.ids()).toEqual([`noc:${id}@maint.example.net`]);
    expect(await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'noc', kind: 'connect' })).toBeGreaterThanOrEqual(1);
  });

  it('imap - a 25 MB mail arrives byte-equal (through the object store), and mail that is not MIME is published raw', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const attachment = Buffer.alloc(19 * 1024 * 1024, 'A').toString('base64').replace(/.{76}/g, '$&\r\n');
    const big = Buffer.from(
      `From: noc@maint.example.net\r\nSubject: Fiber map\r\nMessage-ID: <${mailId('big')}@maint.example.net>\r\nMIME-Version: 1.0\r\n` +
        `Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n`,
    );
    // No header block, 8-bit bytes in no charset (Dovecot stores an APPEND as is, NUL bytes aside).
    const garbage = Buffer.from('this is not a mail at all\r\n\xff\xfe\x80 --\r\n', 'latin1');
    await dovecot.appendMail('heidi', 'INBOX', big);
    await dovecot.appendMail('heidi', 'INBOX', garbage);
    await ingest([imapSource('noc', 'heidi')], { ns });
    const [first, second] = await notices.waitFor(2, 30_000);
    expect(big.length).toBeGreaterThan(25 * 1000 * 1000);
    expect(first.objectRef).toBeDefined();
    const stored = await notices.read(first.stream);
    expect(Buffer.from(stored.body).equals(big)).toBe(true);
    expect(second.noticeId).toMatch(/^noc:sha256:/);
    expect(Buffer.from((await notices.read(second.stream)).body).equals(garbage)).toBe(true);
  });

  it('imap - a mail over INGEST_MAX_MAIL_BYTES is not downloaded: its header block is published, marked with its size, in UID order', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const hugeId = mailId('huge');
    const attachment = Buffer.alloc(3 * 1024 * 1024, 'B').toString('base64').replace(/.{76}/g, '$&\r\n');
    const huge = Buffer.from(
      `From: noc@maint.example.net\r\nSubject: Huge notice\r\nMessage-ID: <${hugeId}@maint.example.net>\r\nMIME-Version: 1.0\r\n` +
        `Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n`,
    );
    const before = mailId('before-huge');
    const after = mailId('after-huge');
    await dovecot.appendMail('kate', 'INBOX', noticeMail(before));
    await dovecot.appendMail('kate', 'INBOX', huge);
    await dovecot.appendMail('kate', 'INBOX', noticeMail(after));
    await ingest([imapSource('noc', 'kate')], { ns, env: { INGEST_MAX_MAIL_BYTES: String(1024 * 1024) } });
    const got = await notices.waitFor(3, 30_000);
    expect(got.map((n) => n.subject)).toEqual([expect.stringContaining(before), 'Huge notice', expect.stringContaining(after)]);
    const truncated = await notices.read(got[1].stream);
    expect(truncated.meta.truncatedFrom).toBe(huge.length);
    expect(truncated.meta.noticeId).toBe(`noc:${hugeId}@maint.example.net`);
    const head = huge.subarray(0, huge.indexOf('\r\n\r\n') + 4);
    expect(Buffer.from(truncated.body).equals(head)).toBe(true);
    expect((await notices.read(got[0].stream)).meta.truncatedFrom).toBeUndefined();
  });

  it('imap - after publishing a mail is flagged or moved as configured, and a sender filter leaves other mail alone', async () => {
    const ns = testNamespace();
    const notices = await reader(ns);
    const zayo = mailId('zayo');
    const other = mailId('other');
    await dovecot.appendMail('ivan', 'INBOX', noticeMail(zayo, { from: 'mr@zayo.com' }));
    await dovecot.appendMail('ivan', 'INBOX', noticeMail(other, { from: 'newsletter@shop.example' }));
    const listed = mailId('list');
    await dovecot.appendMail('judy', 'INBOX', noticeMail(listed, { from: 'list@lists.example', extraHeaders: ['X-Original-Sender: noc@gtt.net'] }));
    const app = await ingest(
      [
        imapSource('flagged', 'ivan', { senderFilter: ['zayo.com'], afterPublish: { action: 'flag', flag: '$Maintwatch' }, providerHint: 'zayo' }),
        imapSource('moved', 'judy', { senderHeader: 'X-Original-Sender', afterPublish: { action: 'move', folder: 'Processed' } }),
      ],
      { ns },
    );
    await notices.waitFor(2);
    expect(notices.notices.map((n) => [n.noticeId, n.sender]).sort()).toEqual(
      [
        [`flagged:${zayo}@maint.example.net`, 'mr@zayo.com'],
        [`moved:${listed}@maint.example.net`, 'noc@gtt.net'],
      ].sort(),
    );
    await eventually(async () => (await metric(app.url, 'maintwatch_ingest_skipped_total', { source: 'flagged', reason: 'sender-filter' })) === 1, 5000, 'filtered');
    const look = async (user: (typeof USERS)[number], mailbox: string) => {
      const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: user, logger: false });
      await c.connect();
      try {
        await c.mailboxOpen(mailbox, { readOnly: true });
        return (await c.fetchAll('1:*', { envelope: true, flags: true })).map((m) => ({ subject: m.envelope?.subject, flags: [...(m.flags ?? [])] }));
      } finally {
        await c.logout();
      }
    };
    await eventually(async () => (await look(USERS[9], 'Processed')).length === 1, 5000, 'moved');
    expect(await look(USERS[9], 'INBOX')).toEqual([]);
    expect(await look(USERS[8], 'INBOX')).toEqual([
      { subject: `Planned maintenance ${zayo}`, flags: ['$Maintwatch'] },
      { subject: `Planned maintenance ${other}`, flags: [] },
    ]);
  });
});
