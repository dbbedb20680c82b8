import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's time zone, resolved in one place (#12.3): their school's, and for an account without a school (an
 * admin, a teacher not yet placed) China Standard Time, the schools' own default. Every query that shows a session
 * in its teacher's local time calls this instead of writing the fallback again (it was written out 13 times).
 */
export class UserTimezone1795913000000 implements MigrationInterface {
  name = 'UserTimezone1795913000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION user_timezone(user_id integer) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT coalesce((SELECT s.timezone FROM app_user u JOIN school s ON s.id = u.school_id WHERE u.id = user_id), 'Asia/Shanghai')
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION user_timezone(integer)`);
  }
}
