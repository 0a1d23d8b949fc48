// Helpers for maintenance-api's end-to-end specs: the built service as a process, parsed
// messages as the parser publishes them, the lifecycle events as a subscriber sees them.
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Client } from 'pg';
import { HEADERS, SUBJECTS, type LifecycleEvent, type MaintenanceParsed } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { buildApp, startApp, until, type AppProcess } from '@maintwatch/testing';

export { buildApp, until, type AppProcess };

/** Now, epoch seconds. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

let counter = 0;

/** A maintenance.parsed.v1 message as the parser sends it. */
export function parsedMessage(
  maintenanceId: string,
  m: Partial<MaintenanceParsed['maintenance']> = {},
  envelope: Partial<Omit<MaintenanceParsed, 'maintenance'>> = {},
): MaintenanceParsed {
  const start = nowSeconds() + 7 * 24 * 3600;
  return {
    noticeId: `imap-noc:${maintenanceId}-${++counter}-${process.pid}@noc.example.net`,
    attempt: 1,
    index: 0,
    count: 1,
    providerType: 'zayo',
    parsers: ['zayo-html'],
    ...envelope,
    maintenance: {
      provider: 'zayo',
      account: 'ACME-1',
      maintenance_id: maintenanceId,
      circuits: [{ circuit_id: `CKT-${maintenanceId}`, impact: 'OUTAGE' }],
      status: 'CONFIRMED',
      start,
      end: start + 4 * 3600,
      stamp: nowSeconds() - 60,
      organizer: 'mr@zayo.example',
      uid: '0',
      sequence: 1,
      summary: `Planned work ${maintenanceId}`,
      ...m,
    },
  };
}

/** Publishes a parsed message under the parser's message id. */
export async function publishParsed(bus: Bus, p: MaintenanceParsed, correlationId?: string): Promise<{ duplicate: boolean }> {
  const ack = await bus.publish(SUBJECTS.maintenanceParsed, p, { msgId: `${p.noticeId}#${p.attempt}/parsed/${p.index}`, ...(correlationId ? { correlationId } : {}) });
  return { duplicate: ack.duplicate };
}

/** A lifecycle event as a subscriber receives it. */
export interface ReceivedEvent {
  type: string;
  msgId?: string;
  correlationId?: string;
  event: LifecycleEvent;
}

/** Every lifecycle event on the stream from the start, kept up to date while running. */
export async function collectEvents(bus: Bus): Promise<{ events: ReceivedEvent[]; of(maintenanceId: string): ReceivedEvent[]; stop(): Promise<void> }> {
  const events: ReceivedEvent[] = [];
  // An explicit consumer (not an ordered one with filter_subjects, which needs nats-server 2.10),
  // acknowledged: with ack none, a batch the server sent while the client's pull had lapsed (a
  // loaded machine) is never sent again and reads as a lost event. A redelivery of a message
  // already counted is recognised by its stream sequence; a second publish of the same event
  // has a sequence of its own and still counts twice.
  const stream = bus.ns.stream('MAINTENANCE');
  const name = `spec-collector-${Math.random().toString(36).slice(2, 10)}`;
  const jsm = await bus.jsm();
  await jsm.consumers.add(stream, {
    name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: 5_000_000_000,
    max_deliver: -1,
    deliver_policy: DeliverPolicy.All,
    filter_subject: bus.ns.subject(SUBJECTS.maintenanceEventAll),
    inactive_threshold: 60_000_000_000,
  });
  const consumer = await bus.js.consumers.get(stream, name);
  const messages = await consumer.consume();
  const seen = new Set<number>();
  const done = (async () => {
    for await (const m of messages) {
      m.ack();
      if (seen.has(m.seq)) continue;
      seen.add(m.seq);
      events.push({
        type: bus.ns.unsubject(m.subject).split('.').pop() ?? '',
        msgId: m.headers?.get(HEADERS.msgId) || undefined,
        correlationId: m.headers?.get(HEADERS.correlationId) || undefined,
        event: m.json<LifecycleEvent>(),
      });
    }
  })();
  return {
    events,
    of: (id) => events.filter((e) => e.event.maintenance.maintenanceId === id),
    stop: async () => {
      await messages.close();
      await done;
      await jsm.consumers.delete(stream, name).catch(() => undefined);
    },
  };
}

/** Rows of a query. */
export async function rows<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** True when a durable consumer has nothing pending or in flight. */
export async function consumerIdle(bus: Bus, stream: 'NOTICES' | 'MAINTENANCE' | 'DEVICE', durable: string): Promise<boolean> {
  const jsm = await bus.jsm();
  const info = await jsm.consumers.info(bus.ns.stream(stream), durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/** Starts the built maintenance-api with test-friendly timings. */
export function startApi(env: { NATS_URL: string; NATS_NAMESPACE: string; DATABASE_URL: string } & Record<string, string>): Promise<AppProcess> {
  return startApp('maintenance-api', { LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '100', CLOCK_INTERVAL_MS: '200', INTAKE_RETRY_MAX_MS: '1000', ...env }, 30_000);
}

/** Resolves when the process has exited; the signal that ended it, if any. */
export function exited(proc: AppProcess, timeoutMs = 20_000): Promise<NodeJS.Signals | number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve(proc.child.signalCode ?? proc.child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`maintenance-api did not exit in ${timeoutMs} ms:\n${proc.output()}`)), timeoutMs);
    proc.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}
