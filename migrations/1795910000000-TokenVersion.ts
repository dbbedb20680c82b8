import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-account token version: every access token carries the version it was issued under, and logging out,
 * a password change or deactivation moves it on, so tokens issued before stop working at once.
 */
export class TokenVersion1795910000000 implements MigrationInterface {
  name = 'TokenVersion1795910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN token_version integer NOT NULL DEFAULT 0 CHECK (token_version >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN token_version`);
  }
}
