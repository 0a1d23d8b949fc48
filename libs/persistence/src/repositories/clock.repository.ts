import type { EntityManager } from 'typeorm';
import { epoch } from '../models';

/** Names of the transaction-scoped advisory locks that make one replica do a job at a time. */
export const LOCKS = {
  /** The lifecycle clock: one replica emits time-based transitions. */
  clock: 7_310_001,
  /** The outbox relay: one replica publishes, in order. */
  relay: 7_310_002,
  /** Schema migrations at start. */
  migrations: 7_310_003,
  /** Overlap detection: the transactions that raise and clear overlaps take turns. */
  overlaps: 7_310_004,
  /**
   * Each maintenance's circuits JSON (maintenance_circuits): writers of impacts share it,
   * renames and regrouping of circuits take it alone (see the migration that made it).
   */
  circuitInventory: 7_310_005,
} as const;

/** The clock's own state, and the advisory locks that keep replicas from doing a job twice. */
export class ClockRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Takes a transaction-scoped advisory lock if free: true when this transaction holds it
   * (until commit or rollback), false when another replica does. Only inside a transaction.
   */
  async tryTransactionLock(lock: (typeof LOCKS)[keyof typeof LOCKS]): Promise<boolean> {
    const rows: { locked: boolean }[] = await this.m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [lock]);
    return rows[0]?.locked === true;
  }

  /** Waits for the advisory lock, held until the transaction ends. */
  async transactionLock(lock: (typeof LOCKS)[keyof typeof LOCKS]): Promise<void> {
    await this.m.query(`SELECT pg_advisory_xact_lock($1)`, [lock]);
  }

  /** Records a clock run. */
  async recordTick(name: string, by: string, transitions: number): Promise<void> {
    await this.m.query(
      `INSERT INTO clock_state (name, last_tick_at, ticked_by, transitions_total) VALUES ($1, now(), $2, $3)
       ON CONFLICT (name) DO UPDATE SET last_tick_at = now(), ticked_by = excluded.ticked_by,
         transitions_total = clock_state.transitions_total + excluded.transitions_total`,
      [name, by, transitions],
    );
  }

  /** When the clock last ran, and where. */
  async lastTick(name: string): Promise<{ at: number; by: string; transitionsTotal: number } | undefined> {
    const rows: { last_tick_at: Date; ticked_by: string; transitions_total: string }[] = await this.m.query(
      `SELECT last_tick_at, ticked_by, transitions_total FROM clock_state WHERE name = $1`,
      [name],
    );
    const r = rows[0];
    return r && { at: epoch(r.last_tick_at), by: r.ticked_by, transitionsTotal: Number(r.transitions_total) };
  }
}
