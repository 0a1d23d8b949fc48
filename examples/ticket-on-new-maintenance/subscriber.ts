// A custom action on a Maintwatch lifecycle event: open a ticket whenever a maintenance is
// announced. It is an ordinary NATS JetStream subscriber, independent of Maintwatch's code:
//
//   subject  maintenance.event.v1.new   (stream MAINTENANCE; maintenance.event.v1.> for every type)
//   payload  JSON LifecycleEvent        (libs/contracts/README.md; the fields used are typed below)
//   ack      after the ticket exists    (nak to retry later, term to give up on a bad message)
//
// Delivery is at-least-once: the same event can arrive twice (a redelivery after a crash, a
// replay). The event id is deterministic, so the ticket is keyed by it and made only once.
//
// Run:  NATS_URL=nats://127.0.0.1:4222 TICKETS_DIR=./tickets npx tsx examples/ticket-on-new-maintenance/subscriber.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { durable, namespace as ns, servers, ticketsDir } from './config';

/** The part of a LifecycleEvent this action reads. */
interface LifecycleEvent {
  eventId: string;
  type: string;
  occurredAt: number;
  maintenance: {
    providerType: string;
    providerName: string;
    maintenanceId: string;
    status: string;
    start: number;
    end: number;
    summary: string;
    circuits: { providerCircuitId: string; impact: string }[];
  };
}

const stream = ns ? `${ns}_MAINTENANCE` : 'MAINTENANCE';
const subject = `${ns ? `${ns}.` : ''}maintenance.event.v1.new`;

/** A fault worth retrying (the ticket system is down): the message is nak'ed and comes back. */
class TryLaterError extends Error {}

function openTicket(event: LifecycleEvent): 'opened' | 'exists' {
  // Stand-in for a ticket system's API: one file per event id. The exclusive create ('wx')
  // is what makes a second delivery of the same event harmless; a real API would use the
  // event id as its idempotency key or external reference the same way.
  const m = event.maintenance;
  const ticket = {
    externalId: event.eventId,
    title: `${m.providerName} maintenance ${m.maintenanceId} (${m.status})`,
    start: new Date(m.start * 1000).toISOString(),
    end: new Date(m.end * 1000).toISOString(),
    circuits: m.circuits.map((c) => `${c.providerCircuitId} ${c.impact}`),
    description: m.summary,
  };
  try {
    mkdirSync(ticketsDir, { recursive: true });
    writeFileSync(join(ticketsDir, `${event.eventId}.json`), JSON.stringify(ticket, null, 2), { flag: 'wx' });
    return 'opened';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw new TryLaterError(`ticket system unavailable: ${(err as Error).message}`);
  }
}

function handle(msg: JsMsg): void {
  let event: LifecycleEvent;
  try {
    event = msg.json<LifecycleEvent>();
    if (typeof event.eventId !== 'string' || !event.maintenance) throw new Error('not a LifecycleEvent');
  } catch (err) {
    // Redelivering a message that cannot be read will not help.
    console.error(`bad message ${msg.seq}: ${(err as Error).message}; terminated`);
    msg.term();
    return;
  }
  try {
    const result = openTicket(event);
    console.log(`${result === 'opened' ? 'opened ticket' : 'ticket already open'} for ${event.maintenance.providerName} ${event.maintenance.maintenanceId} (${event.eventId})`);
    msg.ack();
  } catch (err) {
    console.error(`${event.eventId}: ${(err as Error).message}; retrying in 10 s`);
    msg.nak(10_000);
  }
}

async function main(): Promise<void> {
  const nc = await connect({ servers });
  const jsm = await jetstreamManager(nc);
  // A durable consumer remembers what was acked across restarts. DeliverPolicy.New: start with
  // events published from now on, rather than the stream's 30 days of history.
  try {
    await jsm.consumers.info(stream, durable);
  } catch {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: 30_000_000_000, // ns: redelivered if not acked within 30 s
      max_deliver: 20,
    });
  }
  const consumer = await jetstream(nc).consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: 16 });
  const stop = () => {
    void messages.close().then(() => nc.drain());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`listening on ${subject} (stream ${stream}, durable ${durable}); tickets in ${ticketsDir}`);
  for await (const msg of messages) handle(msg);
  await nc.closed();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
