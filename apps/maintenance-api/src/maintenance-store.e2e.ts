// maintenance-api as a process between a real nats-server and PostgreSQL: what the parser and
// ingest publish is stored once, and every change comes out as one lifecycle event, also
// when JetStream's duplicate window no longer protects a redelivery.
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { CONSUMERS, KV_BUCKETS, SUBJECTS, type DeadLetter } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { startNats, testDatabase, testNamespace, type NatsServerHandle, type TestDatabase } from '@maintwatch/testing';
import {
  buildApp,
  collectEvents,
  consumerIdle,
  parsedMessage,
  publishParsed,
  rows,
  startApi,
  until,
  type AppProcess,
} from '../e2e-support/maintenance-api.harness';

jest.setTimeout(120_000);

const DUPLICATE_WINDOW_MS = 400;

describe('maintenance-api - store and lifecycle events', () => {
  let nats: NatsServerHandle;
  let db: TestDatabase;
  let bus: Bus;
  let api: AppProcess;
  let collector: Awaited<ReturnType<typeof collectEvents>>;
  const ns = testNamespace();

  beforeAll(async () => {
    buildApp('maintenance-api');
    [nats, db] = await Promise.all([startNats(), testDatabase()]);
    // The test's bus provisions with the service's duplicate window (a different one would be "drift" to fix).
    bus = await Bus.connect({ servers: nats.url, name: 'spec', namespace: ns, duplicateWindowMs: DUPLICATE_WINDOW_MS });
    await bus.provision();
    api = await startApi({ NATS_URL: nats.url, NATS_NAMESPACE: ns, DATABASE_URL: db.url, NATS_DUPLICATE_WINDOW_MS: String(DUPLICATE_WINDOW_MS) });
    await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 20_000, 'ready');
    collector = await collectEvents(bus);
  });
  afterAll(async () => {
    await collector?.stop();
    if (api) expect(await api.stop()).toBe(0);
    await bus?.close();
    await db?.drop();
    await nats?.stop();
  });

  it('a parsed maintenance is stored and announced once on maintenance.event.v1.new, with its correlation id', async () => {
    const p = parsedMessage('E2E-NEW-1');
    await publishParsed(bus, p, 'corr-e2e-1');
    await until(() => collector.of('E2E-NEW-1').length === 1, 15_000, 'new event');
    const [received] = collector.of('E2E-NEW-1');
    expect(received).toMatchObject({ type: 'new', correlationId: 'corr-e2e-1', msgId: received!.event.eventId });
    expect(received!.event).toMatchObject({ noticeId: p.noticeId, maintenance: { providerType: 'zayo', providerName: 'Zayo', status: 'CONFIRMED', version: 1 } });
    const [m] = await rows(db.url, `SELECT status, extract(epoch FROM starts_at)::bigint AS start FROM maintenance WHERE maintenance_id = 'E2E-NEW-1'`);
    expect(m).toEqual({ status: 'CONFIRMED', start: String(p.maintenance.start) });
  });

  it('the same message after the duplicate window is stored and announced once', async () => {
    const p = parsedMessage('E2E-DUP-1');
    expect(await publishParsed(bus, p)).toEqual({ duplicate: false });
    await until(() => collector.of('E2E-DUP-1').length === 1, 15_000, 'first event');
    // Within the window JetStream drops the copy; after it, the copy reaches the service.
    let again = { duplicate: true };
    await until(async () => !(again = await publishParsed(bus, p)).duplicate, 10_000, 'the window to pass');
    expect(again.duplicate).toBe(false);
    await until(() => consumerIdle(bus, 'MAINTENANCE', CONSUMERS.apiMaintenance), 15_000, 'the copy to be handled');
    expect(await rows(db.url, `SELECT attempt FROM parsed_record WHERE maintenance_key = 'E2E-DUP-1'`)).toEqual([{ attempt: 1 }]);
    // And a late reprocessing of the same notice (attempt 2): recorded, announced nothing.
    await publishParsed(bus, { ...p, attempt: 2 });
    await until(async () => (await rows(db.url, `SELECT 1 FROM parsed_record WHERE maintenance_key = 'E2E-DUP-1'`)).length === 2, 15_000, 'attempt 2');
    await until(() => consumerIdle(bus, 'MAINTENANCE', CONSUMERS.apiMaintenance), 15_000, 'idle');
    await until(async () => (await rows(db.url, `SELECT 1 FROM outbox WHERE published_at IS NULL`)).length === 0, 10_000, 'outbox drained');
    expect(collector.of('E2E-DUP-1').map((e) => e.type)).toEqual(['new']);
    expect(await rows(db.url, `SELECT count(*)::int AS n FROM outbox o JOIN maintenance m ON m.id = o.maintenance_id WHERE m.maintenance_id = 'E2E-DUP-1'`)).toEqual([{ n: 1 }]);
  });

  it('an update, a reschedule and a cancellation arrive as updated, rescheduled and cancelled, in order', async () => {
    const first = parsedMessage('E2E-LIFE-1');
    const m = first.maintenance;
    await publishParsed(bus, first);
    await until(() => collector.of('E2E-LIFE-1').length === 1, 15_000, 'new');
    await publishParsed(bus, parsedMessage('E2E-LIFE-1', { ...m, sequence: 2, summary: 'Fiber relocation, updated' }));
    await until(() => collector.of('E2E-LIFE-1').length === 2, 15_000, 'updated');
    await publishParsed(bus, parsedMessage('E2E-LIFE-1', { ...m, sequence: 3, summary: 'Fiber relocation, updated', start: m.start + 86_400, end: m.end + 86_400 }));
    await until(() => collector.of('E2E-LIFE-1').length === 3, 15_000, 'rescheduled');
    await publishParsed(bus, parsedMessage('E2E-LIFE-1', { ...m, sequence: 4, summary: 'Fiber relocation, updated', start: m.start + 86_400, end: m.end + 86_400, status: 'CANCELLED', circuits: [] }));
    await until(() => collector.of('E2E-LIFE-1').length === 4, 15_000, 'cancelled');
    const events = collector.of('E2E-LIFE-1');
    expect(events.map((e) => e.type)).toEqual(['new', 'updated', 'rescheduled', 'cancelled']);
    expect(events.map((e) => e.event.maintenance.version)).toEqual([1, 2, 3, 4]);
    expect(events[2]!.event.previousWindow).toEqual({ start: m.start, end: m.end });
    expect(events[3]!.event.maintenance.circuits.map((c) => c.providerCircuitId)).toEqual(['CKT-E2E-LIFE-1']);
  });

  it('raw notices are stored once, byte for byte, including one too large for a NATS message', async () => {
    const small = Buffer.from('From: noc@zayo.example\r\nSubject: Maintenance\r\nMessage-ID: <small@zayo.example>\r\n\r\nbody\r\n');
    const large = Buffer.concat([Buffer.from('From: noc@zayo.example\r\nSubject: Big\r\n\r\n'), randomBytes(2 * 1024 * 1024)]);
    expect(large.length).toBeGreaterThan(bus.maxPayload);
    const meta = (id: string) => ({ noticeId: `imap-noc:${id}@zayo.example`, source: 'imap-noc', receivedAt: 1_800_000_000, attempt: 1, correlationId: `c-${id}`, sender: 'noc@zayo.example' });
    await bus.publishRawNotice(meta('small'), small);
    await bus.publishRawNotice(meta('large'), large);
    await bus.publishRawNotice({ ...meta('small'), attempt: 2 }, small);
    await until(async () => (await rows(db.url, `SELECT 1 FROM raw_notice WHERE attempt = 2`)).length === 1 && (await rows(db.url, `SELECT 1 FROM raw_notice`)).length === 2, 20_000, 'raw notices');
    const stored = await rows<{ notice_id: string; body: Buffer; size: number }>(db.url, `SELECT notice_id, body, size FROM raw_notice ORDER BY size`);
    expect(stored.map((s) => s.notice_id)).toEqual(['imap-noc:small@zayo.example', 'imap-noc:large@zayo.example']);
    expect(stored[0]!.body.equals(small)).toBe(true);
    expect(stored[1]!.body.equals(large)).toBe(true);
  });

  it('unparsed and ignored notices are recorded with their reasons, once', async () => {
    const unparsed = { noticeId: 'imap-noc:unp@zayo.example', attempt: 1, providerType: 'zayo', reasons: ['no maintenance id', 'no window'] };
    const ignored = { noticeId: 'imap-noc:ign@news.example', attempt: 1, sender: 'news@news.example', reason: 'unknown sender and no BCOP calendar' };
    for (let i = 0; i < 2; i++) {
      await bus.publish(SUBJECTS.noticeUnparsed, unparsed, { msgId: `unp-${i}` });
      await bus.publish(SUBJECTS.noticeIgnored, ignored, { msgId: `ign-${i}` });
    }
    await until(() => consumerIdle(bus, 'NOTICES', CONSUMERS.apiNotices), 15_000, 'notices handled');
    expect(await rows(db.url, `SELECT provider_type, reasons FROM unparsed_record`)).toEqual([{ provider_type: 'zayo', reasons: ['no maintenance id', 'no window'] }]);
    expect(await rows(db.url, `SELECT sender, reason FROM ignored_record`)).toEqual([{ sender: 'news@news.example', reason: 'unknown sender and no BCOP calendar' }]);
  });

  it('a payload that is not valid, or that the store cannot take, goes to the dead letter with the reason', async () => {
    const jsm = await jetstreamManager(bus.nc);
    const deadLetters = async () => {
      const { state } = await jsm.streams.info(bus.ns.stream('DEADLETTER'));
      const out: DeadLetter[] = [];
      for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) out.push((await jsm.streams.getMessage(bus.ns.stream('DEADLETTER'), { seq }))!.json());
      return out;
    };
    await bus.js.publish(bus.ns.subject(SUBJECTS.maintenanceParsed), JSON.stringify({ noticeId: 'broken' }), { msgID: 'broken-1' });
    await publishParsed(bus, parsedMessage('E2E-LONG-1', {}, { providerType: 'x'.repeat(100) }));
    await until(async () => (await deadLetters()).length === 2, 20_000, 'two dead letters');
    const [invalid, refused] = await deadLetters();
    expect(invalid).toMatchObject({ service: 'maintenance-api', errorName: 'PayloadError', deliveries: 1 });
    expect(invalid!.reason).toContain('noticeId');
    expect(refused).toMatchObject({ errorName: 'PermanentError', deliveries: 1 });
    expect(refused!.reason).toMatch(/too long/);
    // And the service carries on.
    await publishParsed(bus, parsedMessage('E2E-AFTER-1'));
    await until(() => collector.of('E2E-AFTER-1').length === 1, 15_000, 'the next maintenance');
  });

  it('the provider table is seeded from the registry and published to the providers bucket', async () => {
    const kv = await bus.kv(KV_BUCKETS.providers);
    await until(async () => (await kv.get('zayo')) !== null, 10_000, 'zayo in the bucket');
    const zayo = (await kv.get('zayo'))!.json<Record<string, unknown>>();
    expect(zayo).toMatchObject({ type: 'zayo', name: 'Zayo', enabled: true });
    expect(zayo.senders).toEqual(expect.arrayContaining([expect.stringContaining('zayo')]));
    const [{ n }] = await rows<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM provider WHERE built_in`);
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    expect(keys.length).toBe(n);
  });
});
