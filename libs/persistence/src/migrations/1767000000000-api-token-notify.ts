import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel on which a change to api_token is announced (at commit). */
export const API_TOKEN_CHANNEL = 'maintwatch_api_tokens';

// Hand-written (a trigger; TypeORM has no notion of one).

/**
 * Announces every change to the API tokens (a revocation, a deletion) on a notification
 * channel, whatever made it (the token CLI, SQL by hand), so that API replicas caching token
 * lookups drop them at once.
 */
export class ApiTokenNotify1767000000000 implements MigrationInterface {
  name = 'ApiTokenNotify1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION "maintwatch_api_token_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify('${API_TOKEN_CHANNEL}', TG_OP); RETURN NULL; END $$`,
    );
    await q.query(`CREATE TRIGGER "api_token_changed" AFTER UPDATE OR DELETE ON "api_token" FOR EACH STATEMENT EXECUTE FUNCTION "maintwatch_api_token_changed"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "api_token_changed" ON "api_token"`);
    await q.query(`DROP FUNCTION "maintwatch_api_token_changed"()`);
  }
}
