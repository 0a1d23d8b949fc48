import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * junos-gateway's device events in a schema of its own (`gateway`: the gateway owns its
 * tables; its other tables use the same schema, hence IF NOT EXISTS). Generated from
 * DeviceEventEntity by TypeORM's schema builder, plus the schema.
 */
export class GatewayDeviceEvents1770000000000 implements MigrationInterface {
  name = 'GatewayDeviceEvents1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "gateway"`);
    await q.query(
      `CREATE TABLE "gateway"."device_event" ("id" BIGSERIAL NOT NULL, "event_id" character varying(64) NOT NULL, "device" text NOT NULL, "event_key" text NOT NULL, "junos_event" character varying(128) NOT NULL, "kind" character varying(32) NOT NULL, "priority" smallint NOT NULL, "severity" character varying(16) NOT NULL, "message" text NOT NULL, "payload" jsonb NOT NULL, "source" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c87eecc7e695d25ea5775fa8ba9" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_device_event_event_id" ON "gateway"."device_event" ("event_id")`);
    await q.query(`CREATE INDEX "IDX_device_event_device" ON "gateway"."device_event" ("device", "id")`);
    await q.query(`CREATE INDEX "IDX_device_event_unpublished" ON "gateway"."device_event" ("id") WHERE "published_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "gateway"."device_event"`);
  }
}
