// The built ingest service reading Gmail mailboxes through the Gmail API of a local fake that
// behaves like Google's (paging, history, labels, 404 for an expired history id, 429 and 403
// usage limits with Retry-After, OAuth refresh-token and service-account JWT grants). The tests share one ingest
// process and run in order: first sync, then incremental sync, then the faults.
import { buildApp, startApp, startFakeGmail, testNamespace, type AppProcess, type FakeGmailHandle } from '@maintwatch/testing';
import { CursorStore } from './cursors/cursor-store';
import { eventually, mailId, metric, noticeMail, NoticeReader, readiness, writeSourcesFile } from './fixtures/ingest.fixture';

jest.setTimeout(60_000);

const DAY = 24 * 3600 * 1000;
const NOC = 'noc@example.com';
const OPS = 'ops@example.com';

describe('ingest - Gmail API', () => {
  let gmail: FakeGmailHandle;
  let app: AppProcess;
  let appEnv: Record<string, string>;
  let notices: NoticeReader;
  const inLookback: string[] = [];
  let firstGmailId = '';
  const ago = (ms: number) => new Date(Date.now() - ms);
  const id = (mail: string, source = 'gmail') => `${source}:${mail}@maint.example.net`;
  const add = (user: string, mail: string, options: { at?: Date; labelIds?: string[] } = {}) =>
    gmail.addMessage(user, noticeMail(mail, { kb: 2, date: options.at }), { internalDate: options.at, labelIds: options.labelIds });

  beforeAll(async () => {
    buildApp('ingest');
    gmail = await startFakeGmail();
    gmail.addOAuthClient({ clientId: 'maintwatch.apps.example', clientSecret: 'client-secret-1', refreshToken: 'refresh-1', user: NOC });
    gmail.addOAuthClient({ clientId: 'maintwatch.apps.example', clientSecret: 'client-secret-1', refreshToken: 'refresh-good', user: 'other@example.com' });
    const key = gmail.addServiceAccount({ email: 'ingest@maintwatch-test.iam.gserviceaccount.com', domains: ['example.com'] });
    // Mail before the first start: 8 days old (outside the 7-day lookback), spam, and 510 inside
    // the lookback (more than one page of 500).
    add(NOC, mailId('too-old'), { at: ago(8 * DAY) });
    add(NOC, mailId('spam'), { at: ago(DAY), labelIds: ['SPAM'] });
    for (let i = 0; i < 510; i++) {
      const m = mailId(`lb${i}`);
      inLookback.push(m);
      const gid = add(NOC, m, { at: ago(6 * DAY - i * 60_000) });
      if (i === 0) firstGmailId = gid;
    }
    add(OPS, mailId('ops-old'), { at: ago(DAY) });

    const ns = testNamespace();
    notices = await NoticeReader.start(process.env['NATS_URL'] ?? '', ns);
    const common = { type: 'gmail', rootUrl: gmail.rootUrl, tokenUrl: gmail.tokenUrl, pollIntervalSeconds: 0.3 };
    const oauthClient = (refreshTokenEnv: string) => ({ clientId: 'maintwatch.apps.example', clientSecretEnv: 'GMAIL_CLIENT_SECRET', refreshTokenEnv });
    const sources = [
      { ...common, name: 'gmail', oauthClient: oauthClient('GMAIL_REFRESH'), addLabel: 'Maintwatch/ingested' },
      { ...common, name: 'delegated', serviceAccount: { credentialsEnv: 'GMAIL_SA_KEY', impersonate: OPS } },
      { ...common, name: 'outside', serviceAccount: { credentialsEnv: 'GMAIL_SA_KEY', impersonate: 'noc@other.example.org' } },
      { ...common, name: 'revoked', oauthClient: oauthClient('GMAIL_REFRESH_REVOKED') },
    ];
    appEnv = {
      NATS_URL: process.env['NATS_URL'] ?? '',
      NATS_NAMESPACE: ns,
      INGEST_SOURCES_FILE: writeSourcesFile({ defaults: { reconnect: { minMs: 100, maxMs: 1000 } }, sources }),
      GMAIL_CLIENT_SECRET: 'client-secret-1',
      GMAIL_REFRESH: 'refresh-1',
      GMAIL_REFRESH_REVOKED: 'refresh-that-was-revoked',
      GMAIL_SA_KEY: JSON.stringify(key),
    };
    app = await startApp('ingest', appEnv);
  });

  afterAll(async () => {
    await app?.stop();
    await notices?.stop();
    await gmail?.stop();
  });

  const fromSource = (source: string) => notices.notices.filter((n) => n.source === source).map((n) => n.noticeId);

  it('gmail - first sync publishes the 7-day lookback across pages, oldest first, and labels what it published', async () => {
    await eventually(() => fromSource('gmail').length >= 510, 30_000, '510 notices');
    await eventually(async () => (await readiness(app.url)).checks['source.gmail']?.status === 'up', 10_000, 'gmail up');
    expect(fromSource('gmail')).toEqual(inLookback.map((m) => id(m)));
    // The second page of the listing was asked for with the first page's token.
    expect(gmail.requests.filter((r) => r.url.includes('/messages?') && r.url.includes('pageToken=')).length).toBe(1);
    const first = gmail.requests.find((r) => r.url.includes('/messages?'));
    expect(first?.url).toMatch(/q=after%3A\d+/);
    expect(first?.url).toContain('labelIds=INBOX');
    await eventually(async () => (await metric(app.url, 'maintwatch_ingest_published_total', { source: 'gmail' })) === 510, 5000, 'metric');
    expect(gmail.messageLabelNames(NOC, firstGmailId)).toEqual(['INBOX', 'UNREAD', 'Maintwatch/ingested']);
  });

  it('gmail - a new mail is published by incremental sync (history), labelled once published', async () => {
    const m = mailId('new');
    const gid = add(NOC, m);
    await eventually(() => fromSource('gmail').includes(id(m)), 5000, 'new mail published');
    expect(gmail.requests.some((r) => r.url.includes('/history?') && r.url.includes('historyTypes=messageAdded'))).toBe(true);
    await eventually(() => gmail.messageLabelNames(NOC, gid).includes('Maintwatch/ingested'), 5000, 'labelled');
    expect(fromSource('gmail')).toHaveLength(511);
  });

  it('gmail - an expired history id (404) re-reads the lookback and publishes only what is new', async () => {
    const m = mailId('after-expiry');
    gmail.expireHistory(NOC);
    add(NOC, m);
    await eventually(() => fromSource('gmail').includes(id(m)), 10_000, 'published after expiry');
    expect(gmail.requests.some((r) => r.url.includes('/history?') && r.status === 404)).toBe(true);
    // A mail after the re-read: once it is in, the re-read is over and had nothing else to add.
    const sentinel = mailId('after-expiry-sentinel');
    add(NOC, sentinel);
    await eventually(() => fromSource('gmail').includes(id(sentinel)), 10_000, 'sentinel published');
    expect(fromSource('gmail')).toHaveLength(513);
    expect(await notices.stored()).toBe(notices.notices.length);
    expect(await metric(app.url, 'maintwatch_ingest_skipped_total', { source: 'gmail', reason: 'already-seen' })).toBeGreaterThanOrEqual(511);
    expect(app.output()).toMatch(/source gmail: Gmail history \d+ has expired \(404\)/);
  });

  it('gmail - 429 with Retry-After and a 503, then success: the mail is published, the wait honoured', async () => {
    gmail.failNext({ status: 429, count: 1, retryAfterS: 1, path: /\/messages\/[0-9a-f]+$/ });
    gmail.failNext({ status: 503, count: 1, path: /\/history$/ });
    const m = mailId('throttled');
    add(NOC, m);
    await eventually(() => fromSource('gmail').includes(id(m)), 10_000, 'published after 429');
    const throttled = gmail.requests.findIndex((r) => r.status === 429);
    const retried = gmail.requests.slice(throttled + 1).find((r) => r.url === gmail.requests[throttled].url && r.status === 200);
    expect(retried).toBeDefined();
    expect(retried!.at - gmail.requests[throttled].at).toBeGreaterThanOrEqual(900);
    expect(gmail.requests.some((r) => r.status === 503)).toBe(true);
    expect((await readiness(app.url)).checks['source.gmail']).toEqual({ status: 'up' });
  });

  it('gmail - a 403 userRateLimitExceeded is a quota answer: backed off and retried, the mail published, never an auth failure', async () => {
    const before = gmail.requests.length;
    gmail.failNext({ status: 403, reason: 'userRateLimitExceeded', count: 2, retryAfterS: 1, path: /\/history$/, user: NOC });
    const m = mailId('user-rate-limited');
    add(NOC, m);
    await eventually(() => fromSource('gmail').includes(id(m)), 15_000, 'published after 403 userRateLimitExceeded');
    const limited = gmail.requests.slice(before).filter((r) => r.status === 403);
    expect(limited).toHaveLength(2);
    // Retry-After: 1 honoured between the two 403s and before the answer that worked.
    const ok = gmail.requests.slice(before).find((r) => r.url === limited[1].url && r.status === 200 && r.at >= limited[1].at);
    expect(ok).toBeDefined();
    expect(limited[1].at - limited[0].at).toBeGreaterThanOrEqual(900);
    expect(await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'gmail', kind: 'auth' })).toBe(0);
    expect((await readiness(app.url)).checks['source.gmail']).toEqual({ status: 'up' });
  });

  it('gmail - a rate limit that outlasts the retries marks the source down for quota (not auth), and it recovers by itself', async () => {
    // Seven answers: the first try and the client's six retries; Retry-After 0 keeps it quick.
    gmail.failNext({ status: 403, reason: 'rateLimitExceeded', count: 7, retryAfterS: 0, path: /\/history$/, user: NOC });
    const m = mailId('project-rate-limited');
    add(NOC, m);
    await eventually(async () => (await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'gmail', kind: 'quota' })) >= 1, 20_000, 'quota failure counted');
    await eventually(() => fromSource('gmail').includes(id(m)), 15_000, 'published once the quota allowed it');
    expect(await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'gmail', kind: 'auth' })).toBe(0);
    expect(app.output()).toMatch(/source gmail: Gmail API quota for OAuth client maintwatch\.apps\.example exceeded \(403 rateLimitExceeded\)/);
    await eventually(async () => (await readiness(app.url)).checks['source.gmail']?.status === 'up', 10_000, 'gmail up again');
  });

  it('gmail - more than a page of history (501 added at once) is read across history pages, in order', async () => {
    const before = gmail.requests.length;
    const burst = Array.from({ length: 501 }, (_, i) => mailId(`burst${i}`));
    for (const m of burst) add(NOC, m);
    await eventually(() => burst.every((m) => fromSource('gmail').includes(id(m))), 30_000, '501 published');
    const got = fromSource('gmail').filter((n) => /burst\d+-/.test(n));
    expect(got).toEqual(burst.map((m) => id(m)));
    expect(gmail.requests.slice(before).some((r) => r.url.includes('/history?') && r.url.includes('pageToken='))).toBe(true);
    // Paged through history, not re-listed.
    expect(gmail.requests.slice(before).some((r) => r.url.includes('/messages?'))).toBe(false);
  });

  it('gmail - after a restart it resumes from the stored historyId: only the mail that arrived meanwhile is published', async () => {
    await eventually(async () => (await readiness(app.url)).checks['source.gmail']?.status === 'up', 10_000, 'gmail up');
    await app.stop();
    const cursor = await new CursorStore(notices.bus).getGmail('gmail');
    expect(cursor?.historyId).toMatch(/^\d+$/);
    const count = fromSource('gmail').length;
    const meanwhile = mailId('while-down');
    add(NOC, meanwhile);
    const before = gmail.requests.length;
    app = await startApp('ingest', appEnv);
    await eventually(() => fromSource('gmail').includes(id(meanwhile)), 20_000, 'mail of the downtime published');
    const after = gmail.requests.slice(before);
    const starts = after.filter((r) => r.url.includes('/history?')).map((r) => new URL(r.url, gmail.rootUrl).searchParams.get('startHistoryId'));
    expect(starts).toContain(cursor?.historyId);
    expect(after.some((r) => r.url.includes('/messages?') && r.url.includes('q=after'))).toBe(false);
    expect(fromSource('gmail')).toHaveLength(count + 1);
  });

  it('gmail - a service account with domain-wide delegation reads the impersonated mailbox; outside the domain or with a revoked token the source is down', async () => {
    await eventually(() => fromSource('delegated').length === 1, 10_000, 'delegated');
    await eventually(async () => ((await readiness(app.url)).checks['source.revoked']?.reason ?? '').includes('invalid_grant'), 10_000, 'revoked refused');
    await eventually(async () => ((await readiness(app.url)).checks['source.outside']?.reason ?? '').includes('unauthorized_client'), 10_000, 'outside refused');
    const ready = await readiness(app.url);
    expect(ready.checks['source.delegated']).toEqual({ status: 'up' });
    expect(ready.checks['source.outside']).toEqual({ status: 'down', reason: expect.stringContaining('unauthorized_client') });
    expect(ready.checks['source.revoked']).toEqual({ status: 'down', reason: expect.stringContaining('invalid_grant') });
    expect(await metric(app.url, 'maintwatch_ingest_errors_total', { source: 'outside', kind: 'auth' })).toBeGreaterThanOrEqual(1);
    const out = app.output();
    expect(out).not.toContain('client-secret-1');
    expect(out).not.toContain('refresh-that-was-revoked');
    expect(out).not.toContain('PRIVATE KEY');
  });
});
