// The built ingest service against a Dovecot that requires TLS (self-signed certificate) and
// checks OAuth2 access tokens through its oauth2 passdb against a local token-introspection
// endpoint: verification on by default, a private CA trusted on request, verification off only
// with a loud warning, XOAUTH2 logins with a token from a file.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildApp,
  startApp,
  type AppProcess,
  startExtendedDovecot,
  startOAuth2Introspection,
  testNamespace,
  type ExtendedDovecotHandle,
  type OAuth2IntrospectionFake,
} from '@maintwatch/testing';
import { eventually, mailId, metric, noticeMail, NoticeReader, readiness, writeSourcesFile } from './fixtures/ingest.fixture';

jest.setTimeout(60_000);

describe('ingest - IMAP over TLS and XOAUTH2', () => {
  let dovecot: ExtendedDovecotHandle;
  let idp: OAuth2IntrospectionFake;
  let app: AppProcess | undefined;
  let notices: NoticeReader | undefined;

  beforeAll(async () => {
    buildApp('ingest');
    idp = await startOAuth2Introspection();
    dovecot = await startExtendedDovecot({
      users: [
        { user: 'alice', pass: 'pw-alice' },
        { user: 'bob', pass: 'pw-bob' },
        { user: 'oauth', pass: 'unused-password' },
      ],
      tls: true,
      oauth2: { introspectionUrl: idp.introspectionUrl },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await notices?.stop();
    await dovecot?.stop();
    await idp?.stop();
  });

  it('imap tls - trusted CA (implicit TLS and STARTTLS) and XOAUTH2 publish; an untrusted certificate and a revoked token are down with their cause', async () => {
    const ns = testNamespace();
    notices = await NoticeReader.start(process.env['NATS_URL'] ?? '', ns);
    const caFile = dovecot.certificate!.certFile;
    const tokenFile = join(dirname(writeSourcesFile({})), 'token');
    writeFileSync(tokenFile, `${idp.issueToken('oauth')}\n`);
    const revoked = idp.issueToken('oauth');
    idp.revoke(revoked);
    const base = { type: 'imap', host: '127.0.0.1', pollIntervalSeconds: 30 };
    const sources = [
      { ...base, name: 'implicit', port: dovecot.tlsPort, security: 'tls', tls: { caFile }, user: 'alice', passwordEnv: 'PW_ALICE' },
      { ...base, name: 'starttls', port: dovecot.port, security: 'starttls', tls: { caFile }, user: 'bob', passwordEnv: 'PW_BOB' },
      { ...base, name: 'xoauth2', port: dovecot.tlsPort, security: 'tls', tls: { caFile }, user: 'oauth', accessTokenFile: tokenFile },
      { ...base, name: 'untrusted', port: dovecot.tlsPort, security: 'tls', user: 'alice', passwordEnv: 'PW_ALICE' },
      { ...base, name: 'insecure', port: dovecot.tlsPort, security: 'tls', tls: { insecureSkipVerify: true }, user: 'alice', passwordEnv: 'PW_ALICE', mailbox: 'Other' },
      { ...base, name: 'revoked', port: dovecot.tlsPort, security: 'tls', tls: { caFile }, user: 'oauth', accessTokenEnv: 'OAUTH_TOKEN' },
    ];
    app = await startApp('ingest', {
      NATS_URL: process.env['NATS_URL'] ?? '',
      NATS_NAMESPACE: ns,
      INGEST_SOURCES_FILE: writeSourcesFile({ defaults: { reconnect: { minMs: 100, maxMs: 1000 } }, sources }),
      PW_ALICE: 'pw-alice',
      PW_BOB: 'pw-bob',
      OAUTH_TOKEN: revoked,
    });
    const running = app;
    const a = mailId('tls');
    const b = mailId('starttls');
    const o = mailId('oauth');
    const i = mailId('insecure');
    await dovecot.appendMail('alice', 'INBOX', noticeMail(a));
    await dovecot.appendMail('bob', 'INBOX', noticeMail(b));
    await dovecot.appendMail('oauth', 'INBOX', noticeMail(o));
    await dovecot.appendMail('alice', 'Other', noticeMail(i));
    await notices.waitFor(4, 15_000);
    expect(notices.ids().sort()).toEqual(
      [`implicit:${a}@maint.example.net`, `starttls:${b}@maint.example.net`, `xoauth2:${o}@maint.example.net`, `insecure:${i}@maint.example.net`].sort(),
    );
    // "down" alone is also the state before the first attempt ("starting"): wait for the causes.
    const reasonOf = async (name: string) => (await readiness(running.url)).checks[`source.${name}`]?.reason ?? '';
    await eventually(async () => (await reasonOf('revoked')).includes('authentication failed'), 10_000, 'revoked refused');
    await eventually(async () => (await reasonOf('untrusted')).includes('TLS'), 10_000, 'untrusted refused');
    await eventually(async () => (await readiness(running.url)).checks['source.xoauth2']?.status === 'up', 10_000, 'xoauth2 up');
    const ready = await readiness(running.url);
    expect(ready.checks['source.untrusted']).toEqual({ status: 'down', reason: expect.stringMatching(/TLS with 127\.0\.0\.1:\d+ failed: self-signed certificate/) });
    expect(ready.checks['source.revoked']).toEqual({ status: 'down', reason: expect.stringContaining('authentication failed for oauth') });
    expect(ready.checks['source.implicit']).toEqual({ status: 'up' });
    expect(ready.checks['source.insecure']).toEqual({ status: 'up' });
    expect(await metric(running.url, 'maintwatch_ingest_errors_total', { source: 'untrusted', kind: 'tls' })).toBeGreaterThanOrEqual(1);
    const out = running.output();
    expect(out).toMatch(/source insecure: TLS CERTIFICATE VERIFICATION IS OFF/);
    // Tokens and passwords never reach the log.
    expect(out).not.toContain(revoked);
    expect(out).not.toContain('pw-alice');
    expect(idp.requests.length).toBeGreaterThanOrEqual(2);
  });
});
