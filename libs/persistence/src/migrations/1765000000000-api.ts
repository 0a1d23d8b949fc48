import type { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities by TypeORM's schema builder (migration:generate), then kept as is.

/** The API's tables: hashed API tokens, overlapping maintenances (one row per pair), and an interval index on maintenance windows. */
export class Api1765000000000 implements MigrationInterface {
  name = 'Api1765000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "scope" character varying(8) NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_api_token_scope" CHECK ("scope" IN ('read', 'write')), CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_api_token_hash" ON "api_token" ("token_hash")`,
      `CREATE UNIQUE INDEX "UQ_api_token_active_name" ON "api_token" ("name") WHERE "revoked_at" IS NULL`,
      `CREATE TABLE "maintenance_overlap" ("id" BIGSERIAL NOT NULL, "maintenance_a" uuid NOT NULL, "maintenance_b" uuid NOT NULL, "a_starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "a_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "b_starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "b_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "shared_circuits" text array NOT NULL, "redundancy_groups" text array NOT NULL, "active" boolean NOT NULL, "generation" integer NOT NULL DEFAULT '1', "event_id" character varying(64) NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cleared_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_maintenance_overlap_pair" UNIQUE ("maintenance_a", "maintenance_b"), CONSTRAINT "PK_72a3bbb01d68707459f254d2d7a" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_maintenance_overlap_b" ON "maintenance_overlap" ("maintenance_b")`,
      `ALTER TABLE "maintenance_overlap" ADD CONSTRAINT "FK_050ee3074794d9b67dd2924fddc" FOREIGN KEY ("maintenance_a") REFERENCES "maintenance"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `ALTER TABLE "maintenance_overlap" ADD CONSTRAINT "FK_19b2cccd03ba4c1499cd640f2dd" FOREIGN KEY ("maintenance_b") REFERENCES "maintenance"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      // Hand-written (an expression index; see maintenance-overlap.entity.ts): the list's time-window filter.
      `CREATE INDEX "IDX_maintenance_window_range" ON "maintenance" USING gist (tstzrange("starts_at", GREATEST("starts_at", "ends_at"), '[]')) INCLUDE ("id", "status", "starts_at", "ends_at")`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP INDEX "public"."IDX_maintenance_window_range"`,
      `ALTER TABLE "maintenance_overlap" DROP CONSTRAINT "FK_19b2cccd03ba4c1499cd640f2dd"`,
      `ALTER TABLE "maintenance_overlap" DROP CONSTRAINT "FK_050ee3074794d9b67dd2924fddc"`,
      `DROP INDEX "public"."IDX_maintenance_overlap_b"`,
      `DROP TABLE "maintenance_overlap"`,
      `DROP INDEX "public"."UQ_api_token_active_name"`,
      `DROP INDEX "public"."UQ_api_token_hash"`,
      `DROP TABLE "api_token"`,
    ]) {
      await q.query(sql);
    }
  }
}
