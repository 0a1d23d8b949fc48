import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { KV_BUCKETS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { DeliveryStoreError, DeliveryTakenError } from '../errors';
import { DeliveryRecord, EventEntry, deliveryKey, eventKey, isOpen } from './delivery-record';

/** A record with the KV revision it was read at (the compare-and-set token). */
export interface Versioned {
  record: DeliveryRecord;
  revision: number;
}

// JetStream's "wrong last sequence": the key exists (create) or changed since it was read (update).
const WRONG_LAST_SEQUENCE = 10071;

/**
 * The notifier's own store: delivery records and the events they are about, in the KV bucket
 * `notifier-deliveries`. Every write after the first is a compare-and-set on the revision read,
 * so two instances never both send the same (event, destination).
 */
@Injectable()
export class DeliveryStore {
  private kvPromise?: Promise<KV>;

  constructor(@Inject(Bus) private readonly bus: Bus) {}

  /** Stores the event once (a second call for the same id changes nothing). */
  async putEvent(entry: EventEntry): Promise<void> {
    const kv = await this.kv();
    try {
      await kv.create(eventKey(entry.eventId), JSON.stringify(entry));
    } catch (err) {
      if (!isWrongLastSequence(err)) throw new DeliveryStoreError(`storing event ${entry.eventId} failed`, { cause: err });
    }
  }

  /** The stored event, or undefined. */
  async getEvent(eventId: string): Promise<EventEntry | undefined> {
    const kv = await this.kv();
    const e = await this.guard(`reading event ${eventId}`, () => kv.get(eventKey(eventId)));
    if (!e || e.operation !== 'PUT') return undefined;
    return EventEntry.parse(e.json());
  }

  /** Creates a delivery record; false when one already exists (the event was taken in before). */
  async create(record: DeliveryRecord): Promise<{ created: boolean; revision?: number }> {
    const kv = await this.kv();
    try {
      return { created: true, revision: await kv.create(deliveryKey(record.destination, record.eventId), JSON.stringify(record)) };
    } catch (err) {
      if (isWrongLastSequence(err)) return { created: false };
      throw new DeliveryStoreError(`creating delivery ${record.destination}/${record.eventId} failed`, { cause: err });
    }
  }

  /** A delivery record and its revision, or undefined. */
  async get(destination: string, eventId: string): Promise<Versioned | undefined> {
    const kv = await this.kv();
    const e = await this.guard(`reading delivery ${destination}/${eventId}`, () => kv.get(deliveryKey(destination, eventId)));
    if (!e || e.operation !== 'PUT') return undefined;
    return { record: DeliveryRecord.parse(e.json()), revision: e.revision };
  }

  /** Writes the record if it is still at `revision`; DeliveryTakenError when another writer came first. */
  async update(record: DeliveryRecord, revision: number): Promise<number> {
    const kv = await this.kv();
    const key = deliveryKey(record.destination, record.eventId);
    try {
      return await kv.update(key, JSON.stringify(record), revision);
    } catch (err) {
      if (isWrongLastSequence(err)) throw new DeliveryTakenError(key, { cause: err });
      throw new DeliveryStoreError(`updating delivery ${key} failed`, { cause: err });
    }
  }

  /** Every delivery still pending or sending (after a restart: what is left to do). */
  async open(): Promise<Versioned[]> {
    const kv = await this.kv();
    const out: Versioned[] = [];
    // keys() ends by itself; a watch of an empty range would wait for updates forever.
    const keys = await this.guard('listing deliveries', () => kv.keys('d.>'));
    let any = false;
    for await (const _ of keys) {
      any = true;
      break;
    }
    if (!any) return out;
    const watch = await this.guard('reading deliveries', () => kv.watch({ key: 'd.>', ignoreDeletes: true }));
    for await (const e of watch) {
      if (e.operation === 'PUT') {
        const parsed = DeliveryRecord.safeParse(e.json());
        if (parsed.success && isOpen(parsed.data)) out.push({ record: parsed.data, revision: e.revision });
      }
      if (e.delta === 0) break;
    }
    watch.stop();
    return out.sort((a, b) => a.record.createdAt - b.record.createdAt);
  }

  private kv(): Promise<KV> {
    this.kvPromise ??= this.bus.kv(KV_BUCKETS.notifierDeliveries);
    return this.kvPromise;
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new DeliveryStoreError(`${what} failed`, { cause: err });
    }
  }
}

function isWrongLastSequence(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === WRONG_LAST_SEQUENCE;
}
