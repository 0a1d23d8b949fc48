import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A window of a maintenance's history is its primary window (the last primary one is the
 * current window) or a further window the notice named besides it, such as a BSO backup timeslot.
 */
export class MaintenanceWindowLabel1780100000000 implements MigrationInterface {
  name = 'MaintenanceWindowLabel1780100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "maintenance_window" ADD "label" text NOT NULL DEFAULT 'primary'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "maintenance_window" DROP COLUMN "label"`);
  }
}
