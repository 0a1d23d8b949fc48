import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A maintenance keeps how the notice that last set it was authenticated (DKIM or a trusted
 * Authentication-Results): the junos-gateway acts on devices only for authenticated ones.
 */
export class MaintenanceAuthenticity1779600000000 implements MigrationInterface {
  name = 'MaintenanceAuthenticity1779600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "maintenance" ADD "authenticity" jsonb`);
    await q.query(`ALTER TABLE "parsed_record" ADD "authenticity" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "parsed_record" DROP COLUMN "authenticity"`);
    await q.query(`ALTER TABLE "maintenance" DROP COLUMN "authenticity"`);
  }
}
