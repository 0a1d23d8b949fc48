import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * junos-gateway's drain jobs (one per maintenance and circuit) and the audit of every step, in
 * the gateway's own schema. Hand-written: the partial index on due jobs and the check on states
 * are not expressible with TypeORM's decorators.
 */
export class GatewayDrain1779500000000 implements MigrationInterface {
  name = 'GatewayDrain1779500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "gateway"`);
    await q.query(`CREATE TABLE "gateway"."drain_job" (
      "id" BIGSERIAL PRIMARY KEY,
      "provider_type" character varying(64) NOT NULL,
      "maintenance_id" text NOT NULL,
      "circuit_id" text NOT NULL,
      "device" text NOT NULL,
      "binding" jsonb NOT NULL,
      "state" character varying(24) NOT NULL,
      "window_start" TIMESTAMP WITH TIME ZONE NOT NULL,
      "window_end" TIMESTAMP WITH TIME ZONE NOT NULL,
      "drain_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "restore_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "maintenance_version" integer NOT NULL,
      "last_path" boolean NOT NULL DEFAULT false,
      "authenticated" boolean NOT NULL DEFAULT false,
      "group_name" text NOT NULL,
      "applied_lines" jsonb,
      "undo_lines" jsonb,
      "confirm_deadline" TIMESTAMP WITH TIME ZONE,
      "lease_owner" text,
      "lease_until" TIMESTAMP WITH TIME ZONE,
      "attempts" integer NOT NULL DEFAULT 0,
      "detail" text NOT NULL DEFAULT '',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "UQ_drain_job_key" UNIQUE ("provider_type", "maintenance_id", "circuit_id"),
      CONSTRAINT "CHK_drain_job_state" CHECK ("state" IN ('scheduled', 'draining', 'confirming', 'drained', 'restoring', 'restore-confirming',
        'restored', 'dry-run', 'refused', 'failed', 'cancelled', 'rolled-back'))
    )`);
    await q.query(`CREATE INDEX "IDX_drain_job_due" ON "gateway"."drain_job" ("drain_at") WHERE "state" = 'scheduled'`);
    await q.query(`CREATE INDEX "IDX_drain_job_restore_due" ON "gateway"."drain_job" ("restore_at") WHERE "state" = 'drained'`);
    await q.query(`CREATE TABLE "gateway"."drain_step" (
      "id" BIGSERIAL PRIMARY KEY,
      "job_id" bigint NOT NULL REFERENCES "gateway"."drain_job" ("id") ON DELETE CASCADE,
      "step" character varying(32) NOT NULL,
      "detail" text NOT NULL,
      "diff" text,
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "published_at" TIMESTAMP WITH TIME ZONE
    )`);
    await q.query(`CREATE INDEX "IDX_drain_step_job" ON "gateway"."drain_step" ("job_id", "id")`);
    await q.query(`CREATE INDEX "IDX_drain_step_unpublished" ON "gateway"."drain_step" ("id") WHERE "published_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "gateway"."drain_step"`);
    await q.query(`DROP TABLE "gateway"."drain_job"`);
  }
}
