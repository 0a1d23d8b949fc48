import type { MigrationInterface, QueryRunner } from 'typeorm';

// Hand-written: TypeORM's @Index cannot declare INCLUDE columns.

/**
 * The start index carries what the list's window filters read (status, end) and its
 * tiebreak (id), so that "windows starting in [from, to) by start" is an index-only scan.
 * Before, each of the ~60 rows it walks for a page of 50 was read from the heap: 92 buffers
 * against 5, and 2.25 ms against 0.3 ms under EXPLAIN ANALYZE, with 100,000 maintenances
 * (measured). It replaces the plain index on starts_at, whose every other use it serves.
 */
export class StartsAtCovering1769000000000 implements MigrationInterface {
  name = 'StartsAtCovering1769000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_maintenance_starts_at"`);
    await q.query(`CREATE INDEX "IDX_maintenance_starts_at" ON "maintenance" ("starts_at", "id") INCLUDE ("status", "ends_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_maintenance_starts_at"`);
    await q.query(`CREATE INDEX "IDX_maintenance_starts_at" ON "maintenance" ("starts_at")`);
  }
}
