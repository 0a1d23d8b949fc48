// The notifier as a process, fed through a real NATS, posting to local servers that behave like
// Slack (incoming webhooks and the Web API), Teams Workflows and a JSON webhook receiver:
// what arrives, how often, in what shape, and what happens when the other side fails.
import { LIFECYCLE_TYPES } from '@maintwatch/contracts';
import {
  sharedNatsUrl,
  startFakeSlack,
  startFakeTeams,
  startFakeWebhook,
  TEAMS_MAX_PAYLOAD_BYTES,
  type FakeSlack,
  type FakeTeams,
  type FakeWebhook,
} from '@maintwatch/testing';
import { circuits, lifecycleEvent, unparsedNotice } from './fixtures/lifecycle-events';
import { NotifierHarness, until } from './fixtures/notifier-harness';
import { unparsedEventId } from './rendering/notification';

jest.setTimeout(90_000);

const fast = { rateLimit: { perSecond: 100 }, timeoutMs: 1500, retry: { baseDelayMs: 100, maxDelayMs: 400, maxAttempts: 4 } };

describe('notifier - delivering to Slack, Teams and webhooks', () => {
  let h: NotifierHarness;
  let slack: FakeSlack;
  let strictSlack: FakeSlack;
  let teams: FakeTeams;
  let hooks: FakeWebhook;
  const secrets: string[] = [];

  beforeAll(async () => {
    [slack, strictSlack, teams, hooks] = await Promise.all([
      startFakeSlack({ channels: ['C_MAIN', 'C_HOOK', 'C_FLAKY', 'C_HANG', 'C_HANGHOOK', 'C_QUIET', 'C_DOOMED'] }),
      // Slack's own limit (about one message per second per channel), enforced with 429s.
      // Also a bot token without channels:history, which cannot search its channel.
      startFakeSlack({ channels: ['C_LIMITED', 'C_NOHIST'], rateLimit: { perSecond: 1, burst: 1 }, scopes: ['chat:write'] }),
      startFakeTeams(),
      startFakeWebhook(),
    ]);
    h = await NotifierHarness.create(sharedNatsUrl());
    const env: Record<string, string> = {
      BOT_TOKEN: slack.token,
      NOHIST_TOKEN: strictSlack.token,
      HOOK_URL: slack.webhookUrl('C_HOOK'),
      GONE_HOOK_URL: slack.webhookUrl('C_DELETED'),
      FLAKY_URL: slack.webhookUrl('C_FLAKY'),
      DOOMED_URL: slack.webhookUrl('C_DOOMED'),
      HANGHOOK_URL: slack.webhookUrl('C_HANGHOOK'),
      LIMITED_URL: strictSlack.webhookUrl('C_LIMITED'),
      TEAMS_URL: teams.webhookUrl('ops'),
      TEAMS_SLOW_URL: teams.webhookUrl('throttled'),
      TICKETS_URL: hooks.receiverUrl('tickets'),
      TICKETS_KEY: hooks.secret,
    };
    secrets.push(slack.token, strictSlack.token, ...['HOOK_URL', 'GONE_HOOK_URL', 'HANGHOOK_URL', 'TEAMS_URL'].map((k) => env[k].slice(env[k].lastIndexOf('/') + 1)), hooks.secret);
    h.setEnv({ ...env, NOTIFIER_PUBLIC_URL: 'https://mw.example.net', NOTIFIER_TIMEZONE: 'Europe/Paris' });
    const api = (channel: string, extra = {}) => ({ type: 'slack-api', tokenEnv: 'BOT_TOKEN', channel, apiUrl: slack.apiUrl, ...fast, ...extra });
    h.routes({
      destinations: {
        'slack-main': api('C_MAIN'),
        'slack-hook': { type: 'slack-webhook', urlEnv: 'HOOK_URL', ...fast },
        teams: { type: 'teams', urlEnv: 'TEAMS_URL', ...fast, maxCircuits: 200 },
        tickets: { type: 'webhook', urlEnv: 'TICKETS_URL', secretEnv: 'TICKETS_KEY', ...fast },
        'slack-gone': api('C_DOES_NOT_EXIST'),
        'hook-gone': { type: 'slack-webhook', urlEnv: 'GONE_HOOK_URL', ...fast },
        flaky: { type: 'slack-webhook', urlEnv: 'FLAKY_URL', ...fast, retry: { baseDelayMs: 100, maxDelayMs: 200, maxAttempts: 5 } },
        doomed: { type: 'slack-webhook', urlEnv: 'DOOMED_URL', ...fast, retry: { baseDelayMs: 100, maxDelayMs: 200, maxAttempts: 3 } },
        limited: { type: 'slack-webhook', urlEnv: 'LIMITED_URL' }, // Slack's default: 1 per second
        'hang-api': api('C_HANG', { timeoutMs: 700 }),
        'hang-hook': { type: 'slack-webhook', urlEnv: 'HANGHOOK_URL', ...fast, timeoutMs: 700 },
        'no-history': { type: 'slack-api', tokenEnv: 'NOHIST_TOKEN', channel: 'C_NOHIST', apiUrl: strictSlack.apiUrl, ...fast, timeoutMs: 700 },
        quiet: api('C_QUIET'),
        throttled: { type: 'teams', urlEnv: 'TEAMS_SLOW_URL', ...fast },
      },
      routes: [
        { providers: ['zayo'], destinations: ['slack-main', 'slack-hook', 'teams', 'tickets'] },
        { events: ['unparsed'], destinations: ['slack-main', 'slack-hook', 'teams', 'tickets'] },
        { providers: ['gone'], destinations: ['slack-gone', 'hook-gone', 'slack-main'] },
        { providers: ['flaky'], destinations: ['flaky', 'slack-main'] },
        { providers: ['doomed'], destinations: ['doomed'] },
        { providers: ['limited'], destinations: ['limited'] },
        { providers: ['hang'], destinations: ['hang-api', 'hang-hook', 'no-history'] },
        { providers: ['quiet'], destinations: ['quiet'] },
        { providers: ['throttled'], destinations: ['throttled'] },
      ],
    });
    await h.start();
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all([slack?.close(), strictSlack?.close(), teams?.close(), hooks?.close()]);
  });

  const apiMessages = (channel: string, eventId: string) => slack.messages(channel).filter((m) => m.metadata?.event_payload['event_id'] === eventId);
  const hookMessages = (channel: string, maintenanceId: string) => slack.messages(channel).filter((m) => JSON.stringify(m.blocks).includes(maintenanceId));

  it('every lifecycle event and an unparsed notice reach Slack (bot and webhook), Teams and the webhook, once each', async () => {
    const events = LIFECYCLE_TYPES.map((t) => lifecycleEvent(t, { maintenanceId: 'EVERY-1' }));
    for (const e of events) await h.publish(e, { correlationId: `corr-${e.type}` });
    const notice = unparsedNotice(1);
    await h.publishUnparsed(notice, 'corr-unparsed');
    const ids = [...events.map((e) => e.eventId), unparsedEventId(notice)];
    await until(
      () => slack.messages('C_MAIN').length >= 9 && slack.messages('C_HOOK').length >= 9 && teams.posts('ops').length >= 9 && hooks.posts('tickets').length >= 9,
      20_000,
      'nine messages in each destination',
    );
    for (const id of ids) expect(apiMessages('C_MAIN', id)).toHaveLength(1);
    expect(slack.messages('C_MAIN')).toHaveLength(9);
    expect(slack.messages('C_HOOK')).toHaveLength(9);
    expect(teams.posts('ops')).toHaveLength(9);
    // The Slack post carries the correlation id from the event's message on.
    const rescheduled = apiMessages('C_MAIN', events[2].eventId)[0];
    expect(rescheduled.metadata?.event_payload['correlation_id']).toBe('corr-rescheduled');
    expect(JSON.stringify(rescheduled.blocks)).toContain('ref corr-rescheduled');
    expect(JSON.stringify(rescheduled.blocks)).toContain('~2030-01-01 01:00–05:30 GMT+1~ → 2030-01-02 01:00–05:30 GMT+1');
    const headers = slack.messages('C_HOOK').map((m) => (m.blocks?.[0]?.['text'] as { text: string } | undefined)?.text);
    expect(headers).toContain('❓ Notice could not be parsed: GTT maintenance notice #1 <urgent> & more');
    // The webhook: signed body, Idempotency-Key = event id, the event itself inside.
    const posts = hooks.posts('tickets');
    expect(posts).toHaveLength(9);
    expect(posts.every((p) => p.signatureValid)).toBe(true);
    expect(posts.map((p) => p.headers['idempotency-key']).sort()).toEqual([...ids].sort());
    const cancelled = posts.find((p) => p.headers['idempotency-key'] === events[3].eventId);
    expect(cancelled?.json).toMatchObject({ type: 'cancelled', event: { eventId: events[3].eventId, maintenance: { maintenanceId: 'EVERY-1' } }, possibleRepeat: false });
    expect(cancelled?.headers['maintwatch-correlation-id']).toBe('corr-cancelled');
    expect(JSON.stringify(teams.posts('ops')[0].card)).toContain('https://mw.example.net/api/v1/maintenances?provider=zayo&maintenanceId=EVERY-1');
  });

  it('the same event delivered again, even after the duplicate window, posts nothing new', async () => {
    const again = lifecycleEvent('new', { maintenanceId: 'EVERY-1' });
    await h.publish(again, { msgId: `${again.eventId}#replayed` }); // a new message id: JetStream stores it again
    const sentinel = lifecycleEvent('new', { maintenanceId: 'AFTER-REPLAY' });
    await h.publish(sentinel);
    await until(() => apiMessages('C_MAIN', sentinel.eventId).length === 1 && hooks.posts('tickets').some((p) => p.headers['idempotency-key'] === sentinel.eventId), 15_000, 'sentinel delivered');
    await until(() => teams.posts('ops').length === 10 && hookMessages('C_HOOK', 'AFTER-REPLAY').length === 1, 15_000, 'sentinel everywhere');
    expect(apiMessages('C_MAIN', again.eventId)).toHaveLength(1);
    expect(hookMessages('C_HOOK', 'EVERY-1')).toHaveLength(8);
    expect(hooks.posts('tickets').filter((p) => p.headers['idempotency-key'] === again.eventId)).toHaveLength(1);
    expect(teams.posts('ops')).toHaveLength(10);
  });

  it('a 500 and then a 429 with Retry-After are retried; the message arrives once, not before Retry-After, and the other destination is not held up', async () => {
    slack.fail('C_FLAKY', { status: 500 }, { error: 'rate_limited', status: 429, retryAfterS: 1 });
    const event = lifecycleEvent('new', { providerType: 'flaky', maintenanceId: 'FLAKY-1' });
    await h.publish(event);
    await until(() => slack.messages('C_FLAKY').length === 1, 15_000, 'flaky message');
    const tries = slack.requests().filter((r) => r.target === 'C_FLAKY');
    expect(tries.map((r) => r.status)).toEqual([500, 429, 200]);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(950);
    expect(await h.metric('notifier_deliveries_total', { destination: 'flaky', outcome: 'retry' })).toBe(2);
    // The same event went to slack-main while flaky was still retrying.
    expect(apiMessages('C_MAIN', event.eventId)[0].receivedAt).toBeLessThan(tries[1].at);
  });

  it('after the last retry the delivery is dead-lettered and counted', async () => {
    slack.fail('C_DOOMED', { status: 500 }, { status: 502 }, { status: 503 });
    const event = lifecycleEvent('new', { providerType: 'doomed', maintenanceId: 'DOOMED-1' });
    await h.publish(event);
    await until(async () => (await h.deadLetters()).some((d) => d.headers['destination'] === 'doomed'), 15_000, 'dead letter');
    const dl = (await h.deadLetters()).find((d) => d.headers['destination'] === 'doomed');
    expect(dl).toMatchObject({ service: 'notifier', consumer: 'notifier-doomed', deliveries: 3, subject: 'maintenance.event.v1.new' });
    expect(dl?.reason).toBe('gave up after 3 attempts: Slack webhook answered 503 internal_error');
    expect(slack.messages('C_DOOMED')).toHaveLength(0);
    expect(slack.requests().filter((r) => r.target === 'C_DOOMED')).toHaveLength(3);
    expect(await h.metric('notifier_dead_letters_total', { destination: 'doomed' })).toBe(1);
  });

  it('a channel that does not exist is dead-lettered at once, and the other destination is not delayed', async () => {
    const event = lifecycleEvent('new', { providerType: 'gone', maintenanceId: 'GONE-1' });
    await h.publish(event, { correlationId: 'corr-gone' });
    await until(() => apiMessages('C_MAIN', event.eventId).length === 1, 10_000, 'good destination');
    const gone = async () => (await h.deadLetters()).filter((d) => d.headers['eventId'] === event.eventId);
    await until(async () => (await gone()).length >= 2, 10_000, 'two dead letters');
    const dls = await gone();
    expect(dls.map((d) => `${d.headers['destination']} ${d.reason}`).sort()).toEqual([
      'hook-gone Slack webhook answered 404 channel_not_found',
      'slack-gone Slack: channel_not_found',
    ]);
    expect(dls.every((d) => d.headers['eventId'] === event.eventId && d.headers['correlationId'] === 'corr-gone' && d.subject === 'maintenance.event.v1.new')).toBe(true);
    expect(JSON.parse(Buffer.from(dls[0].payloadBase64, 'base64').toString())).toMatchObject({ eventId: event.eventId });
    // Refused for good: asked once, not retried.
    expect(slack.requests().filter((r) => r.target === 'C_DOES_NOT_EXIST' || r.target === 'C_DELETED')).toHaveLength(2);
    expect(await h.metric('notifier_dead_letters_total', { destination: 'slack-gone' })).toBe(1);
  });

  it("Slack's rate limit: five messages for one channel are posted about a second apart, and Slack never answers 429", async () => {
    for (let i = 1; i <= 5; i++) await h.publish(lifecycleEvent('new', { providerType: 'limited', maintenanceId: `LIM-${i}` }));
    await until(() => strictSlack.messages('C_LIMITED').length === 5, 20_000, 'five limited messages');
    // The stand-in enforces Slack's 1/s per channel (burst 1) and answers 429 beyond it: none
    // means the notifier paced itself. Arrival gaps are not compared one by one, since a loaded
    // machine can delay one request and bunch the next two; five posts cannot all have been
    // sent within less than four seconds, minus the delay of the first one.
    expect(strictSlack.requests().filter((r) => r.status === 429)).toHaveLength(0);
    const at = strictSlack.messages('C_LIMITED').map((m) => m.receivedAt);
    expect(at[at.length - 1] - at[0]).toBeGreaterThanOrEqual(2000);
    // In the order the events came.
    expect(strictSlack.messages('C_LIMITED').map((m) => JSON.stringify(m.blocks).match(/LIM-\d/)?.[0])).toEqual(['LIM-1', 'LIM-2', 'LIM-3', 'LIM-4', 'LIM-5']);
  });

  it('a hanging request times out: the Slack bot finds its post and does not repeat it; the webhook re-sends once, marked as a possible repeat', async () => {
    slack.fail('C_HANG', { hang: 'after-store' });
    slack.fail('C_HANGHOOK', { hang: 'after-store' });
    strictSlack.fail('C_NOHIST', { hang: 'after-store' });
    const event = lifecycleEvent('new', { providerType: 'hang', maintenanceId: 'HANG-1' });
    await h.publish(event);
    await until(() => slack.messages('C_HANGHOOK').length === 2, 15_000, 'webhook re-sent');
    await until(async () => (await h.metric('notifier_in_doubt_total', { destination: 'hang-api', resolution: 'found' })) === 1, 15_000, 'bot resolved');
    expect(apiMessages('C_HANG', event.eventId)).toHaveLength(1);
    const [first, second] = slack.messages('C_HANGHOOK');
    expect(JSON.stringify(first.blocks)).not.toContain('Possible repeat');
    expect(JSON.stringify(second.blocks)).toContain('Possible repeat');
    expect(await h.metric('notifier_in_doubt_total', { destination: 'hang-hook', resolution: 'resent' })).toBe(1);
    expect(await h.metric('notifier_deliveries_total', { destination: 'hang-api', outcome: 'unknown' })).toBe(1);
    // A bot that may not read its channel cannot search it: it re-sends once, marked.
    await until(() => strictSlack.messages('C_NOHIST').length === 2, 15_000, 'no-history re-sent');
    expect(JSON.stringify(strictSlack.messages('C_NOHIST')[1].blocks)).toContain('Possible repeat');
    expect(await h.metric('notifier_in_doubt_total', { destination: 'no-history', resolution: 'resent' })).toBe(1);
    expect(h.process.output()).toContain('no-history: cannot search the channel (conversations.history answered 200 missing_scope)');
  });

  it('NO-IMPACT maintenances stay quiet; one with an outage is posted', async () => {
    const quiet = lifecycleEvent('new', { providerType: 'quiet', maintenanceId: 'Q-NOIMPACT', circuits: circuits(3, 'NO-IMPACT') });
    const loud = lifecycleEvent('new', { providerType: 'quiet', maintenanceId: 'Q-OUTAGE', circuits: circuits(3, 'OUTAGE') });
    await h.publish(quiet);
    await h.publish(loud);
    await until(() => apiMessages('C_QUIET', loud.eventId).length === 1, 10_000, 'outage posted');
    expect(slack.messages('C_QUIET')).toHaveLength(1);
    expect(await h.metric('notifier_events_total', { type: 'new', routed: 'false' })).toBeGreaterThanOrEqual(1);
  });

  it('Teams throttling (429 with Retry-After) is honoured, and a 200-circuit card stays under 28 KB', async () => {
    teams.fail('throttled', { status: 429, error: 'TooManyRequests', retryAfterS: 1 });
    await h.publish(lifecycleEvent('new', { providerType: 'throttled', maintenanceId: 'T-1' }));
    await h.publish(lifecycleEvent('new', { maintenanceId: 'BIG-200', circuits: circuits(200).map((c) => ({ ...c, providerCircuitId: `${c.providerCircuitId}/${'Z'.repeat(150)}` })) }));
    await until(() => teams.posts('throttled').length === 1, 10_000, 'throttled post');
    const tries = teams.requests().filter((r) => r.target === 'throttled');
    expect(tries.map((r) => r.status)).toEqual([429, 202]);
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(950);
    await until(() => teams.posts('ops').some((p) => JSON.stringify(p.card).includes('BIG-200')), 10_000, 'big card');
    const big = teams.posts('ops').find((p) => JSON.stringify(p.card).includes('BIG-200'));
    expect(big?.bytes).toBeLessThanOrEqual(TEAMS_MAX_PAYLOAD_BYTES);
    expect(JSON.stringify(big?.card)).toMatch(/…and \d+ more/);
  });

  it('/metrics shows deliveries by destination and outcome, the delivery latency and the queue', async () => {
    expect(await h.metric('notifier_deliveries_total', { destination: 'slack-main', outcome: 'sent' })).toBeGreaterThanOrEqual(11);
    expect(await h.metric('notifier_delivery_latency_seconds_count', { destination: 'teams' })).toBeGreaterThanOrEqual(10);
    expect(await h.metric('notifier_deliveries_total', { destination: 'hook-gone', outcome: 'dead' })).toBe(1);
    expect(await h.metric('notifier_queued_deliveries', { destination: 'slack-main' })).toBe(0);
  });

  it('webhook URLs and tokens never appear in the log', () => {
    const out = h.process.output();
    expect(out).toContain('routing from');
    for (const s of secrets) expect(out).not.toContain(s);
  });
});
