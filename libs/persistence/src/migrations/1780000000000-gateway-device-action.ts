import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * junos-gateway's audit of operator actions (REST and device.action.v1.*), also the outbox of
 * device.action-result.v1. `request_key` is unique: a redelivered NATS request (same actionId)
 * or a retried REST call (same Idempotency-Key) finds the row it made and never acts twice.
 */
export class GatewayDeviceAction1780000000000 implements MigrationInterface {
  name = 'GatewayDeviceAction1780000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "gateway"`);
    await q.query(`CREATE TABLE "gateway"."device_action" (
      "id" character varying(128) PRIMARY KEY,
      "request_key" text NOT NULL,
      "device" text NOT NULL,
      "kind" character varying(32) NOT NULL,
      "params" jsonb NOT NULL,
      "requested_by" text NOT NULL,
      "source" character varying(8) NOT NULL,
      "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "duration_ms" integer,
      "outcome" character varying(12) NOT NULL DEFAULT 'pending',
      "detail" text NOT NULL DEFAULT '',
      "output" text,
      "artifacts" jsonb NOT NULL DEFAULT '[]',
      "progress" jsonb,
      "result_published_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "UQ_device_action_request" UNIQUE ("request_key"),
      CONSTRAINT "CHK_device_action_outcome" CHECK ("outcome" IN ('pending', 'running', 'succeeded', 'failed', 'refused')),
      CONSTRAINT "CHK_device_action_source" CHECK ("source" IN ('rest', 'nats'))
    )`);
    await q.query(`CREATE INDEX "IDX_device_action_requested" ON "gateway"."device_action" ("requested_at" DESC, "id")`);
    await q.query(`CREATE INDEX "IDX_device_action_device" ON "gateway"."device_action" ("device", "requested_at" DESC)`);
    await q.query(
      `CREATE INDEX "IDX_device_action_unpublished" ON "gateway"."device_action" ("finished_at") WHERE "finished_at" IS NOT NULL AND "result_published_at" IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "gateway"."device_action"`);
  }
}
