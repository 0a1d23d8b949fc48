import type { MigrationInterface, QueryRunner } from 'typeorm';

// Hand-written (partial indexes; see maintenance-overlap.entity.ts, which declares them on the circuit table).

/**
 * Overlap detection on ingest: finds the circuits without a redundancy group that share an
 * a-side or z-side with a changed maintenance's circuits by index probe (without these, every
 * batch scanned the whole inventory).
 */
export class OverlapSides1766000000000 implements MigrationInterface {
  name = 'OverlapSides1766000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE INDEX "IDX_circuit_a_side_ungrouped" ON "circuit" ("a_side") WHERE "redundancy_group" IS NULL AND "a_side" IS NOT NULL`,
      `CREATE INDEX "IDX_circuit_z_side_ungrouped" ON "circuit" ("z_side") WHERE "redundancy_group" IS NULL AND "z_side" IS NOT NULL`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [`DROP INDEX "public"."IDX_circuit_z_side_ungrouped"`, `DROP INDEX "public"."IDX_circuit_a_side_ungrouped"`]) {
      await q.query(sql);
    }
  }
}
