import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DeadLetter } from '@maintwatch/contracts';
import { Bus, TransientError } from '@maintwatch/messaging';
import { DeliveryStoreError } from '../errors';
import { DeviceEvent, DrainStepEvent, LifecycleEvent, NoticeUnparsed } from '@maintwatch/contracts';
import { deviceNotification, drainNotification, lifecycleNotification, unparsedNotification, type NotificationEvent } from '../rendering/notification';
import { destinationsFor } from '../routing/router';
import type { Routing } from '../routing/routing-file';
import { channelFor } from './channels/channel.factory';
import type { DeliveryRecord, EventEntry } from './delivery-record';
import { DeliveryStore, type Versioned } from './delivery.store';
import { DestinationWorker } from './destination-worker';
import { NotifierMetrics } from './notifier.metrics';

/** Injection token of the routing in force. */
export const ROUTING = Symbol('ROUTING');

/** Where an event came from on JetStream (for the dead-letter record). */
export interface EventOrigin {
  subject: string;
  stream: string;
  streamSeq: number;
  correlationId?: string;
}

const DEAD_LETTER_LIMIT = 64 * 1024;
// Events kept in memory for their deliveries (each is read once per destination otherwise).
const EVENT_CACHE = 2000;

/**
 * Takes events in and has them delivered. Taking in is quick and durable: the event and one
 * `pending` record per routed destination are written to the store (a record that exists
 * already means the event was taken in before: nothing is added), then the message is acked.
 * Each destination's worker delivers on its own; at start, unfinished deliveries are resumed.
 */
@Injectable()
export class DeliveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Delivery');
  private readonly instanceId = randomUUID();
  private readonly workers = new Map<string, DestinationWorker>();
  private readonly events = new Map<string, { entry: EventEntry; notification: NotificationEvent | undefined }>();
  private started = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(ROUTING) private readonly routing: Routing,
    @Inject(DeliveryStore) private readonly store: DeliveryStore,
    @Inject(NotifierMetrics) private readonly metrics: NotifierMetrics,
    @Inject(Bus) private readonly bus: Bus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Nest may call this hook once for the HTTP app and once for the JetStream transport.
    if (this.started) return;
    this.started = true;
    const names = [...this.routing.destinations.values()].map((d) => `${d.name} (${d.type})`);
    this.logger.log(`routing from ${this.routing.source}: ${this.routing.routes.length} route(s) to ${names.join(', ') || 'no destination'}`);
    for (const name of this.routing.destinations.keys()) this.worker(name)?.start();
    await this.resume();
  }

  // Unfinished deliveries of earlier runs (or of an instance that died). When NATS does not
  // answer yet, try again in the background rather than refuse to start.
  private async resume(attempt = 1): Promise<void> {
    let open: Versioned[];
    try {
      open = await this.store.open();
    } catch (err) {
      this.logger.warn(`cannot read unfinished deliveries yet (${(err as Error).message}); trying again`);
      this.retryTimer = setTimeout(() => void this.resume(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
      return;
    }
    let resumed = 0;
    for (const versioned of open) {
      const { record } = versioned;
      const w = this.worker(record.destination);
      if (w) {
        w.enqueue(record.eventId, versioned);
        resumed++;
      } else {
        this.logger.warn(`delivery of ${record.eventId} to "${record.destination}" left open: that destination is no longer configured`);
      }
    }
    if (resumed) this.logger.log(`resuming ${resumed} unfinished deliveries`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.retryTimer);
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }

  /** Routes the event and records its deliveries; TransientError when the store cannot be written. */
  async accept(n: NotificationEvent, origin: EventOrigin): Promise<void> {
    const destinations = destinationsFor(this.routing, n);
    this.metrics.events.inc({ type: n.type, routed: destinations.length ? 'true' : 'false' });
    if (destinations.length === 0) return;
    const now = Date.now();
    try {
      const entry: EventEntry = {
        eventId: n.eventId,
        kind: n.kind,
        subject: origin.subject,
        stream: origin.stream,
        streamSeq: origin.streamSeq,
        correlationId: origin.correlationId,
        receivedAt: now,
        payload: n.kind === 'lifecycle' ? n.event : n.kind === 'device' ? n.device : n.kind === 'drain' ? n.drain : n.notice,
      };
      await this.store.putEvent(entry);
      if (!this.events.has(n.eventId)) this.remember(entry, n);
      for (const destination of destinations) {
        const record: DeliveryRecord = { eventId: n.eventId, destination, type: n.type, state: 'pending', attempts: 0, createdAt: now, updatedAt: now, owner: this.instanceId };
        const { created, revision } = await this.store.create(record);
        // Not created: taken in before. Enqueueing again is harmless (the worker reads the
        // record and skips it when done) and picks it up if its first taker died.
        if (!created) this.logger.debug(`${n.eventId} to ${destination}: already taken in`);
        this.worker(destination)?.enqueue(n.eventId, created && revision !== undefined ? { record, revision } : undefined);
      }
    } catch (err) {
      if (err instanceof DeliveryStoreError) throw new TransientError(err.message, { cause: err });
      throw err;
    }
  }

  private worker(name: string): DestinationWorker | undefined {
    let w = this.workers.get(name);
    if (w) return w;
    const settings = this.routing.destinations.get(name);
    if (!settings) return undefined;
    w = new DestinationWorker(settings, channelFor(settings), {
      store: this.store,
      metrics: this.metrics,
      routing: this.routing,
      instanceId: this.instanceId,
      logger: new Logger(`Delivery ${name}`),
      deadLetter: (record, entry, reason) => this.deadLetter(record, entry, reason),
      loadEvent: (eventId) => this.loadEvent(eventId),
    });
    this.workers.set(name, w);
    if (this.started) w.start();
    return w;
  }

  private async loadEvent(eventId: string): Promise<{ entry: EventEntry; notification: NotificationEvent | undefined } | undefined> {
    const cached = this.events.get(eventId);
    if (cached) return cached;
    const entry = await this.store.getEvent(eventId);
    return entry && this.remember(entry, toNotification(entry));
  }

  private remember(entry: EventEntry, notification: NotificationEvent | undefined) {
    const value = { entry, notification };
    this.events.set(entry.eventId, value);
    if (this.events.size > EVENT_CACHE) this.events.delete(this.events.keys().next().value as string);
    return value;
  }

  private async deadLetter(record: DeliveryRecord, entry: EventEntry | undefined, reason: string): Promise<void> {
    this.metrics.deadLetters.inc({ destination: record.destination });
    const body = Buffer.from(JSON.stringify(entry?.payload ?? null));
    const consumer = `notifier-${record.destination}`;
    const dl: DeadLetter = {
      service: 'notifier',
      consumer,
      stream: entry?.stream ?? 'unknown',
      streamSeq: entry?.streamSeq ?? 0,
      subject: entry?.subject ?? 'unknown',
      deliveries: Math.max(1, record.attempts),
      reason: reason.slice(0, 4000),
      errorName: 'DeliveryFailed',
      failedAt: Math.floor(Date.now() / 1000),
      headers: { destination: record.destination, eventId: record.eventId, ...(entry?.correlationId ? { correlationId: entry.correlationId } : {}) },
      payloadBase64: body.subarray(0, DEAD_LETTER_LIMIT).toString('base64'),
      truncated: body.length > DEAD_LETTER_LIMIT,
    };
    await this.bus.publish('deadletter.v1.notifier', dl, {
      msgId: `dl:${dl.stream}:${dl.streamSeq}:${consumer}`,
      correlationId: entry?.correlationId,
    });
  }
}

function toNotification(entry: EventEntry): NotificationEvent | undefined {
  if (entry.kind === 'lifecycle') {
    const e = LifecycleEvent.safeParse(entry.payload);
    return e.success ? lifecycleNotification(e.data) : undefined;
  }
  if (entry.kind === 'drain') {
    const d = DrainStepEvent.safeParse(entry.payload);
    return d.success ? drainNotification(d.data) : undefined;
  }
  if (entry.kind === 'device') {
    const d = DeviceEvent.safeParse(entry.payload);
    return d.success ? deviceNotification(d.data) : undefined;
  }
  const u = NoticeUnparsed.safeParse(entry.payload);
  return u.success ? unparsedNotification(u.data) : undefined;
}
