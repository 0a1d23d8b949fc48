import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { LifecycleEvent, SUBJECTS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';

/** What the web page is told about one lifecycle event: enough to know which maintenance to fetch again. */
export interface LiveEvent {
  eventId: string;
  type: LifecycleEvent['type'];
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
export class LiveEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(LiveEventsService.name);
  private readonly subject = new Subject<LiveEvent>();
  private sub?: { unsubscribe(): void };

  constructor(@Inject(Bus) private readonly bus: Bus) {}

  onModuleInit(): void {
    const sub = this.bus.nc.subscribe(this.bus.ns.subject(SUBJECTS.maintenanceEventAll));
    this.sub = sub;
    void (async () => {
      for await (const msg of sub) {
        const parsed = LifecycleEvent.safeParse(safeJson(msg.data));
        if (!parsed.success) {
          this.log.warn(`live: an event on ${msg.subject} does not match the contract; not forwarded`);
          continue;
        }
        const e = parsed.data;
        this.subject.next({
          eventId: e.eventId,
          type: e.type,
          occurredAt: e.occurredAt,
          providerType: e.maintenance.providerType,
          maintenanceId: e.maintenance.maintenanceId,
          status: e.maintenance.status,
          start: e.maintenance.start,
          end: e.maintenance.end,
        });
      }
    })();
  }

  /** Every event from now on. */
  events(): Observable<LiveEvent> {
    return this.subject.asObservable();
  }

  onApplicationShutdown(): void {
    this.sub?.unsubscribe();
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
