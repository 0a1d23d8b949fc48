// With no Slack, Teams or routing file configured (a fresh `npm start`), the notifier prints
// every notification on the console; with a broken routing file it refuses to start and says
// what is wrong, line by line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedNatsUrl } from '@maintwatch/testing';
import { lifecycleEvent, unparsedNotice } from './fixtures/lifecycle-events';
import { NotifierHarness, runNotifierToExit, until } from './fixtures/notifier-harness';

jest.setTimeout(60_000);

describe('notifier - console and configuration', () => {
  let h: NotifierHarness;
  beforeAll(async () => {
    h = await NotifierHarness.create(sharedNatsUrl(), { LOG_FORMAT: 'pretty' });
    await h.start();
  });
  afterAll(() => h?.close());

  it('no destination configured - notifications are printed on the console, readable', async () => {
    const event = lifecycleEvent('rescheduled', { maintenanceId: 'CONSOLE-1' });
    await h.publish(event);
    await h.publishUnparsed(unparsedNotice(7));
    await until(() => h.process.output().includes('Notice could not be parsed'), 10_000, 'console notification');
    const out = h.process.output();
    expect(out).toContain('routing from environment: 1 route(s) to console (console)');
    expect(out).toContain('📅 Maintenance rescheduled: Zayo CONSOLE-1');
    expect(out).toContain('Changed Window: 2030-01-01 00:00–04:30 UTC -> 2030-01-02 00:00–04:30 UTC');
    expect(out).toContain(`event ${event.eventId}`);
    expect(out).toContain('Reason: gtt html parser: no maintenance table found');
  });

  it('a routing file with mistakes - exits 78 listing each one, never a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notifier-bad-routes-'));
    try {
      const path = join(dir, 'routes.yaml');
      writeFileSync(path, ['destinations:', '  noc: { type: slack-webhook, urlEnv: NOC_URL, colour: red }', '  ops: { type: teams, urlEnv: OPS_URL }', 'routes:', '  - { destinations: [ops, pager] }'].join('\n'));
      const r = runNotifierToExit({ NATS_URL: sharedNatsUrl(), NOTIFIER_ROUTES_FILE: path, OPS_URL: 'smtp://hunter2@mail' });
      expect(r.code).toBe(78);
      expect(r.stderr).toContain('NOTIFIER_ROUTES_FILE.destinations.noc: unknown key "colour"');
      expect(r.stderr).not.toContain('hunter2');
      expect(r.stdout).toBe('');
      writeFileSync(path, ['destinations:', '  ops: { type: teams, urlEnv: OPS_URL }', 'routes:', '  - { destinations: [ops, pager] }'].join('\n'));
      const r2 = runNotifierToExit({ NATS_URL: sharedNatsUrl(), NOTIFIER_ROUTES_FILE: path, OPS_URL: 'smtp://hunter2@mail' });
      expect(r2.code).toBe(78);
      expect(r2.stderr.split('\n').slice(1, 3)).toEqual([
        `  NOTIFIER_ROUTES_FILE.destinations.ops.urlEnv: the value of OPS_URL is not an http:// or https:// URL (not shown: it is a secret) (got "${path}")`,
        `  NOTIFIER_ROUTES_FILE.routes.0.destinations.1: names destination "pager", which is not defined (defined: ops) (got "${path}")`,
      ]);
      expect(r2.stderr).not.toContain('hunter2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
