import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the junos-gateway's drain of each circuit of a maintenance stands, as maintenance-api
 * learns it from the gateway's drain step events (device.drain.v1.<step>): one row per
 * (maintenance key, circuit, device), its latest step. The gateway's own jobs and audit stay in
 * its schema; this is the API's projection of what it announced, for the maintenance's page.
 */
export class MaintenanceDrain1780200000000 implements MigrationInterface {
  name = 'MaintenanceDrain1780200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "maintenance_drain" (
        "provider_type" text NOT NULL,
        "maintenance_id" text NOT NULL,
        "circuit_id" text NOT NULL,
        "device" text NOT NULL,
        "method" text NOT NULL,
        "dry_run" boolean NOT NULL,
        "step" text NOT NULL,
        "step_rank" integer NOT NULL,
        "state" text NOT NULL,
        "detail" text NOT NULL,
        "diff" text,
        "at" timestamptz NOT NULL,
        "step_id" text NOT NULL,
        "window_start" timestamptz NOT NULL,
        "window_end" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_maintenance_drain" PRIMARY KEY ("provider_type", "maintenance_id", "circuit_id", "device")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "maintenance_drain"`);
  }
}
