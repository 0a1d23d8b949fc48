import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A circuit's device binding carries its drain policy (junos-gateway drains and restores by it). */
export class DrainPolicy1779000000000 implements MigrationInterface {
  name = 'DrainPolicy1779000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "circuit" ADD "drain_policy" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "circuit" DROP COLUMN "drain_policy"`);
  }
}
