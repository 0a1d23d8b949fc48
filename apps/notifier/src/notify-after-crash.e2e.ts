// The notifier SIGKILLed at the worst moments, then started again: before the request reached
// Slack, after Slack stored the post but before it answered, and with deliveries still queued
// behind the rate limiter. Nothing is lost; nothing is posted twice where Slack can be asked;
// a webhook that cannot be asked gets one re-send, marked as a possible repeat.
import { sharedNatsUrl, startFakeSlack, type FakeSlack } from '@maintwatch/testing';
import { lifecycleEvent } from './fixtures/lifecycle-events';
import { NotifierHarness, until } from './fixtures/notifier-harness';

jest.setTimeout(90_000);

describe('notifier - after a crash', () => {
  let slack: FakeSlack;
  let h: NotifierHarness | undefined;

  beforeAll(async () => {
    slack = await startFakeSlack({ channels: ['C_AFTER', 'C_BEFORE', 'C_WEBHOOK', 'C_BACKLOG'] });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  afterAll(() => slack?.close());

  /** A notifier with one destination; short time limits so that in-doubt records resolve quickly. */
  async function notifier(destination: Record<string, unknown>, env: Record<string, string> = {}): Promise<NotifierHarness> {
    const harness = await NotifierHarness.create(sharedNatsUrl(), { BOT_TOKEN: slack.token, ...env });
    harness.routes({ destinations: { dest: { timeoutMs: 1000, ...destination } }, routes: [{ destinations: ['dest'] }] });
    await harness.start();
    return harness;
  }
  const posts = (channel: string) => slack.requests().filter((r) => r.target === channel && r.method === 'POST' && !r.path.endsWith('conversations.history'));
  const forEvent = (channel: string, eventId: string) => slack.messages(channel).filter((m) => m.metadata?.event_payload['event_id'] === eventId);

  it('Slack bot: killed after Slack stored the post but before it answered - after restart the post is found and not repeated', async () => {
    h = await notifier({ type: 'slack-api', tokenEnv: 'BOT_TOKEN', channel: 'C_AFTER', apiUrl: slack.apiUrl });
    slack.fail('C_AFTER', { hang: 'after-store' });
    const event = lifecycleEvent('new', { maintenanceId: 'CRASH-AFTER' });
    await h.publish(event);
    await slack.nextRequest((r) => r.target === 'C_AFTER');
    await h.kill();
    expect(forEvent('C_AFTER', event.eventId)).toHaveLength(1);
    await h.start();
    await until(async () => (await h?.metric('notifier_in_doubt_total', { resolution: 'found' })) === 1, 20_000, 'in-doubt delivery found');
    expect(forEvent('C_AFTER', event.eventId)).toHaveLength(1);
    expect(posts('C_AFTER')).toHaveLength(1);
    expect(slack.requests().some((r) => r.path.endsWith('conversations.history') && r.target === 'C_AFTER')).toBe(true);
  });

  it('Slack bot: killed while the request hung before Slack stored it - after restart it is posted, once', async () => {
    h = await notifier({ type: 'slack-api', tokenEnv: 'BOT_TOKEN', channel: 'C_BEFORE', apiUrl: slack.apiUrl });
    slack.fail('C_BEFORE', { hang: 'before-store' });
    const event = lifecycleEvent('new', { maintenanceId: 'CRASH-BEFORE' });
    await h.publish(event);
    await slack.nextRequest((r) => r.target === 'C_BEFORE');
    await h.kill();
    expect(slack.messages('C_BEFORE')).toHaveLength(0);
    await h.start();
    await until(() => slack.messages('C_BEFORE').length === 1, 20_000, 'posted after restart');
    expect(forEvent('C_BEFORE', event.eventId)).toHaveLength(1);
    expect(await h.metric('notifier_in_doubt_total', { resolution: 'not-found' })).toBe(1);
    expect(JSON.stringify(slack.messages('C_BEFORE')[0].blocks)).not.toContain('Possible repeat');
  });

  it('incoming webhook: killed after the request - after restart it is re-sent once, marked as a possible repeat, and counted', async () => {
    const harness = await notifier({ type: 'slack-webhook', urlEnv: 'HOOK_URL' }, { HOOK_URL: slack.webhookUrl('C_WEBHOOK') });
    h = harness;
    slack.fail('C_WEBHOOK', { hang: 'after-store' });
    await harness.publish(lifecycleEvent('new', { maintenanceId: 'CRASH-HOOK' }));
    await slack.nextRequest((r) => r.target === 'C_WEBHOOK');
    await harness.kill();
    await harness.start();
    await until(() => slack.messages('C_WEBHOOK').length === 2, 20_000, 're-sent');
    const [first, second] = slack.messages('C_WEBHOOK');
    expect(JSON.stringify(first.blocks)).not.toContain('Possible repeat');
    expect(JSON.stringify(second.blocks)).toContain('Possible repeat');
    expect(await harness.metric('notifier_in_doubt_total', { resolution: 'resent' })).toBe(1);
    // Once: nothing more arrives.
    await harness.publish(lifecycleEvent('new', { maintenanceId: 'CRASH-HOOK-NEXT' }));
    await until(() => slack.messages('C_WEBHOOK').length === 3, 10_000, 'next message');
    expect(slack.messages('C_WEBHOOK').filter((m) => /CRASH-HOOK(?!-NEXT)/.test(JSON.stringify(m.blocks)))).toHaveLength(2);
  });

  it('killed with deliveries queued behind the rate limit - after restart every event is posted exactly once, in order', async () => {
    h = await notifier({ type: 'slack-api', tokenEnv: 'BOT_TOKEN', channel: 'C_BACKLOG', apiUrl: slack.apiUrl, rateLimit: { perSecond: 2 } });
    const events = Array.from({ length: 6 }, (_, i) => lifecycleEvent('new', { maintenanceId: `BACKLOG-${i + 1}` }));
    for (const e of events) await h.publish(e);
    await until(() => slack.messages('C_BACKLOG').length >= 2, 15_000, 'two posted');
    await h.kill();
    expect(slack.messages('C_BACKLOG').length).toBeLessThan(6);
    await h.start();
    await until(() => slack.messages('C_BACKLOG').length >= 6, 20_000, 'all six posted');
    for (const e of events) expect(forEvent('C_BACKLOG', e.eventId)).toHaveLength(1);
    expect(slack.messages('C_BACKLOG').map((m) => m.metadata?.event_payload['event_id'])).toEqual(events.map((e) => e.eventId));
  });
});
