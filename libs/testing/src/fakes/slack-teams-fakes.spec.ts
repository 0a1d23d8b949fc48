// The stand-ins answer the way Slack and Teams do, so that a client tested against them
// handles the real services' answers.
import { createHmac } from 'node:crypto';
import { startFakeSlack, type FakeSlack } from './fake-slack.server';
import { startFakeTeams, TEAMS_MAX_PAYLOAD_BYTES, type FakeTeams } from './fake-teams.server';
import { startFakeWebhook } from './fake-webhook.server';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe(startFakeSlack.name, () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack({ channels: ['C1'] });
  });
  afterEach(() => slack.close());

  it('incoming webhook - 200 "ok" and the message stored; 400 invalid_payload, invalid_blocks; 404 channel_not_found', async () => {
    const hook = slack.webhookUrl('C1');
    const ok = await post(hook, { text: 'hello', blocks: [section('hi')] });
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    expect(slack.messages('C1')).toHaveLength(1);
    const notJson = await post(hook, '{nope');
    expect([notJson.status, await notJson.text()]).toEqual([400, 'invalid_payload']);
    const tooMany = await post(hook, { blocks: Array.from({ length: 51 }, () => section('x')) });
    expect([tooMany.status, await tooMany.text()]).toEqual([400, 'invalid_blocks']);
    const tooLong = await post(hook, { blocks: [section('x'.repeat(3001))] });
    expect([tooLong.status, await tooLong.text()]).toEqual([400, 'invalid_blocks']);
    const fifty = await post(hook, { blocks: Array.from({ length: 50 }, () => section('x'.repeat(3000))) });
    expect(fifty.status).toBe(200);
    const gone = await post(slack.webhookUrl('C_GONE'), { text: 'x' });
    expect([gone.status, await gone.text()]).toEqual([404, 'channel_not_found']);
  });

  it('chat.postMessage - needs the token; stores metadata; conversations.history returns it only with include_all_metadata', async () => {
    const auth = { authorization: `Bearer ${slack.token}` };
    expect(await (await post(`${slack.apiUrl}/chat.postMessage`, { channel: 'C1', text: 'x' })).json()).toEqual({ ok: false, error: 'not_authed' });
    expect(await (await post(`${slack.apiUrl}/chat.postMessage`, { channel: 'C9', text: 'x' }, auth)).json()).toEqual({ ok: false, error: 'channel_not_found' });
    const res = (await (await post(`${slack.apiUrl}/chat.postMessage`, { channel: 'C1', text: 'x', metadata: { event_type: 'e', event_payload: { id: 1 } } }, auth)).json()) as { ok: boolean; ts: string };
    expect(res.ok).toBe(true);
    const plain = (await (await fetch(`${slack.apiUrl}/conversations.history?channel=C1`, { headers: auth })).json()) as { messages: { ts: string; metadata?: unknown }[] };
    expect(plain.messages).toEqual([{ type: 'message', ts: res.ts, text: 'x' }]);
    const withMeta = (await (await fetch(`${slack.apiUrl}/conversations.history?channel=C1&include_all_metadata=true`, { headers: auth })).json()) as { messages: { metadata?: unknown }[] };
    expect(withMeta.messages[0].metadata).toEqual({ event_type: 'e', event_payload: { id: 1 } });
  });

  it('faults - 429 with Retry-After, 500, and a request that hangs until the client gives up', async () => {
    const hook = slack.webhookUrl('C1');
    slack.fail('C1', { status: 429, error: 'rate_limited', retryAfterS: 3 }, { status: 500 }, { hang: 'after-store' });
    const limited = await post(hook, { text: 'a' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await post(hook, { text: 'b' })).status).toBe(500);
    await expect(fetch(hook, { method: 'POST', body: JSON.stringify({ text: 'c' }), signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(slack.messages('C1').map((m) => m.text)).toEqual(['c']); // stored, never answered
  });

  it('rate limit - a second post within the second is answered 429 with Retry-After', async () => {
    const limited = await startFakeSlack({ channels: ['C1'], rateLimit: { perSecond: 1 } });
    try {
      const hook = limited.webhookUrl('C1');
      expect((await post(hook, { text: 'a' })).status).toBe(200);
      const second = await post(hook, { text: 'b' });
      expect([second.status, second.headers.get('retry-after')]).toEqual([429, '1']);
    } finally {
      await limited.close();
    }
  });
});

describe(startFakeTeams.name, () => {
  let teams: FakeTeams;
  beforeEach(async () => {
    teams = await startFakeTeams({ rateLimit: { perSecond: 1 } });
  });
  afterEach(() => teams.close());
  const card = (text: string) => ({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text }] } }] });

  it('workflow webhook - 202 for an Adaptive Card; 400 without one; 413 over 28 KB; 429 when throttled', async () => {
    const url = teams.webhookUrl('ops');
    expect((await post(url, card('hi'))).status).toBe(202);
    expect(teams.posts('ops')).toHaveLength(1);
    expect((await post(url, { text: 'plain' })).status).toBe(400);
    expect((await post(url, card('x'.repeat(TEAMS_MAX_PAYLOAD_BYTES)))).status).toBe(413);
    const throttled = await post(url, card('again'));
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
  });
});

describe(startFakeWebhook.name, () => {
  it('receiver - accepts a body signed with the shared secret and refuses a bad signature', async () => {
    const hook = await startFakeWebhook();
    try {
      const body = JSON.stringify({ a: 1 });
      const sig = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`;
      expect((await post(hook.receiverUrl('r'), body, { 'x-maintwatch-signature': sig, 'idempotency-key': 'k1' })).status).toBe(204);
      expect((await post(hook.receiverUrl('r'), body, { 'x-maintwatch-signature': 'sha256=00' })).status).toBe(401);
      expect(hook.posts('r').map((p) => [p.signatureValid, p.headers['idempotency-key']])).toEqual([[true, 'k1']]);
    } finally {
      await hook.close();
    }
  });
});
