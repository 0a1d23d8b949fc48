import type { LifecycleEvent } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import { epoch, pgJson, type OutboxRecord } from '../models';

/** An event to write to the outbox. */
export interface OutboxInput {
  event: LifecycleEvent;
  maintenanceId?: string;
  correlationId?: string;
}

interface OutboxRow {
  id: string;
  event_id: string;
  type: string;
  maintenance_id: string | null;
  payload: LifecycleEvent;
  correlation_id: string | null;
  created_at: Date;
  published_at: Date | null;
}

/** The lifecycle outbox. */
export class OutboxRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Writes events (in the caller's transaction, with the change that caused them). An event
   * id already in the outbox is skipped: the same transition of the same version is one event.
   * Returns how many were new.
   */
  async enqueue(events: readonly OutboxInput[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows: unknown[] = await this.m.query(
      `INSERT INTO outbox (event_id, type, maintenance_id, payload, correlation_id)
       SELECT e->>'event_id', e->>'type', (e->>'maintenance_id')::uuid, e->'payload', e->>'correlation_id'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, ord)
       ORDER BY x.ord
       ON CONFLICT (event_id) DO NOTHING RETURNING id`,
      [
        pgJson(
          events.map((e) => ({
            event_id: e.event.eventId,
            type: e.event.type,
            maintenance_id: e.maintenanceId ?? null,
            payload: e.event,
            correlation_id: e.correlationId ?? null,
          })),
        ),
      ],
    );
    return rows.length;
  }

  /**
   * The oldest unpublished events, in order, locked until the transaction ends (the relay
   * holds the relay lock too, so one relay publishes at a time and order is kept).
   */
  async claim(limit: number): Promise<OutboxRecord[]> {
    const rows: OutboxRow[] = await this.m.query(
      `SELECT id, event_id, type, maintenance_id, payload, correlation_id, created_at, published_at
       FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE`,
      [limit],
    );
    return rows.map(toOutbox);
  }

  /** Marks events published. */
  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.m.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** How many events wait to be published. */
  async pendingCount(): Promise<number> {
    const rows: { n: number }[] = await this.m.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return rows[0]?.n ?? 0;
  }

  /** The events of a maintenance, in order. */
  async forMaintenance(maintenanceId: string): Promise<OutboxRecord[]> {
    const rows: OutboxRow[] = await this.m.query(
      `SELECT id, event_id, type, maintenance_id, payload, correlation_id, created_at, published_at
       FROM outbox WHERE maintenance_id = $1 ORDER BY id`,
      [maintenanceId],
    );
    return rows.map(toOutbox);
  }
}

function toOutbox(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    ...(r.maintenance_id !== null ? { maintenanceId: r.maintenance_id } : {}),
    payload: r.payload,
    ...(r.correlation_id !== null ? { correlationId: r.correlation_id } : {}),
    createdAt: epoch(r.created_at),
    ...(r.published_at !== null ? { publishedAt: epoch(r.published_at) } : {}),
  };
}
