import { ImapFlow } from 'imapflow';
import { startExtendedDovecot, startOAuth2Introspection, type ExtendedDovecotHandle, type OAuth2IntrospectionFake } from './index';

const ALICE = { user: 'alice', pass: 's3cret' };

const mail = (n: number) =>
  [`From: noc@provider.example`, `Subject: Maintenance ${n}`, `Message-ID: <m${n}@provider.example>`, '', `Body ${n}.`, ''].join('\r\n');

async function uidsOf(client: ImapFlow, mailbox: string): Promise<{ uidValidity: bigint; uids: number[] }> {
  const box = await client.mailboxOpen(mailbox);
  const uids = (await client.fetchAll('1:*', { uid: true })).map((m) => m.uid);
  return { uidValidity: box.uidValidity, uids };
}

describe('dovecot - TLS and OAuth2', () => {
  let dovecot: ExtendedDovecotHandle;
  let idp: OAuth2IntrospectionFake;

  beforeAll(async () => {
    idp = await startOAuth2Introspection();
    dovecot = await startExtendedDovecot({ users: [ALICE], tls: true, oauth2: { introspectionUrl: idp.introspectionUrl } });
  });

  afterAll(async () => {
    await dovecot?.stop();
    await idp?.stop();
  });

  const client = (options: Partial<ConstructorParameters<typeof ImapFlow>[0]>) =>
    new ImapFlow({ host: dovecot.host, port: dovecot.tlsPort, secure: true, logger: false, auth: ALICE, ...options });

  it('dovecot tls - a client trusting the self-signed CA logs in over implicit TLS and STARTTLS', async () => {
    const implicit = client({ tls: { ca: [dovecot.certificate!.certPem] } });
    await implicit.connect();
    expect(implicit.secureConnection).toBe(true);
    await implicit.logout();
    const starttls = client({ port: dovecot.port, secure: false, doSTARTTLS: true, tls: { ca: [dovecot.certificate!.certPem] } });
    await starttls.connect();
    expect(starttls.secureConnection).toBe(true);
    await starttls.logout();
  });

  it('dovecot tls - a client without the CA is refused with a certificate error', async () => {
    const c = client({});
    await expect(c.connect()).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    c.close();
  });

  it('dovecot oauth2 - XOAUTH2 with an active token logs in; a revoked one is refused', async () => {
    const token = idp.issueToken('alice');
    const ok = client({ tls: { ca: [dovecot.certificate!.certPem] }, auth: { user: 'alice', accessToken: token } });
    await ok.connect();
    await ok.logout();
    expect(idp.requests.filter((r) => r.url === '/introspect').length).toBeGreaterThanOrEqual(1);
    idp.revoke(token);
    const refused = client({ tls: { ca: [dovecot.certificate!.certPem] }, auth: { user: 'alice', accessToken: token } });
    await expect(refused.connect()).rejects.toMatchObject({ authenticationFailed: true });
    refused.close();
  });

  it('dovecot oauth2 - a token issued for another user is refused', async () => {
    const token = idp.issueToken('mallory');
    const c = client({ tls: { ca: [dovecot.certificate!.certPem] }, auth: { user: 'alice', accessToken: token } });
    await expect(c.connect()).rejects.toMatchObject({ authenticationFailed: true });
    c.close();
  });

  it('dovecot uidvalidity - a change renumbers the mails from 1 under a new UIDVALIDITY', async () => {
    for (let i = 1; i <= 3; i++) await dovecot.appendMail('alice', 'Providers/Zayo', mail(i));
    const connect = async () => {
      const c = client({ tls: { ca: [dovecot.certificate!.certPem] } });
      await c.connect();
      return c;
    };
    const c = await connect();
    const before = await uidsOf(c, 'Providers/Zayo');
    expect(before.uids).toEqual([1, 2, 3]);
    // Expunge two and add one (UID 4), so that the old and the new numbering differ.
    await c.messageDelete('1:2', { uid: true });
    await c.logout();
    await dovecot.appendMail('alice', 'Providers/Zayo', mail(4));
    const changed = await dovecot.changeUidValidity('alice', 'Providers/Zayo');
    expect(changed.before).toBe(before.uidValidity);
    expect(changed.after).not.toBe(changed.before);
    // A session that had the mailbox open may fail after an index loss; a new one sees the new numbering.
    const fresh = await connect();
    try {
      expect(await uidsOf(fresh, 'Providers/Zayo')).toEqual({ uidValidity: changed.after, uids: [1, 2] });
      await fresh.mailboxClose();
      const inbox = await dovecot.changeUidValidity('alice', 'INBOX', { renumber: false });
      expect((await uidsOf(fresh, 'INBOX')).uidValidity).toBe(inbox.after);
    } finally {
      await fresh.logout();
    }
  });
});
