import type { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities by TypeORM's schema builder (migration:generate), then kept as is:
// the persistence spec checks that, after every migration, the entities need no further change.

/** The first schema: providers, circuits and their names, maintenances with windows, impacts and notes, notices and their records, the lifecycle outbox and the clock. */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "circuit_name" ("provider_type" character varying(64) NOT NULL, "name_key" text NOT NULL, "name" text NOT NULL, "circuit_id" uuid NOT NULL, "primary" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_3db0060a999189054d1c763a4f4" PRIMARY KEY ("provider_type", "name_key"))`,
      `CREATE INDEX "IDX_circuit_name_circuit" ON "circuit_name" ("circuit_id")`,
      `CREATE TABLE "provider" ("type" character varying(64) NOT NULL, "built_in" boolean NOT NULL DEFAULT false, "built_in_name" text, "built_in_senders" text array, "built_in_default_organizer" text, "name" text, "senders" text array, "default_organizer" text, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_faaa24371bbc67cdfc62fc04f1d" PRIMARY KEY ("type"))`,
      `CREATE TABLE "circuit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider_type" character varying(64) NOT NULL, "provider_circuit_id" text NOT NULL, "a_side" text, "z_side" text, "type" character varying(16), "description" text, "redundancy_group" text, "device" text, "device_interface" text, "bgp_group" text, "bgp_neighbor" text, "verified" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_circuit_type" CHECK ("type" IS NULL OR "type" IN ('transit', 'backbone', 'transport', 'peering', 'facility')), CONSTRAINT "PK_16d20c94e486b3613872aa43cad" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_circuit_redundancy_group" ON "circuit" ("redundancy_group")`,
      `CREATE TABLE "maintenance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider_type" character varying(64) NOT NULL, "maintenance_id" text NOT NULL, "account" text NOT NULL, "organizer" text NOT NULL, "uid" text NOT NULL, "status" character varying(16) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "summary" text NOT NULL, "sequence" integer NOT NULL, "stamp" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT '1', "phase" character varying(16) NOT NULL DEFAULT 'scheduled', "acknowledged_by" text, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "replaces_id" uuid, "replaced_by_id" uuid, "last_notice_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_maintenance_key" UNIQUE ("provider_type", "maintenance_id"), CONSTRAINT "PK_542fb6a28537140d2df95faa52a" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_maintenance_status" ON "maintenance" ("status")`,
      `CREATE INDEX "IDX_maintenance_starts_at" ON "maintenance" ("starts_at")`,
      `CREATE INDEX "IDX_maintenance_ends_at" ON "maintenance" ("ends_at")`,
      `CREATE INDEX "IDX_maintenance_rescheduled" ON "maintenance" ("provider_type") WHERE "status" = 'RE-SCHEDULED' AND "replaced_by_id" IS NULL`,
      `CREATE INDEX "IDX_maintenance_clock" ON "maintenance" ("starts_at") WHERE "phase" <> 'ended'`,
      `CREATE TABLE "circuit_impact" ("maintenance_id" uuid NOT NULL, "circuit_key" text NOT NULL, "circuit_ref" text NOT NULL, "circuit_id" uuid, "impact" character varying(24) NOT NULL, CONSTRAINT "PK_80516c83c31e3581c174adcecc2" PRIMARY KEY ("maintenance_id", "circuit_key"))`,
      `CREATE INDEX "IDX_circuit_impact_circuit" ON "circuit_impact" ("circuit_id")`,
      `CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "event_id" character varying(64) NOT NULL, "type" character varying(32) NOT NULL, "maintenance_id" uuid, "payload" jsonb NOT NULL, "correlation_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_outbox_event_id" ON "outbox" ("event_id")`,
      `CREATE INDEX "IDX_outbox_maintenance" ON "outbox" ("maintenance_id")`,
      `CREATE INDEX "IDX_outbox_unpublished" ON "outbox" ("id") WHERE "published_at" IS NULL`,
      `CREATE TABLE "clock_state" ("name" character varying(32) NOT NULL, "last_tick_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ticked_by" text NOT NULL, "transitions_total" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_501c89e1985338072c308f6c106" PRIMARY KEY ("name"))`,
      `CREATE TABLE "maintenance_window" ("id" BIGSERIAL NOT NULL, "maintenance_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sequence" integer NOT NULL, "stamp" TIMESTAMP WITH TIME ZONE NOT NULL, "notice_id" text, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a15b826ce736e584a0d0e0bdd4" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_maintenance_window_maintenance" ON "maintenance_window" ("maintenance_id", "id")`,
      `CREATE TABLE "note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "maintenance_id" uuid NOT NULL, "author" text NOT NULL, "level" character varying(8) NOT NULL, "text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_note_level" CHECK ("level" IN ('info', 'warning')), CONSTRAINT "PK_96d0c172a4fba276b1bbed43058" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_note_maintenance" ON "note" ("maintenance_id", "created_at")`,
      `CREATE TABLE "raw_notice" ("notice_id" character varying(1024) NOT NULL, "source" character varying(64) NOT NULL, "sender" text, "subject" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "provider_hint" text, "attempt" integer NOT NULL DEFAULT '1', "correlation_id" text NOT NULL, "body" bytea NOT NULL, "stored_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9ffef2cf5d3d926b09214fc9914" PRIMARY KEY ("notice_id"))`,
      `CREATE INDEX "IDX_raw_notice_received_at" ON "raw_notice" ("received_at")`,
      `CREATE TABLE "parsed_record" ("id" BIGSERIAL NOT NULL, "notice_id" character varying(1024) NOT NULL, "attempt" integer NOT NULL, "index" integer NOT NULL, "count" integer NOT NULL, "provider_type" character varying(64) NOT NULL, "maintenance_key" text NOT NULL, "maintenance_id" uuid, "outcome" character varying(16) NOT NULL, "parsers" text array NOT NULL, "maintenance_json" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_parsed_record_message" UNIQUE ("notice_id", "attempt", "index"), CONSTRAINT "PK_d1d6a98c9c1b9b46bd814f467a5" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_parsed_record_maintenance" ON "parsed_record" ("maintenance_id")`,
      `CREATE TABLE "unparsed_record" ("id" BIGSERIAL NOT NULL, "notice_id" character varying(1024) NOT NULL, "attempt" integer NOT NULL, "provider_type" character varying(64), "sender" text, "subject" text, "reasons" text array NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_unparsed_record_message" UNIQUE ("notice_id", "attempt"), CONSTRAINT "PK_7e5dbf555f30a9f326739d8dc33" PRIMARY KEY ("id"))`,
      `CREATE TABLE "ignored_record" ("id" BIGSERIAL NOT NULL, "notice_id" character varying(1024) NOT NULL, "attempt" integer NOT NULL, "provider_type" character varying(64), "sender" text, "subject" text, "reason" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ignored_record_message" UNIQUE ("notice_id", "attempt"), CONSTRAINT "PK_4889b89133b3620f7e484de5708" PRIMARY KEY ("id"))`,
      `ALTER TABLE "circuit_name" ADD CONSTRAINT "FK_2775842788718bd027eefe78aa9" FOREIGN KEY ("circuit_id") REFERENCES "circuit"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `ALTER TABLE "circuit" ADD CONSTRAINT "FK_156b04fb603766a949c1b99c0ca" FOREIGN KEY ("provider_type") REFERENCES "provider"("type") ON DELETE RESTRICT ON UPDATE CASCADE`,
      `ALTER TABLE "maintenance" ADD CONSTRAINT "FK_89d4c84ea10b17d4880c4aff5df" FOREIGN KEY ("provider_type") REFERENCES "provider"("type") ON DELETE RESTRICT ON UPDATE CASCADE`,
      `ALTER TABLE "maintenance" ADD CONSTRAINT "FK_08f45c5a8791d7c3fcdb1b72142" FOREIGN KEY ("replaces_id") REFERENCES "maintenance"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
      `ALTER TABLE "maintenance" ADD CONSTRAINT "FK_17a86ad1fa3b8c37ebf3964a19f" FOREIGN KEY ("replaced_by_id") REFERENCES "maintenance"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
      `ALTER TABLE "circuit_impact" ADD CONSTRAINT "FK_97410ddc1cddb7ef92150956888" FOREIGN KEY ("maintenance_id") REFERENCES "maintenance"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `ALTER TABLE "circuit_impact" ADD CONSTRAINT "FK_20ea0208a68422ef3a3a4f4f254" FOREIGN KEY ("circuit_id") REFERENCES "circuit"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
      `ALTER TABLE "maintenance_window" ADD CONSTRAINT "FK_5e6a1129f2845ea8d61fce95663" FOREIGN KEY ("maintenance_id") REFERENCES "maintenance"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `ALTER TABLE "note" ADD CONSTRAINT "FK_d0e680f04e6b5e7cc5cc1aaa9be" FOREIGN KEY ("maintenance_id") REFERENCES "maintenance"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `ALTER TABLE "parsed_record" ADD CONSTRAINT "FK_de397adda90325cbd5e2a26c66e" FOREIGN KEY ("maintenance_id") REFERENCES "maintenance"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE "parsed_record" DROP CONSTRAINT "FK_de397adda90325cbd5e2a26c66e"`,
      `ALTER TABLE "note" DROP CONSTRAINT "FK_d0e680f04e6b5e7cc5cc1aaa9be"`,
      `ALTER TABLE "maintenance_window" DROP CONSTRAINT "FK_5e6a1129f2845ea8d61fce95663"`,
      `ALTER TABLE "circuit_impact" DROP CONSTRAINT "FK_20ea0208a68422ef3a3a4f4f254"`,
      `ALTER TABLE "circuit_impact" DROP CONSTRAINT "FK_97410ddc1cddb7ef92150956888"`,
      `ALTER TABLE "maintenance" DROP CONSTRAINT "FK_17a86ad1fa3b8c37ebf3964a19f"`,
      `ALTER TABLE "maintenance" DROP CONSTRAINT "FK_08f45c5a8791d7c3fcdb1b72142"`,
      `ALTER TABLE "maintenance" DROP CONSTRAINT "FK_89d4c84ea10b17d4880c4aff5df"`,
      `ALTER TABLE "circuit" DROP CONSTRAINT "FK_156b04fb603766a949c1b99c0ca"`,
      `ALTER TABLE "circuit_name" DROP CONSTRAINT "FK_2775842788718bd027eefe78aa9"`,
      `DROP TABLE "ignored_record"`,
      `DROP TABLE "unparsed_record"`,
      `DROP INDEX "public"."IDX_parsed_record_maintenance"`,
      `DROP TABLE "parsed_record"`,
      `DROP INDEX "public"."IDX_raw_notice_received_at"`,
      `DROP TABLE "raw_notice"`,
      `DROP INDEX "public"."IDX_note_maintenance"`,
      `DROP TABLE "note"`,
      `DROP INDEX "public"."IDX_maintenance_window_maintenance"`,
      `DROP TABLE "maintenance_window"`,
      `DROP TABLE "clock_state"`,
      `DROP INDEX "public"."IDX_outbox_unpublished"`,
      `DROP INDEX "public"."IDX_outbox_maintenance"`,
      `DROP INDEX "public"."UQ_outbox_event_id"`,
      `DROP TABLE "outbox"`,
      `DROP INDEX "public"."IDX_circuit_impact_circuit"`,
      `DROP TABLE "circuit_impact"`,
      `DROP INDEX "public"."IDX_maintenance_clock"`,
      `DROP INDEX "public"."IDX_maintenance_rescheduled"`,
      `DROP INDEX "public"."IDX_maintenance_ends_at"`,
      `DROP INDEX "public"."IDX_maintenance_starts_at"`,
      `DROP INDEX "public"."IDX_maintenance_status"`,
      `DROP TABLE "maintenance"`,
      `DROP INDEX "public"."IDX_circuit_redundancy_group"`,
      `DROP TABLE "circuit"`,
      `DROP TABLE "provider"`,
      `DROP INDEX "public"."IDX_circuit_name_circuit"`,
      `DROP TABLE "circuit_name"`,
    ]) {
      await q.query(sql);
    }
  }
}
