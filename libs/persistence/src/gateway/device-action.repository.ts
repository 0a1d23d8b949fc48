import type { EntityManager } from 'typeorm';
import { returnedRows } from '../pg-errors';

/** Where an audited device action stands. */
export type DeviceActionOutcome = 'pending' | 'running' | 'succeeded' | 'failed' | 'refused';

/** One audited operator action on a device. */
export interface DeviceActionRecord {
  id: string;
  device: string;
  kind: string;
  /** The action's parameters, secrets removed by the caller. */
  params: Record<string, unknown>;
  requestedBy: string;
  source: 'rest' | 'nats';
  requestedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  outcome: DeviceActionOutcome;
  detail: string;
  output: string | null;
  artifacts: string[];
  /** The last stage a long action reported (JTAC bundle). */
  progress: { stage: string; bytes?: number; at: number } | null;
}

/** A new action request. */
export interface DeviceActionInput {
  id: string;
  /** Unique per request: a second insert with it returns the first row. */
  requestKey: string;
  device: string;
  kind: string;
  params: Record<string, unknown>;
  requestedBy: string;
  source: 'rest' | 'nats';
}

/** Filters of the audit list. */
export interface DeviceActionQuery {
  device?: string;
  kind?: string;
  outcome?: DeviceActionOutcome;
  limit: number;
  offset: number;
}

interface Row {
  id: string;
  device: string;
  kind: string;
  params: Record<string, unknown>;
  requested_by: string;
  source: 'rest' | 'nats';
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  outcome: DeviceActionOutcome;
  detail: string;
  output: string | null;
  artifacts: string[];
  progress: { stage: string; bytes?: number; at: number } | null;
}

const secs = (d: Date | null): number | null => (d ? Math.floor(d.getTime() / 1000) : null);

function toRecord(r: Row): DeviceActionRecord {
  return {
    id: r.id,
    device: r.device,
    kind: r.kind,
    params: r.params,
    requestedBy: r.requested_by,
    source: r.source,
    requestedAt: secs(r.requested_at) as number,
    startedAt: secs(r.started_at),
    finishedAt: secs(r.finished_at),
    durationMs: r.duration_ms,
    outcome: r.outcome,
    detail: r.detail,
    output: r.output,
    artifacts: r.artifacts,
    progress: r.progress,
  };
}

const COLUMNS = `id, device, kind, params, requested_by, source, requested_at, started_at, finished_at, duration_ms, outcome, detail, output, artifacts, progress`;

/**
 * The gateway's action audit (schema gateway), also the outbox of device.action-result.v1:
 * a finished row is published by the relay and marked, in one transaction.
 */
export class DeviceActionRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Records a request, or returns the row an earlier request with the same key made (`created`
   * false); undefined when the id is taken by a request with another key.
   */
  async request(input: DeviceActionInput): Promise<{ record: DeviceActionRecord; created: boolean } | undefined> {
    const inserted = returnedRows<Row>(
      await this.m.query(
        `INSERT INTO gateway.device_action (id, request_key, device, kind, params, requested_by, source)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT (request_key) DO NOTHING RETURNING ${COLUMNS}`,
        [input.id, input.requestKey, input.device, input.kind, JSON.stringify(input.params), input.requestedBy, input.source],
      ),
    );
    if (inserted[0]) return { record: toRecord(inserted[0]), created: true };
    const rows: Row[] = await this.m.query(`SELECT ${COLUMNS} FROM gateway.device_action WHERE request_key = $1`, [input.requestKey]);
    return rows[0] && { record: toRecord(rows[0]), created: false };
  }

  /** pending -> running; false when another delivery or replica already started it. */
  async start(id: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.m.query(`UPDATE gateway.device_action SET outcome = 'running', started_at = now() WHERE id = $1 AND outcome = 'pending' RETURNING id`, [id]),
    );
    return rows.length === 1;
  }

  /** Records the last progress stage of a running action. */
  async progress(id: string, progress: { stage: string; bytes?: number; at: number }): Promise<void> {
    await this.m.query(`UPDATE gateway.device_action SET progress = $2::jsonb WHERE id = $1 AND outcome = 'running'`, [id, JSON.stringify(progress)]);
  }

  /** Ends a pending or running action (once: a finished row is never rewritten). */
  async finish(id: string, end: { outcome: 'succeeded' | 'failed' | 'refused'; detail: string; output?: string; artifacts: string[] }): Promise<DeviceActionRecord | undefined> {
    const rows = returnedRows<Row>(
      await this.m.query(
        `UPDATE gateway.device_action SET outcome = $2, detail = $3, output = $4, artifacts = $5::jsonb, finished_at = now(),
           started_at = COALESCE(started_at, now()),
           duration_ms = GREATEST(0, floor(EXTRACT(EPOCH FROM (now() - COALESCE(started_at, now()))) * 1000))::int
         WHERE id = $1 AND outcome IN ('pending', 'running') RETURNING ${COLUMNS}`,
        [id, end.outcome, end.detail, end.output ?? null, JSON.stringify(end.artifacts)],
      ),
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** One action. */
  async get(id: string): Promise<DeviceActionRecord | undefined> {
    const rows: Row[] = await this.m.query(`SELECT ${COLUMNS} FROM gateway.device_action WHERE id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Newest first, filtered, paged. */
  async list(q: DeviceActionQuery): Promise<{ items: DeviceActionRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [['device', q.device], ['kind', q.kind], ['outcome', q.outcome]] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total: { n: string }[] = await this.m.query(`SELECT count(*) AS n FROM gateway.device_action ${filter}`, params);
    const rows: Row[] = await this.m.query(
      `SELECT ${COLUMNS} FROM gateway.device_action ${filter} ORDER BY requested_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    );
    return { items: rows.map(toRecord), total: Number(total[0].n) };
  }

  /** Finished actions whose result is not yet published, locked for this transaction. */
  async claimUnpublished(limit: number): Promise<DeviceActionRecord[]> {
    const rows: Row[] = await this.m.query(
      `SELECT ${COLUMNS} FROM gateway.device_action WHERE finished_at IS NOT NULL AND result_published_at IS NULL
       ORDER BY finished_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /** Marks results published. */
  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.m.query(`UPDATE gateway.device_action SET result_published_at = now() WHERE id = ANY($1::text[])`, [ids]);
  }
}
