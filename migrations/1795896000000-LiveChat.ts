import { MigrationInterface, QueryRunner } from 'typeorm';

/** Chat messages and questions of a live class, kept with its session; attendance's running presence. */
export class LiveChat1795896000000 implements MigrationInterface {
  name = 'LiveChat1795896000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_message (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES class_session (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        classroom_id integer REFERENCES classroom (id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('chat', 'question')),
        text text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX chat_message_session_idx ON chat_message (session_id, id)`);
    // While a classroom is in the class: since when (null when it is not); seconds accumulate across rejoins.
    await q.query(`ALTER TABLE attendance ADD COLUMN present_since timestamptz, ADD COLUMN seconds_present integer NOT NULL DEFAULT 0 CHECK (seconds_present >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attendance DROP COLUMN present_since, DROP COLUMN seconds_present`);
    await q.query(`DROP TABLE chat_message`);
  }
}
