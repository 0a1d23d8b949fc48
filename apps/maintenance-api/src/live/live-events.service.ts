import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ReplaySubject, Subject, type Observable } from 'rxjs';
import { DrainStepEvent, LifecycleEvent, SUBJECTS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { LIVE_DRAIN_SUBJECT } from '../intake/drain-state.consumer';

/**
 * What the web page is told about one lifecycle event, or one drain step the API kept (type
 * 'drain', status = the drain's state): enough to know which maintenance to fetch again.
 */
export interface LiveEvent {
  eventId: string;
  type: LifecycleEvent['type'] | 'drain';
  occurredAt: number;
  providerType: string;
  maintenanceId: string;
  status: string;
  start: number;
  end: number;
}

/**
 * The API's own lifecycle events (written to its outbox, published by the relay) fanned out to
 * the page's live connections. A core NATS subscription, not a durable consumer: a page that was
 * not connected reloads what it shows when it connects, so nothing needs replaying.
 */
@Injectable()
export class LiveEventsService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(LiveEventsService.name);
  private readonly subject = new Subject<LiveEvent>();
  private readonly closing$ = new ReplaySubject<void>(1);
  private readonly subs: { unsubscribe(): void }[] = [];

  constructor(@Inject(Bus) private readonly bus: Bus) {}

  onModuleInit(): void {
    this.follow(SUBJECTS.maintenanceEventAll, LifecycleEvent, (e) => ({
      eventId: e.eventId,
      type: e.type,
      occurredAt: e.occurredAt,
      providerType: e.maintenance.providerType,
      maintenanceId: e.maintenance.maintenanceId,
      status: e.maintenance.status,
      start: e.maintenance.start,
      end: e.maintenance.end,
    }));
    // A drain state one of the replicas kept (DrainStateConsumer), after its commit.
    this.follow(LIVE_DRAIN_SUBJECT, DrainStepEvent, (d) => ({
      eventId: d.stepId,
      type: 'drain',
      occurredAt: d.at,
      providerType: d.providerType,
      maintenanceId: d.maintenanceId,
      status: d.state,
      start: d.window.start,
      end: d.window.end,
    }));
  }

  /** Forwards each message of a core subscription that matches its contract; the rest is logged and dropped. */
  private follow<T>(subject: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, toLive: (m: T) => LiveEvent): void {
    const sub = this.bus.nc.subscribe(this.bus.ns.subject(subject));
    this.subs.push(sub);
    void (async () => {
      for await (const msg of sub) {
        const parsed = schema.safeParse(safeJson(msg.data));
        if (!parsed.success) {
          this.log.warn(`live: a message on ${msg.subject} does not match the contract; not forwarded`);
          continue;
        }
        this.subject.next(toLive(parsed.data));
      }
    })();
  }

  /** Every event from now on. */
  events(): Observable<LiveEvent> {
    return this.subject.asObservable();
  }

  /** Emits once when the service stops: open streams end then, so that the HTTP server can close. */
  closing(): Observable<void> {
    return this.closing$.asObservable();
  }

  // Before the HTTP server closes (Nest calls this first): an open stream would otherwise hold
  // the server, and the shutdown, until the forced exit.
  onModuleDestroy(): void {
    this.closing$.next();
    this.closing$.complete();
    for (const s of this.subs) s.unsubscribe();
    this.subject.complete();
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
