import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { SUBJECTS, lifecycleEventId, type NoticeUnparsed } from '@maintwatch/contracts';
import { ownNats, startNats, testNamespace, type NatsServerHandle } from '@maintwatch/testing';
import { Bus } from './bus';
import { startConsumer, type Handler, type RunningConsumer } from './consumer';
import { PayloadError, PermanentError, TransientError } from './errors';

const unparsed = (n: number): NoticeUnparsed => ({
  noticeId: `test:msg-${n}@example.net`,
  attempt: 1,
  sender: 'noc@example.net',
  reasons: [`reason ${n}`],
});

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The durable has every message acknowledged: nothing pending, nothing awaiting an ack, so no
 * further delivery can come (what a fixed wait after the last one only hoped for).
 */
async function settled(bus: Bus, durable: string): Promise<void> {
  const jsm = await jetstreamManager(bus.nc);
  await until(async () => {
    const info = await jsm.consumers.info(bus.ns.stream('NOTICES'), durable);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

async function streamMessages(bus: Bus, key: 'NOTICES' | 'DEADLETTER' | 'MAINTENANCE'): Promise<number> {
  const jsm = await jetstreamManager(bus.nc);
  return (await jsm.streams.info(bus.ns.stream(key))).state.messages;
}

describe('messaging (real nats-server)', () => {
  let server: NatsServerHandle;
  let bus: Bus;
  const running: RunningConsumer[] = [];

  beforeAll(async () => {
    server = await startNats();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    bus = await Bus.connect({ servers: server.url, name: 'messaging-spec', namespace: testNamespace(), duplicateWindowMs: 1500 });
    await bus.provision();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    await bus.close();
  });

  it('provision - is idempotent', async () => {
    await bus.provision();
    await bus.provision();
    expect(await streamMessages(bus, 'NOTICES')).toBe(0);
  });

  it('publish - same Nats-Msg-Id twice is stored once', async () => {
    const a = await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 'm-1' });
    const b = await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 'm-1' });
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.seq).toBe(a.seq);
    expect(await streamMessages(bus, 'NOTICES')).toBe(1);
  });

  it('publish - the duplicate window is short: after it, the same id is stored again', async () => {
    // Idempotency must therefore live in each consumer's store, not in JetStream.
    await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 'm-w' });
    await new Promise((r) => setTimeout(r, 1800));
    const again = await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 'm-w' });
    expect(again.duplicate).toBe(false);
    expect(await streamMessages(bus, 'NOTICES')).toBe(2);
  });

  it('publish - an invalid payload is refused with the bad field named', async () => {
    const bad = { ...unparsed(1), reasons: [] } as NoticeUnparsed;
    await expect(bus.publish(SUBJECTS.noticeUnparsed, bad, { msgId: 'x' })).rejects.toThrow(PayloadError);
    await expect(bus.publish(SUBJECTS.noticeUnparsed, bad, { msgId: 'x' })).rejects.toThrow(/reasons/);
    expect(await streamMessages(bus, 'NOTICES')).toBe(0);
  });

  it('consume - acks on success, every message once', async () => {
    const seen: string[] = [];
    const handler: Handler = async (p) => {
      seen.push((p as NoticeUnparsed).noticeId);
    };
    running.push(await startConsumer(bus, { stream: 'NOTICES', durable: 'c1', filterSubject: SUBJECTS.noticeUnparsed }, () => handler, { service: 'spec' }));
    for (let i = 0; i < 20; i++) await bus.publish(SUBJECTS.noticeUnparsed, unparsed(i), { msgId: `m-${i}` });
    await until(() => seen.length === 20);
    await settled(bus, 'c1');
    expect(new Set(seen).size).toBe(20);
    expect(seen).toHaveLength(20);
  });

  it('consume - redelivers after nak', async () => {
    const deliveries: number[] = [];
    const handler: Handler = async (_p, ctx) => {
      deliveries.push(ctx.deliveryCount);
      if (ctx.deliveryCount < 3) throw new TransientError('database down', { delayMs: 50 });
    };
    running.push(await startConsumer(bus, { stream: 'NOTICES', durable: 'c2', filterSubject: SUBJECTS.noticeUnparsed }, () => handler, { service: 'spec' }));
    await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 'n-1' });
    await until(() => deliveries.length === 3);
    await settled(bus, 'c2');
    expect(deliveries).toEqual([1, 2, 3]);
    expect(await streamMessages(bus, 'DEADLETTER')).toBe(0);
  });

  it('consume - term writes a dead-letter record', async () => {
    let calls = 0;
    const handler: Handler = async () => {
      calls++;
      throw new PermanentError('circuit list is not a list');
    };
    // A short ack wait: a term the server did not take would show as a redelivery within a second.
    running.push(await startConsumer(bus, { stream: 'NOTICES', durable: 'c3', filterSubject: SUBJECTS.noticeUnparsed, ackWaitMs: 1000 }, () => handler, { service: 'spec' }));
    await bus.publish(SUBJECTS.noticeUnparsed, unparsed(7), { msgId: 'p-7' });
    await until(async () => (await streamMessages(bus, 'DEADLETTER')) === 1);
    const jsm = await jetstreamManager(bus.nc);
    const stored = await jsm.streams.getMessage(bus.ns.stream('DEADLETTER'), { seq: 1 });
    const record = stored!.json<Record<string, unknown>>();
    expect(record).toMatchObject({ service: 'spec', consumer: 'c3', subject: SUBJECTS.noticeUnparsed, errorName: 'PermanentError' });
    expect(record.reason).toContain('circuit list is not a list');
    expect(JSON.parse(Buffer.from(record.payloadBase64 as string, 'base64').toString()).noticeId).toBe(unparsed(7).noticeId);
    // The server took the term: nothing is pending acknowledgement, so nothing comes back.
    await until(async () => (await jsm.consumers.info(bus.ns.stream('NOTICES'), 'c3')).num_ack_pending === 0, 5000);
    const info = await jsm.consumers.info(bus.ns.stream('NOTICES'), 'c3');
    expect(info.num_redelivered).toBe(0);
    expect(calls).toBe(1);
    expect(await streamMessages(bus, 'DEADLETTER')).toBe(1);
  });

  it('consume - a payload that fails its schema is dead-lettered without reaching the handler', async () => {
    let calls = 0;
    running.push(await startConsumer(bus, { stream: 'NOTICES', durable: 'c4', filterSubject: SUBJECTS.noticeUnparsed }, () => async () => void calls++, { service: 'spec' }));
    await bus.js.publish(bus.ns.subject(SUBJECTS.noticeUnparsed), JSON.stringify({ noticeId: 'nope' }));
    await until(async () => (await streamMessages(bus, 'DEADLETTER')) === 1);
    expect(calls).toBe(0);
  });

  it('consume - gives up after maxDeliver and dead-letters', async () => {
    let calls = 0;
    const handler: Handler = async () => {
      calls++;
      throw new Error('unexpected');
    };
    running.push(
      await startConsumer(bus, { stream: 'NOTICES', durable: 'c5', filterSubject: SUBJECTS.noticeUnparsed, maxDeliver: 3, nakBaseDelayMs: 20 }, () => handler, { service: 'spec' }),
    );
    await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 'g-1' });
    await until(async () => (await streamMessages(bus, 'DEADLETTER')) === 1);
    expect(calls).toBe(3);
  });

  it('consume - a restarted consumer resumes where it left off', async () => {
    const seen: string[] = [];
    const handler: Handler = async (p) => void seen.push((p as NoticeUnparsed).noticeId);
    const spec = { stream: 'NOTICES' as const, durable: 'c6', filterSubject: SUBJECTS.noticeUnparsed };
    const first = await startConsumer(bus, spec, () => handler, { service: 'spec' });
    for (let i = 0; i < 5; i++) await bus.publish(SUBJECTS.noticeUnparsed, unparsed(i), { msgId: `r-${i}` });
    await until(() => seen.length === 5);
    await first.stop();
    for (let i = 5; i < 10; i++) await bus.publish(SUBJECTS.noticeUnparsed, unparsed(i), { msgId: `r-${i}` });
    running.push(await startConsumer(bus, spec, () => handler, { service: 'spec' }));
    await until(() => seen.length === 10);
    await settled(bus, 'c6');
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => unparsed(i).noticeId));
  });

  it('consume - stop waits for the in-flight handler to finish and ack', async () => {
    let finished = 0;
    const handler: Handler = async () => {
      await new Promise((r) => setTimeout(r, 400));
      finished++;
    };
    const c = await startConsumer(bus, { stream: 'NOTICES', durable: 'c7', filterSubject: SUBJECTS.noticeUnparsed }, () => handler, { service: 'spec' });
    await bus.publish(SUBJECTS.noticeUnparsed, unparsed(1), { msgId: 's-1' });
    await until(() => c.inFlight === 1);
    await c.stop();
    expect(finished).toBe(1);
    const jsm = await jetstreamManager(bus.nc);
    const info = await jsm.consumers.info(bus.ns.stream('NOTICES'), 'c7');
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(1);
  });

  it('raw notice - a 25 MB mail round-trips byte-equal through the object store', async () => {
    const body = randomBytes(25 * 1024 * 1024);
    expect(body.length).toBeGreaterThan(bus.maxPayload);
    const received: Buffer[] = [];
    running.push(
      await startConsumer(bus, { stream: 'NOTICES', durable: 'c8', filterSubject: SUBJECTS.noticeReceived }, () => async (p) => {
        received.push(Buffer.from((p as { body: Uint8Array }).body));
      }, { service: 'spec' }),
    );
    const meta = { noticeId: 'spec:big@example.net', source: 'spec', receivedAt: 1_700_000_000, attempt: 1, correlationId: 'c-big', subject: 'Ünïcode subject ✓' };
    await bus.publishRawNotice(meta, body);
    await until(() => received.length === 1, 60_000);
    expect(received[0].equals(body)).toBe(true);
  }, 120_000);

  it('raw notice - a small mail travels as the body, metadata in headers', async () => {
    const body = Buffer.from('From: noc@example.net\r\nSubject: hi\r\n\r\nbody\r\n');
    let got: { meta: Record<string, unknown>; body: Uint8Array } | undefined;
    running.push(
      await startConsumer(bus, { stream: 'NOTICES', durable: 'c9', filterSubject: SUBJECTS.noticeReceived }, () => async (p) => {
        got = p as typeof got;
      }, { service: 'spec' }),
    );
    await bus.publishRawNotice({ noticeId: 'spec:small@example.net', source: 'spec', receivedAt: 1_700_000_000, attempt: 1, correlationId: 'c1', subject: 'Wartungsarbeiten – Ärger' }, body);
    await until(() => got !== undefined);
    expect(Buffer.from(got!.body).equals(body)).toBe(true);
    expect(got!.meta).toMatchObject({ subject: 'Wartungsarbeiten – Ärger', size: body.length, correlationId: 'c1' });
    expect(got!.meta.objectRef).toBeUndefined();
  });

  it('lifecycle event ids are deterministic', () => {
    expect(lifecycleEventId('zayo', 'TTN-1', 'new', 1)).toBe(lifecycleEventId('zayo', 'TTN-1', 'new', 1));
    expect(lifecycleEventId('zayo', 'TTN-1', 'new', 1)).not.toBe(lifecycleEventId('zayo', 'TTN-1', 'new', 2));
  });
});

describe('messaging - nats-server restarted mid-stream', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await ownNats();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('the client reconnects and nothing acknowledged is lost', async () => {
    const bus = await Bus.connect({ servers: server.url, name: 'restart-spec', namespace: testNamespace() });
    await bus.provision();
    const seen = new Set<string>();
    const consumer = await startConsumer(
      bus,
      { stream: 'NOTICES', durable: 'restart', filterSubject: SUBJECTS.noticeUnparsed },
      () => async (p) => void seen.add((p as NoticeUnparsed).noticeId),
      { service: 'spec' },
    );
    const acked: string[] = [];
    const publisher = (async () => {
      for (let i = 0; i < 60; i++) {
        const m = unparsed(i);
        await bus.publish(SUBJECTS.noticeUnparsed, m, { msgId: m.noticeId });
        acked.push(m.noticeId);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await until(() => acked.length >= 20);
    await server.restart({ downMs: 700 });
    await publisher;
    await until(() => seen.size === 60, 40_000);
    expect([...seen].sort()).toEqual([...acked].sort());
    const jsm = await jetstreamManager(bus.nc);
    expect((await jsm.streams.info(bus.ns.stream('NOTICES'))).state.messages).toBe(60);
    await consumer.stop();
    await bus.close();
  }, 90_000);
});
