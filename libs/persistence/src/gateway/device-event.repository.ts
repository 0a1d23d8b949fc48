import type { DeviceEvent } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import { epoch, pgJson, pgText } from '../models';

/** A device event to store. */
export interface DeviceEventInput {
  event: DeviceEvent;
  eventKey: string;
  source: string;
}

/** A stored device event. */
export interface DeviceEventRecord {
  /** Position (the relay publishes in this order; the list pages by it). */
  id: string;
  event: DeviceEvent;
  eventKey: string;
  source: string;
  publishedAt?: number;
}

/** What the list returns: newest first, optionally one device, one kind, a worst priority. */
export interface DeviceEventQuery {
  device?: string;
  kind?: string;
  maxPriority?: number;
  /** Only events older than this position (the previous page's last id). */
  before?: string;
  limit: number;
}

interface Row {
  id: string;
  payload: DeviceEvent;
  event_key: string;
  source: string;
  published_at: Date | null;
}

/** junos-gateway's device events (schema `gateway`), which are also its outbox. */
export class DeviceEventRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Stores events; an event id already there is skipped (a webhook the device sent again).
   * Returns the event ids that were new.
   */
  async insert(events: readonly DeviceEventInput[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows: { event_id: string }[] = await this.m.query(
      `INSERT INTO gateway.device_event (event_id, device, event_key, junos_event, kind, priority, severity, message, payload, source, occurred_at, received_at)
       SELECT e->'p'->>'eventId', e->'p'->>'device', e->>'k', e->'p'->>'junosEvent', e->'p'->>'kind', (e->'p'->>'priority')::smallint,
              e->'p'->>'severity', e->'p'->>'message', e->'p', e->>'s',
              to_timestamp((e->'p'->>'occurredAt')::bigint), to_timestamp((e->'p'->>'receivedAt')::bigint)
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, ord)
       ORDER BY x.ord
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [pgJson(events.map((e) => ({ p: e.event, k: pgText(e.eventKey), s: e.source })))],
    );
    return rows.map((r) => r.event_id);
  }

  /** The oldest unpublished events, locked until the transaction ends (rows another relay holds are skipped). */
  async claimUnpublished(limit: number): Promise<DeviceEventRecord[]> {
    const rows: Row[] = await this.m.query(
      `SELECT id, payload, event_key, source, published_at FROM gateway.device_event
       WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /** Marks events published. */
  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.m.query(`UPDATE gateway.device_event SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** How many events are stored. */
  async count(): Promise<number> {
    const rows: { n: number }[] = await this.m.query(`SELECT count(*)::int AS n FROM gateway.device_event`);
    return rows[0]?.n ?? 0;
  }

  /** Stored events, newest first. */
  async list(q: DeviceEventQuery): Promise<DeviceEventRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.device !== undefined) add('device = ?', q.device);
    if (q.kind !== undefined) add('kind = ?', q.kind);
    if (q.maxPriority !== undefined) add('priority <= ?', q.maxPriority);
    if (q.before !== undefined) add('id < ?::bigint', q.before);
    params.push(q.limit);
    const rows: Row[] = await this.m.query(
      `SELECT id, payload, event_key, source, published_at FROM gateway.device_event
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }
}

function toRecord(r: Row): DeviceEventRecord {
  return { id: r.id, event: r.payload, eventKey: r.event_key, source: r.source, ...(r.published_at ? { publishedAt: epoch(r.published_at) } : {}) };
}
