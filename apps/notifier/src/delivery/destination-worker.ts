import type { Logger } from '@nestjs/common';
import { TokenBucket } from 'limiter';
import { DeliveryTakenError, LookupError } from '../errors';
import { describe, type NotificationEvent } from '../rendering/notification';
import type { DestinationSettings, Routing } from '../routing/routing-file';
import type { Channel } from './channels/channel';
import type { SendOutcome } from './channels/http-request';
import type { DeliveryRecord, EventEntry } from './delivery-record';
import type { DeliveryStore, Versioned } from './delivery.store';
import type { NotifierMetrics } from './notifier.metrics';

/** How long after a request's time limit a `sending` record is presumed abandoned. */
export const LEASE_GRACE_MS = 2000;

/** What a worker needs besides its destination. */
export interface WorkerDeps {
  store: DeliveryStore;
  metrics: NotifierMetrics;
  routing: Routing;
  instanceId: string;
  logger: Logger;
  /** Writes the dead-letter record of a delivery given up on. */
  deadLetter(record: DeliveryRecord, entry: EventEntry | undefined, reason: string): Promise<void>;
  /** The stored event and its notification (cached by the service), or undefined when missing. */
  loadEvent(eventId: string): Promise<{ entry: EventEntry; notification: NotificationEvent | undefined } | undefined>;
}

type Step = { done: true } | { done: false; at: number };
const DONE: Step = { done: true };

/**
 * Delivers to one destination, one message at a time, in the order events were taken in, so
 * a slow or failing destination never holds up another. Each delivery: wait for the rate
 * limiter, write `sending`, make the request, write `sent` (or `pending` with the next attempt
 * time, or `dead`). A `sending` record left by a crash is in doubt: with Slack's Web API the
 * channel is searched for the event id first; a webhook is re-sent once, marked as a possible
 * repeat.
 */
export class DestinationWorker {
  private readonly queue: string[] = [];
  // The record as this worker last read or wrote it: saves a read per delivery. Another writer
  // (a second instance) makes the next compare-and-set fail, which hands the delivery over.
  private readonly known = new Map<string, Versioned | undefined>();
  private readonly bucket: TokenBucket;
  private pausedUntil = 0;
  private stopped = false;
  private loop?: Promise<void>;
  private idle?: () => void;
  private sleeper?: { timer: NodeJS.Timeout; resolve: () => void };
  /** `sent` records being written while the next delivery goes ahead. */
  private readonly finishing = new Set<Promise<void>>();

  constructor(
    private readonly settings: DestinationSettings,
    private readonly channel: Channel,
    private readonly deps: WorkerDeps,
  ) {
    const { perSecond, burst } = settings.rateLimit;
    this.bucket = new TokenBucket({ bucketSize: burst, tokensPerInterval: perSecond, interval: 1000 });
    // The library starts empty; a destination that has been quiet may post its burst at once.
    this.bucket.content = burst;
  }

  /** Deliveries waiting (including the one under way). */
  get depth(): number {
    return this.queue.length;
  }

  /** Adds a delivery (once; a second enqueue of the same event is ignored), with its record when known. */
  enqueue(eventId: string, current?: Versioned): void {
    if (this.stopped || this.known.has(eventId)) return;
    this.known.set(eventId, current);
    this.queue.push(eventId);
    this.deps.metrics.queued.set({ destination: this.settings.name }, this.queue.length);
    this.idle?.();
  }

  /** Starts delivering. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops after the request under way (if any); what is left stays pending in the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.idle?.();
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.resolve();
    }
    await this.loop;
    await Promise.allSettled([...this.finishing]);
  }

  private async run(): Promise<void> {
    let storeFailures = 0;
    while (!this.stopped) {
      const eventId = this.queue[0];
      if (eventId === undefined) {
        await new Promise<void>((r) => (this.idle = r));
        this.idle = undefined;
        continue;
      }
      let step: Step;
      try {
        step = await this.deliver(eventId);
        storeFailures = 0;
      } catch (err) {
        if (err instanceof DeliveryTakenError) {
          // Another instance owns it now; it will finish it.
          step = DONE;
        } else {
          // The store (NATS) is unreachable: keep the delivery and try again shortly, re-reading it.
          this.known.set(eventId, undefined);
          storeFailures++;
          this.deps.logger.warn(`${this.settings.name}: delivery of ${eventId} paused: ${(err as Error).message}`);
          step = { done: false, at: Date.now() + Math.min(30_000, 500 * 2 ** Math.min(storeFailures, 6)) };
        }
      }
      if (step.done) {
        this.queue.shift();
        this.known.delete(eventId);
        this.deps.metrics.queued.set({ destination: this.settings.name }, this.queue.length);
      } else {
        await this.sleepUntil(step.at);
      }
    }
  }

  private async deliver(eventId: string): Promise<Step> {
    const name = this.settings.name;
    const found = this.known.get(eventId) ?? (await this.deps.store.get(name, eventId));
    if (!found || found.record.state === 'sent' || found.record.state === 'dead') return DONE;
    let { record, revision } = found;
    const now = Date.now();
    if (record.state === 'sending') {
      // Left by an instance that died during the request (or another instance still at it,
      // until its lease runs out): the outcome is unknown.
      if ((record.leaseUntil ?? 0) > now) return { done: false, at: record.leaseUntil ?? now };
      record = { ...record, state: 'pending', inDoubt: true };
    } else if ((record.nextAttemptAt ?? 0) > now) {
      return { done: false, at: record.nextAttemptAt ?? now };
    }
    // The service asked this destination to wait (Retry-After).
    if (this.pausedUntil > now) return { done: false, at: this.pausedUntil };

    const loaded = await this.deps.loadEvent(eventId);
    const entry = loaded?.entry;
    const notification = loaded?.notification;
    if (!entry || !notification) {
      await this.deps.deadLetter(record, entry, 'the stored event is missing or unreadable');
      await this.finish(record, revision, 'dead', { lastError: 'the stored event is missing or unreadable' });
      return DONE;
    }

    let possibleRepeat = record.possibleRepeat ?? false;
    if (record.inDoubt) {
      let remoteId: string | undefined;
      let searched = false;
      if (this.channel.canLookup && this.channel.lookup) {
        try {
          remoteId = await this.channel.lookup(eventId, name, record.firstSentAt ?? record.createdAt);
          searched = true;
        } catch (err) {
          if (!(err instanceof LookupError)) throw err;
          if (!err.permanent) {
            // Counted as an attempt, so that a channel that can never be searched ends too.
            const failed = { ...record, attempts: record.attempts + 1, lastError: err.message };
            if (failed.attempts >= this.settings.retry.maxAttempts) {
              const reason = `could not find out whether it was posted: ${err.message}`;
              await this.deps.deadLetter(failed, entry, reason);
              await this.finish(failed, revision, 'dead', { lastError: reason });
              return DONE;
            }
            return this.retryLater(failed, revision, undefined);
          }
          this.deps.logger.warn(`${name}: cannot search the channel (${err.message}); re-sending ${eventId} marked as a possible repeat`);
        }
      }
      if (remoteId !== undefined) {
        this.deps.metrics.inDoubt.inc({ destination: name, resolution: 'found' });
        this.deps.logger.log(`${name}: ${eventId} was already posted (found in the channel); not posting again`);
        await this.finish(record, revision, 'sent', { remoteId, resolution: 'found', inDoubt: false });
        return DONE;
      }
      if (searched) {
        this.deps.metrics.inDoubt.inc({ destination: name, resolution: 'not-found' });
        record = { ...record, inDoubt: false, resolution: 'not-found' };
      } else {
        // A webhook cannot be searched: send once more and say that it may be a repeat.
        this.deps.metrics.inDoubt.inc({ destination: name, resolution: 'resent' });
        this.deps.logger.warn(`${name}: ${eventId} may have been posted before a crash or timeout; re-sending once, marked as a possible repeat`);
        possibleRepeat = true;
        record = { ...record, inDoubt: false, resolution: 'resent' };
      }
    }

    await this.bucket.removeTokens(1);

    const sendingAt = Date.now();
    const sending: DeliveryRecord = {
      ...record,
      state: 'sending',
      attempts: record.attempts + 1,
      leaseUntil: sendingAt + this.settings.timeoutMs + LEASE_GRACE_MS,
      firstSentAt: record.firstSentAt ?? sendingAt,
      possibleRepeat: possibleRepeat || undefined,
      nextAttemptAt: undefined,
      updatedAt: sendingAt,
      owner: this.deps.instanceId,
    };
    revision = await this.deps.store.update(sending, revision);
    this.known.set(eventId, { record: sending, revision });

    const content = describe(notification, {
      timezone: this.settings.timezone,
      links: this.deps.routing.links,
      template: this.settings.template,
      maxCircuits: this.settings.maxCircuits,
      correlationId: entry.correlationId,
      possibleRepeat,
    });
    const outcome: SendOutcome = await this.channel.send(content, { event: notification, destination: name, correlationId: entry.correlationId });
    this.deps.metrics.deliveries.inc({ destination: name, outcome: outcome.kind });

    switch (outcome.kind) {
      case 'sent':
        this.deps.metrics.latency.observe({ destination: name }, (Date.now() - record.createdAt) / 1000);
        this.finishInBackground(sending, revision, outcome.remoteId);
        return DONE;
      case 'rejected':
        this.deps.logger.error(`${name}: ${eventId} refused: ${outcome.reason}; dead-lettered`);
        await this.deps.deadLetter(sending, entry, outcome.reason);
        await this.finish(sending, revision, 'dead', { lastError: outcome.reason });
        return DONE;
      case 'retry':
      case 'unknown': {
        const inDoubt = outcome.kind === 'unknown';
        if (sending.attempts >= this.settings.retry.maxAttempts) {
          const reason = `gave up after ${sending.attempts} attempts: ${outcome.reason}`;
          this.deps.logger.error(`${name}: ${eventId} ${reason}; dead-lettered`);
          await this.deps.deadLetter(sending, entry, reason);
          await this.finish(sending, revision, 'dead', { lastError: reason, inDoubt });
          return DONE;
        }
        if (outcome.kind === 'retry' && outcome.retryAfterMs !== undefined) {
          // The service asked the whole destination to wait.
          this.pausedUntil = Date.now() + outcome.retryAfterMs;
        }
        this.deps.logger.warn(`${name}: ${eventId} attempt ${sending.attempts} failed: ${outcome.reason}`);
        return this.retryLater({ ...sending, inDoubt, lastError: outcome.reason }, revision, outcome.kind === 'retry' ? outcome.retryAfterMs : undefined);
      }
    }
  }

  // The `sent` record is written while the next delivery starts: the posts stay in order (one
  // request at a time), and a delivery costs two store round trips in series instead of three
  // (bench:e2e 2026-12-07: ~100 posts/s while the parser kept both cores busy). A crash before
  // the write lands leaves `sending`, resolved in doubt as before. If the write fails, the
  // delivery goes back in the queue and is resolved from the store, as a failed write was before.
  private finishInBackground(sending: DeliveryRecord, revision: number, remoteId: string | undefined): void {
    const eventId = sending.eventId;
    // Done: forget the record again (write() remembered it), unless the delivery came back meanwhile.
    const forget = () => {
      if (!this.queue.includes(eventId)) this.known.delete(eventId);
    };
    const p = this.finish(sending, revision, 'sent', { remoteId })
      .then(forget, (err: unknown) => {
        if (err instanceof DeliveryTakenError) return forget();
        this.deps.logger.warn(`${this.settings.name}: recording ${eventId} as sent failed: ${(err as Error).message}; it will be resolved from the store`);
        this.known.delete(eventId);
        this.enqueue(eventId);
      })
      .finally(() => this.finishing.delete(p));
    this.finishing.add(p);
  }

  private async retryLater(record: DeliveryRecord, revision: number, retryAfterMs: number | undefined): Promise<Step> {
    const at = Date.now() + Math.max(retryAfterMs ?? 0, backoffMs(Math.max(1, record.attempts), this.settings.retry));
    await this.write({ ...record, state: 'pending', nextAttemptAt: at, leaseUntil: undefined, updatedAt: Date.now(), owner: this.deps.instanceId }, revision);
    return { done: false, at };
  }

  private async finish(record: DeliveryRecord, revision: number, state: 'sent' | 'dead', extra: Partial<DeliveryRecord>): Promise<void> {
    if (state === 'dead') this.deps.metrics.deliveries.inc({ destination: this.settings.name, outcome: 'dead' });
    const now = Date.now();
    await this.write({ ...record, ...extra, state, leaseUntil: undefined, nextAttemptAt: undefined, sentAt: state === 'sent' ? now : undefined, updatedAt: now, owner: this.deps.instanceId }, revision);
  }

  // The outcome of a request must reach the store: a short outage of NATS is ridden out here.
  // If it still fails, the record stays `sending` and is resolved as in doubt later.
  private async write(record: DeliveryRecord, revision: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const next = await this.deps.store.update(record, revision);
        this.known.set(record.eventId, { record, revision: next });
        return next;
      } catch (err) {
        if (err instanceof DeliveryTakenError || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private sleepUntil(at: number): Promise<void> {
    const ms = at - Date.now();
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.sleeper = {
        timer: setTimeout(() => {
          this.sleeper = undefined;
          resolve();
        }, ms),
        resolve,
      };
    });
  }
}

/**
 * Exponential backoff with jitter: between half and all of min(max, base * 2^(attempt-1)).
 * Hand-written rather than a retry library's loop because the attempt count lives in the
 * delivery record and survives restarts, and a Retry-After from the service overrides it.
 */
export function backoffMs(attempt: number, r: { baseDelayMs: number; maxDelayMs: number }): number {
  const cap = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}
