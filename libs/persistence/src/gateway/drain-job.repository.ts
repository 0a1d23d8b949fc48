import type { DeviceBinding, DrainPolicy } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import { pgJson } from '../models';

/** Where a drain job stands. Terminal: restored, dry-run, refused, failed, cancelled, rolled-back. */
export type DrainState =
  | 'scheduled'
  | 'draining'
  | 'confirming'
  | 'drained'
  | 'restoring'
  | 'restore-confirming'
  | 'restored'
  | 'dry-run'
  | 'refused'
  | 'failed'
  | 'cancelled'
  | 'rolled-back';

/** One circuit of one maintenance that the gateway drains and restores. */
export interface DrainJob {
  id: string;
  providerType: string;
  maintenanceId: string;
  circuitId: string;
  device: string;
  binding: DeviceBinding & { drain: DrainPolicy };
  state: DrainState;
  windowStart: number;
  windowEnd: number;
  drainAt: number;
  restoreAt: number;
  maintenanceVersion: number;
  lastPath: boolean;
  authenticated: boolean;
  groupName: string;
  appliedLines: string[] | null;
  undoLines: string[] | null;
  confirmDeadline: number | null;
  attempts: number;
  detail: string;
  updatedAt: number;
}

/** A job as the maintenance's latest event describes it. */
export interface DrainJobInput {
  providerType: string;
  maintenanceId: string;
  circuitId: string;
  device: string;
  binding: DeviceBinding & { drain: DrainPolicy };
  windowStart: number;
  windowEnd: number;
  drainAt: number;
  restoreAt: number;
  maintenanceVersion: number;
  lastPath: boolean;
  authenticated: boolean;
  groupName: string;
}

/** An audited step of a drain job. */
export interface DrainStepRecord {
  id: string;
  jobId: string;
  step: string;
  detail: string;
  diff: string | null;
  at: number;
}

interface JobRow {
  id: string;
  provider_type: string;
  maintenance_id: string;
  circuit_id: string;
  device: string;
  binding: DeviceBinding & { drain: DrainPolicy };
  state: DrainState;
  window_start: Date;
  window_end: Date;
  drain_at: Date;
  restore_at: Date;
  maintenance_version: number;
  last_path: boolean;
  authenticated: boolean;
  group_name: string;
  applied_lines: string[] | null;
  undo_lines: string[] | null;
  confirm_deadline: Date | null;
  attempts: number;
  detail: string;
  updated_at: Date;
}

const secs = (d: Date): number => Math.floor(d.getTime() / 1000);
const at = (epoch: number): string => new Date(epoch * 1000).toISOString();

function toJob(r: JobRow): DrainJob {
  return {
    id: String(r.id),
    providerType: r.provider_type,
    maintenanceId: r.maintenance_id,
    circuitId: r.circuit_id,
    device: r.device,
    binding: r.binding,
    state: r.state,
    windowStart: secs(r.window_start),
    windowEnd: secs(r.window_end),
    drainAt: secs(r.drain_at),
    restoreAt: secs(r.restore_at),
    maintenanceVersion: r.maintenance_version,
    lastPath: r.last_path,
    authenticated: r.authenticated,
    groupName: r.group_name,
    appliedLines: r.applied_lines,
    undoLines: r.undo_lines,
    confirmDeadline: r.confirm_deadline ? secs(r.confirm_deadline) : null,
    attempts: r.attempts,
    detail: r.detail,
    updatedAt: secs(r.updated_at),
  };
}

const rowsOf = (result: unknown): JobRow[] => (Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as JobRow[]) : (result as JobRow[]));

/**
 * Drain jobs and their audit, in the gateway's schema. Every state change is a compare-and-set
 * on the expected state, so a redelivered event, a second replica or a restarted gateway can
 * never run a step twice.
 */
export class DrainJobRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Creates or moves a job from a maintenance event. Only a job still `scheduled` takes the new
   * window and policy; an older maintenance version never overwrites a newer one. A drained job
   * keeps its lines and only takes the new restore time.
   */
  async upsert(input: DrainJobInput): Promise<DrainJob> {
    const rows = rowsOf(
      await this.m.query(
        `INSERT INTO gateway.drain_job (provider_type, maintenance_id, circuit_id, device, binding, state, window_start, window_end,
           drain_at, restore_at, maintenance_version, last_path, authenticated, group_name)
         VALUES ($1, $2, $3, $4, $5::jsonb, 'scheduled', $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (provider_type, maintenance_id, circuit_id) DO UPDATE SET
           device = CASE WHEN drain_job.state = 'scheduled' THEN EXCLUDED.device ELSE drain_job.device END,
           binding = CASE WHEN drain_job.state = 'scheduled' THEN EXCLUDED.binding ELSE drain_job.binding END,
           window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
           drain_at = CASE WHEN drain_job.state = 'scheduled' THEN EXCLUDED.drain_at ELSE drain_job.drain_at END,
           restore_at = CASE WHEN drain_job.state IN ('scheduled', 'drained') THEN EXCLUDED.restore_at ELSE drain_job.restore_at END,
           maintenance_version = EXCLUDED.maintenance_version,
           last_path = EXCLUDED.last_path, authenticated = EXCLUDED.authenticated,
           group_name = CASE WHEN drain_job.state = 'scheduled' THEN EXCLUDED.group_name ELSE drain_job.group_name END,
           updated_at = now()
         WHERE drain_job.maintenance_version <= EXCLUDED.maintenance_version
         RETURNING *`,
        [
          input.providerType,
          input.maintenanceId,
          input.circuitId,
          input.device,
          pgJson(input.binding),
          at(input.windowStart),
          at(input.windowEnd),
          at(input.drainAt),
          at(input.restoreAt),
          input.maintenanceVersion,
          input.lastPath,
          input.authenticated,
          input.groupName,
        ],
      ),
    );
    if (rows.length > 0) return toJob(rows[0]);
    const current = await this.find(input.providerType, input.maintenanceId, input.circuitId);
    if (!current) throw new Error(`drain job ${input.providerType}/${input.maintenanceId}/${input.circuitId} vanished`);
    return current;
  }

  /** The jobs of a maintenance. */
  async forMaintenance(providerType: string, maintenanceId: string): Promise<DrainJob[]> {
    return rowsOf(await this.m.query(`SELECT * FROM gateway.drain_job WHERE provider_type = $1 AND maintenance_id = $2 ORDER BY id`, [providerType, maintenanceId])).map(toJob);
  }

  /** One job by its key. */
  async find(providerType: string, maintenanceId: string, circuitId: string): Promise<DrainJob | undefined> {
    const rows = rowsOf(
      await this.m.query(`SELECT * FROM gateway.drain_job WHERE provider_type = $1 AND maintenance_id = $2 AND circuit_id = $3`, [providerType, maintenanceId, circuitId]),
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** One job by id. */
  async get(id: string): Promise<DrainJob | undefined> {
    const rows = rowsOf(await this.m.query(`SELECT * FROM gateway.drain_job WHERE id = $1`, [id]));
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** Recent jobs, newest first. */
  async list(limit: number): Promise<DrainJob[]> {
    return rowsOf(await this.m.query(`SELECT * FROM gateway.drain_job ORDER BY updated_at DESC, id DESC LIMIT $1`, [limit])).map(toJob);
  }

  /**
   * Claims one job that is due (a drain whose time came, a restore whose time came, or a job
   * whose holder's lease ran out mid-flow) for `owner` until the lease ends. SKIP LOCKED and
   * the lease make two replicas take different jobs.
   */
  async claimDue(owner: string, now: number, leaseSeconds: number): Promise<DrainJob | undefined> {
    const rows = rowsOf(
      await this.m.query(
        `UPDATE gateway.drain_job SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = now()
         WHERE id = (
           SELECT id FROM gateway.drain_job
           WHERE (lease_until IS NULL OR lease_until < $3)
             AND ((state = 'scheduled' AND drain_at <= $3)
               OR (state = 'drained' AND restore_at <= $3)
               OR state IN ('draining', 'confirming', 'restoring', 'restore-confirming'))
           ORDER BY LEAST(drain_at, restore_at), id
           LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [owner, at(now + leaseSeconds), at(now)],
      ),
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** Extends the lease of a job its owner is still working on. */
  async renew(id: string, owner: string, until: number): Promise<boolean> {
    return rowsOf(await this.m.query(`UPDATE gateway.drain_job SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 RETURNING id`, [id, owner, at(until)])).length > 0;
  }

  /** Releases the lease (the job waits for its next due time). */
  async release(id: string, owner: string): Promise<void> {
    await this.m.query(`UPDATE gateway.drain_job SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [id, owner]);
  }

  /**
   * Moves a job from one of `from` to `to`, with the fields given; false when the job is not in
   * an expected state any more (someone else moved it).
   */
  async transition(
    id: string,
    from: readonly DrainState[],
    to: DrainState,
    fields: { detail?: string; appliedLines?: string[]; undoLines?: string[]; confirmDeadline?: number | null; restoreAt?: number; releaseLease?: boolean } = {},
  ): Promise<boolean> {
    const rows = rowsOf(
      await this.m.query(
        `UPDATE gateway.drain_job SET state = $3,
           detail = COALESCE($4, detail),
           applied_lines = COALESCE($5::jsonb, applied_lines),
           undo_lines = COALESCE($6::jsonb, undo_lines),
           confirm_deadline = CASE WHEN $7::boolean THEN $8::timestamptz ELSE confirm_deadline END,
           restore_at = COALESCE($9::timestamptz, restore_at),
           lease_owner = CASE WHEN $10::boolean THEN NULL ELSE lease_owner END,
           lease_until = CASE WHEN $10::boolean THEN NULL ELSE lease_until END,
           updated_at = now()
         WHERE id = $1 AND state = ANY($2::text[]) RETURNING id`,
        [
          id,
          from,
          to,
          fields.detail ?? null,
          fields.appliedLines ? pgJson(fields.appliedLines) : null,
          fields.undoLines ? pgJson(fields.undoLines) : null,
          fields.confirmDeadline !== undefined,
          fields.confirmDeadline ? at(fields.confirmDeadline) : null,
          fields.restoreAt !== undefined ? at(fields.restoreAt) : null,
          fields.releaseLease ?? false,
        ],
      ),
    );
    return rows.length > 0;
  }

  /** Records a step of a job (audit); the relay publishes it. */
  async step(jobId: string, step: string, detail: string, diff?: string): Promise<void> {
    await this.m.query(`INSERT INTO gateway.drain_step (job_id, step, detail, diff) VALUES ($1, $2, $3, $4)`, [jobId, step, detail, diff ?? null]);
  }

  /** The steps of a job, in order. */
  async steps(jobId: string): Promise<DrainStepRecord[]> {
    const rows: Array<{ id: string; job_id: string; step: string; detail: string; diff: string | null; at: Date }> = await this.m.query(
      `SELECT id, job_id, step, detail, diff, at FROM gateway.drain_step WHERE job_id = $1 ORDER BY id`,
      [jobId],
    );
    return rows.map((r) => ({ id: String(r.id), jobId: String(r.job_id), step: r.step, detail: r.detail, diff: r.diff, at: secs(r.at) }));
  }

  /** Unpublished steps with their job, oldest first, locked for the relay's transaction. */
  async claimUnpublished(limit: number): Promise<Array<DrainStepRecord & { job: DrainJob }>> {
    const rows: Array<JobRow & { step_id: string; step: string; step_detail: string; diff: string | null; step_at: Date }> = await this.m.query(
      `SELECT j.*, s.id AS step_id, s.step, s.detail AS step_detail, s.diff, s.at AS step_at
       FROM gateway.drain_step s JOIN gateway.drain_job j ON j.id = s.job_id
       WHERE s.published_at IS NULL ORDER BY s.id LIMIT $1 FOR UPDATE OF s SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({ id: String(r.step_id), jobId: String(r.id), step: r.step, detail: r.step_detail, diff: r.diff, at: secs(r.step_at), job: toJob(r) }));
  }

  /** Marks steps published. */
  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.m.query(`UPDATE gateway.drain_step SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }
}
