import { DRAIN_STEPS, type DrainStepEvent } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import { epoch, fromEpoch, pgText } from '../models';

/** The latest announced drain step of one circuit on one device, for one maintenance. */
export interface DrainStateRecord {
  circuitId: string;
  device: string;
  method: DrainStepEvent['method'];
  dryRun: boolean;
  step: DrainStepEvent['step'];
  state: string;
  detail: string;
  diff?: string;
  at: number;
  window: { start: number; end: number };
}

/**
 * The gateway's drain steps as maintenance-api keeps them: the latest per (maintenance key,
 * circuit, device). Steps arrive at least once and in any order after a redelivery, so a step
 * replaces the kept one only when it is later: by its time, then (steps of one second) by its
 * place in the flow, DRAIN_STEPS' order. The same step delivered again changes nothing.
 */
export class DrainStateRepository {
  constructor(private readonly m: EntityManager) {}

  /** Keeps the step when it is later than the kept one; true when it was kept. */
  async record(e: DrainStepEvent): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO maintenance_drain AS d
         (provider_type, maintenance_id, circuit_id, device, method, dry_run, step, step_rank, state, detail, diff, at, step_id, window_start, window_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (provider_type, maintenance_id, circuit_id, device) DO UPDATE SET
         method = excluded.method, dry_run = excluded.dry_run, step = excluded.step, step_rank = excluded.step_rank,
         state = excluded.state, detail = excluded.detail, diff = excluded.diff, at = excluded.at, step_id = excluded.step_id,
         window_start = excluded.window_start, window_end = excluded.window_end, updated_at = now()
       WHERE (excluded.at, excluded.step_rank) > (d.at, d.step_rank)
       RETURNING 1`,
      [
        pgText(e.providerType),
        pgText(e.maintenanceId),
        pgText(e.circuitId),
        pgText(e.device),
        e.method,
        e.dryRun,
        e.step,
        DRAIN_STEPS.indexOf(e.step),
        pgText(e.state),
        pgText(e.detail),
        e.diff === undefined ? null : pgText(e.diff),
        fromEpoch(e.at),
        pgText(e.stepId),
        fromEpoch(e.window.start),
        fromEpoch(e.window.end),
      ],
    );
    return rows.length > 0;
  }

  /** The drains of one maintenance, by circuit then device. */
  async of(providerType: string, maintenanceId: string): Promise<DrainStateRecord[]> {
    const rows: {
      circuit_id: string;
      device: string;
      method: DrainStepEvent['method'];
      dry_run: boolean;
      step: DrainStepEvent['step'];
      state: string;
      detail: string;
      diff: string | null;
      at: Date;
      window_start: Date;
      window_end: Date;
    }[] = await this.m.query(
      `SELECT circuit_id, device, method, dry_run, step, state, detail, diff, at, window_start, window_end
         FROM maintenance_drain WHERE provider_type = $1 AND maintenance_id = $2 ORDER BY circuit_id, device`,
      [providerType, maintenanceId],
    );
    return rows.map((r) => ({
      circuitId: r.circuit_id,
      device: r.device,
      method: r.method,
      dryRun: r.dry_run,
      step: r.step,
      state: r.state,
      detail: r.detail,
      ...(r.diff !== null ? { diff: r.diff } : {}),
      at: epoch(r.at),
      window: { start: epoch(r.window_start), end: epoch(r.window_end) },
    }));
  }
}
