import { MigrationInterface, QueryRunner } from 'typeorm';

/** Recordings of live classes (one per session), where each viewer stopped, and the per-session switch. */
export class Recordings1795902000000 implements MigrationInterface {
  name = 'Recordings1795902000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE class_session ADD COLUMN record boolean NOT NULL DEFAULT true`);
    await q.query(`
      CREATE TABLE recording (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES class_session (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'recording' CHECK (status IN ('recording', 'processing', 'ready', 'failed', 'deleted')),
        parts integer NOT NULL DEFAULT 0 CHECK (parts >= 0),
        duration_seconds numeric(10, 2) CHECK (duration_seconds >= 0),
        size_bytes bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        error text CHECK (length(error) <= 2000),
        has_mp4 boolean NOT NULL DEFAULT false,
        has_poster boolean NOT NULL DEFAULT false,
        chapters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(chapters) = 'array'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        deleted_at timestamptz,
        CONSTRAINT recording_session_key UNIQUE (session_id),
        CONSTRAINT recording_deleted_at CHECK ((status = 'deleted') = (deleted_at IS NOT NULL)),
        CONSTRAINT recording_ready_has_media CHECK (status <> 'ready' OR (has_mp4 AND duration_seconds IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX recording_status_idx ON recording (status)`);
    await q.query(`
      CREATE TABLE recording_progress (
        recording_id integer NOT NULL REFERENCES recording (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        position_seconds numeric(10, 2) NOT NULL CHECK (position_seconds >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (recording_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recording_progress`);
    await q.query(`DROP TABLE recording`);
    await q.query(`ALTER TABLE class_session DROP COLUMN record`);
  }
}
