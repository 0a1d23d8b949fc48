// A first deploy (or a new namespace) must not post the stream's whole history: the notifier's
// new consumers start at "now". Past events are taken in again only on request, with
// `npm run notifier:replay -- --since TIME`, and what a destination already got is not repeated.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sharedNatsUrl, startFakeSlack, type FakeSlack } from '@maintwatch/testing';
import { lifecycleEvent } from './fixtures/lifecycle-events';
import { NotifierHarness, until } from './fixtures/notifier-harness';

jest.setTimeout(90_000);

const root = join(__dirname, '..', '..', '..');

/** Runs the replay command as a user does; resolves with its exit code and output. */
function replay(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'apps/notifier/src/cli/replay.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('notifier - a new consumer starts at now; replay on request', () => {
  let slack: FakeSlack;
  let h: NotifierHarness | undefined;

  beforeAll(async () => {
    slack = await startFakeSlack({ channels: ['C_FROM_NOW'] });
  });
  afterAll(async () => {
    await h?.close();
    await slack?.close();
  });

  const postsOf = (id: string) => slack.messages('C_FROM_NOW').filter((m) => JSON.stringify(m.blocks).includes(id)).length;

  it('events stored before the first start are not posted; replay --since posts them once and repeats nothing', async () => {
    h = await NotifierHarness.create(sharedNatsUrl(), { HOOK_URL: slack.webhookUrl('C_FROM_NOW') });
    h.routes({ destinations: { hook: { type: 'slack-webhook', urlEnv: 'HOOK_URL', rateLimit: { perSecond: 50 } } }, routes: [{ destinations: ['hook'] }] });
    const since = new Date(Date.now() - 1000);
    await h.publish(lifecycleEvent('new', { maintenanceId: 'PAST-1' }));
    await h.publish(lifecycleEvent('new', { maintenanceId: 'PAST-2' }));

    await h.start();
    await h.publish(lifecycleEvent('new', { maintenanceId: 'LIVE-1' }));
    await until(() => postsOf('LIVE-1') === 1, 20_000, 'the live event posted');
    // Deliveries to one destination go in stream order: had the consumer started at the
    // beginning, the past events would have been posted before the live one.
    expect(postsOf('PAST-1')).toBe(0);
    expect(postsOf('PAST-2')).toBe(0);

    const env = { NATS_URL: h.natsUrl, NATS_NAMESPACE: h.namespace };
    const bad = await replay(env, ['--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('usage: npm run notifier:replay -- --since TIME');

    const r = await replay(env, ['--since', since.toISOString()]);
    expect(r.out).toMatch(/notifier \(MAINTENANCE\): 3 messages from .* on will be taken in again/);
    expect(r.code).toBe(0);
    await until(() => postsOf('PAST-1') === 1 && postsOf('PAST-2') === 1, 30_000, 'the past events posted after the replay');

    // The live event was replayed too, and not posted again: a sentinel after it proves the
    // replayed stream has been worked through.
    await h.publish(lifecycleEvent('new', { maintenanceId: 'LIVE-2' }));
    await until(() => postsOf('LIVE-2') === 1, 20_000, 'the sentinel posted');
    expect(postsOf('LIVE-1')).toBe(1);
    expect(postsOf('PAST-1')).toBe(1);
    expect(slack.messages('C_FROM_NOW')).toHaveLength(4);
  });
});
