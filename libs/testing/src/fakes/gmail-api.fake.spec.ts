import { createSign } from 'node:crypto';
import { startFakeGmail, type FakeGmailHandle } from '../index';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('fake Gmail API', () => {
  let gmail: FakeGmailHandle;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gmail.rootUrl}gmail/v1/users/me/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    gmail = await startFakeGmail();
    gmail.addOAuthClient({ clientId: 'c1', clientSecret: 's1', refreshToken: 'r1', user: 'noc@example.com' });
    const res = await fetch(gmail.tokenUrl, form({ grant_type: 'refresh_token', client_id: 'c1', client_secret: 's1', refresh_token: 'r1' }));
    token = ((await res.json()) as { access_token: string }).access_token;
  });

  afterAll(() => gmail?.stop());

  it('fake gmail - a missing or unknown token is a 401 with Google\'s error body; a bad refresh token an invalid_grant', async () => {
    const res = await fetch(`${gmail.rootUrl}gmail/v1/users/me/profile`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] } });
    const bad = await fetch(gmail.tokenUrl, form({ grant_type: 'refresh_token', client_id: 'c1', client_secret: 's1', refresh_token: 'nope' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('fake gmail - listing pages newest first with page tokens; history after a start id, 404 once expired', async () => {
    const ids = [1, 2, 3].map((n) => gmail.addMessage('noc@example.com', `Subject: ${n}\r\n\r\nbody ${n}\r\n`, { internalDate: new Date(Date.now() - (4 - n) * 1000) }));
    const page1 = (await (await api('messages?maxResults=2')).json()) as { messages: { id: string }[]; nextPageToken: string };
    expect(page1.messages.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await (await api(`messages?maxResults=2&pageToken=${page1.nextPageToken}`)).json()) as { messages: { id: string }[]; nextPageToken?: string };
    expect(page2).toEqual({ messages: [{ id: ids[0], threadId: ids[0] }], resultSizeEstimate: 3 });
    const raw = (await (await api(`messages/${ids[0]}?format=raw`)).json()) as { raw: string };
    expect(Buffer.from(raw.raw, 'base64url').toString()).toBe('Subject: 1\r\n\r\nbody 1\r\n');

    const start = gmail.historyId('noc@example.com');
    const added = gmail.addMessage('noc@example.com', 'Subject: 4\r\n\r\n');
    const history = (await (await api(`history?startHistoryId=${start}&historyTypes=messageAdded`)).json()) as {
      history: { messagesAdded: { message: { id: string } }[] }[];
      historyId: string;
    };
    expect(history.history.flatMap((h) => h.messagesAdded.map((a) => a.message.id))).toEqual([added]);
    expect(history.historyId).toBe(gmail.historyId('noc@example.com'));
    gmail.expireHistory('noc@example.com');
    const expired = await api(`history?startHistoryId=${start}`);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });

  it('fake gmail - injected 429 carries Retry-After; labels are created once (409 after) and added by modify', async () => {
    gmail.failNext({ status: 429, retryAfterS: 2 });
    const throttled = await api('labels');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(await throttled.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded' }] } });
    const created = (await (await api('labels', { method: 'POST', body: JSON.stringify({ name: 'done' }) })).json()) as { id: string };
    expect((await api('labels', { method: 'POST', body: JSON.stringify({ name: 'done' }) })).status).toBe(409);
    const id = gmail.addMessage('noc@example.com', 'Subject: x\r\n\r\n');
    expect((await api(`messages/${id}/modify`, { method: 'POST', body: JSON.stringify({ addLabelIds: [created.id] }) })).status).toBe(200);
    expect(gmail.messageLabelNames('noc@example.com', id)).toContain('done');
    expect((await api(`messages/${id}/modify`, { method: 'POST', body: JSON.stringify({ addLabelIds: ['Label_404'] }) })).status).toBe(400);
  });

  it('fake gmail - an injected 403 usage limit says userRateLimitExceeded in the usageLimits domain, unlike a refusal', async () => {
    gmail.failNext({ status: 403, reason: 'userRateLimitExceeded', retryAfterS: 1 });
    gmail.failNext({ status: 403 });
    const limited = await api('profile');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({
      error: { code: 403, message: 'User Rate Limit Exceeded', errors: [{ message: 'User Rate Limit Exceeded', domain: 'usageLimits', reason: 'userRateLimitExceeded' }], status: 'PERMISSION_DENIED' },
    });
    const refused = await api('profile');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { errors: [{ reason: 'forbidden', domain: 'global' }] } });
    expect((await api('profile')).status).toBe(200);
  });

  it('fake gmail - a service account JWT grant is checked: signature, and delegation only inside its domains', async () => {
    const key = gmail.addServiceAccount({ email: 'sa@p.iam.gserviceaccount.com', domains: ['example.com'] });
    const jwt = (sub: string, privateKey = key.private_key) => {
      const now = Math.floor(Date.now() / 1000);
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iss: key.client_email, sub, scope: 'x', aud: 'https://oauth2.googleapis.com/token', iat: now, exp: now + 3600 })}`;
      return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
    };
    const grant = (assertion: string) => fetch(gmail.tokenUrl, form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }));
    expect((await grant(jwt('ops@example.com'))).status).toBe(200);
    const outside = await grant(jwt('ops@other.org'));
    expect(outside.status).toBe(401);
    expect(await outside.json()).toMatchObject({ error: 'unauthorized_client' });
    const other = gmail.addServiceAccount({ email: 'other@p.iam.gserviceaccount.com', domains: ['example.com'] });
    expect((await grant(jwt('ops@example.com', other.private_key))).status).toBe(400);
  });
});
