// The documented example of a user's own subscriber (examples/ticket-on-new-maintenance) runs
// as its README says, against a real NATS: one ticket per announced maintenance, none for other
// event types, none twice when the same event comes again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedNatsUrl } from '@maintwatch/testing';
import { lifecycleEvent } from './fixtures/lifecycle-events';
import { NotifierHarness, until } from './fixtures/notifier-harness';

jest.setTimeout(60_000);

const root = join(__dirname, '..', '..', '..');

describe('examples - your own subscriber', () => {
  let h: NotifierHarness;
  let child: ChildProcess | undefined;
  let dir: string;
  let out = '';

  beforeAll(async () => {
    h = await NotifierHarness.create(sharedNatsUrl());
    dir = mkdtempSync(join(tmpdir(), 'tickets-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ticket-on-new-maintenance - opens one ticket per announced maintenance, once, and stops cleanly', async () => {
    child = spawn(join(root, 'node_modules/.bin/tsx'), ['examples/ticket-on-new-maintenance/subscriber.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NATS_URL: h.natsUrl, NATS_NAMESPACE: h.namespace, TICKETS_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    await until(() => out.includes('listening on'), 20_000, 'subscriber ready');
    expect(out).toContain(`listening on ${h.namespace}.maintenance.event.v1.new`);

    const announced = lifecycleEvent('new', { maintenanceId: 'TICKET-1' });
    await h.publish(announced);
    await h.publish(lifecycleEvent('rescheduled', { maintenanceId: 'TICKET-1' }));
    await h.publish(announced, { msgId: `${announced.eventId}#again` }); // the same event once more
    await h.publish(lifecycleEvent('new', { maintenanceId: 'TICKET-2' }));
    await until(() => (out.match(/opened ticket|ticket already open/g) ?? []).length === 3, 15_000, 'three new events handled');

    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files).toContain(`${announced.eventId}.json`);
    const ticket = JSON.parse(readFileSync(join(dir, `${announced.eventId}.json`), 'utf8')) as Record<string, unknown>;
    expect(ticket).toMatchObject({
      externalId: announced.eventId,
      title: 'Zayo maintenance TICKET-1 (CONFIRMED)',
      start: '2030-01-01T00:00:00.000Z',
      circuits: ['OGYX/100200//ZYO OUTAGE', 'OGYX/100201//ZYO NO-IMPACT'],
    });
    expect(out).toContain(`ticket already open for Zayo TICKET-1 (${announced.eventId})`);

    const exited = new Promise<number | null>((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
