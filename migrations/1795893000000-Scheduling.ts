import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Synchronized class sessions, weekly series, classroom bookings (coverage), curriculum requirements,
 * calendar feeds and attendance. Double-booking a teacher or a classroom is made impossible by PostgreSQL
 * itself: exclusion constraints over time ranges (btree_gist), not a check in TypeScript.
 */
export class Scheduling1795893000000 implements MigrationInterface {
  name = 'Scheduling1795893000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE class_series (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        course_id integer NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        teacher_id integer NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        weekdays smallint[] NOT NULL CHECK (cardinality(weekdays) BETWEEN 1 AND 7 AND weekdays <@ ARRAY[1,2,3,4,5,6,7]::smallint[]),
        period_start time NOT NULL,
        period_end time NOT NULL,
        term_start date NOT NULL,
        term_end date NOT NULL,
        holidays date[] NOT NULL DEFAULT '{}',
        timezone text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (period_end > period_start),
        CHECK (term_end >= term_start AND term_end - term_start <= 400)
      )`);

    await q.query(`
      CREATE TABLE class_session (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        series_id integer REFERENCES class_series (id) ON DELETE SET NULL,
        course_id integer NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        lesson_id integer,
        teacher_id integer NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        during tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT class_session_time_order CHECK (ends_at > starts_at),
        CONSTRAINT class_session_max_length CHECK (ends_at - starts_at <= interval '4 hours'),
        CONSTRAINT class_session_lesson_fk FOREIGN KEY (lesson_id, course_id) REFERENCES lesson (id, course_id) ON DELETE SET NULL (lesson_id),
        CONSTRAINT class_session_teacher_overlap EXCLUDE USING gist (teacher_id WITH =, during WITH &&) WHERE (status <> 'cancelled')
      )`);
    await q.query(`CREATE INDEX class_session_during_idx ON class_session USING gist (during)`);
    await q.query(`CREATE INDEX class_session_series_idx ON class_session (series_id, starts_at)`);

    // A booking carries a copy of its session's time range so that the classroom exclusion constraint can
    // live on this table; triggers keep the copy in step with the session.
    await q.query(`
      CREATE TABLE session_classroom (
        session_id integer NOT NULL REFERENCES class_session (id) ON DELETE CASCADE,
        classroom_id integer NOT NULL REFERENCES classroom (id) ON DELETE CASCADE,
        during tstzrange NOT NULL,
        active boolean NOT NULL DEFAULT true,
        grade_override boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, classroom_id),
        CONSTRAINT session_classroom_overlap EXCLUDE USING gist (classroom_id WITH =, during WITH &&) WHERE (active)
      )`);
    await q.query(`CREATE INDEX session_classroom_classroom_idx ON session_classroom (classroom_id)`);
    await q.query(`
      CREATE FUNCTION session_classroom_copy_time() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s class_session%ROWTYPE;
      BEGIN
        SELECT * INTO s FROM class_session WHERE id = NEW.session_id;
        NEW.during := s.during;
        NEW.active := s.status <> 'cancelled';
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER session_classroom_copy_time BEFORE INSERT OR UPDATE ON session_classroom
      FOR EACH ROW EXECUTE FUNCTION session_classroom_copy_time()`);
    await q.query(`
      CREATE FUNCTION class_session_follow_bookings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE session_classroom SET during = NEW.during WHERE session_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER class_session_follow_bookings AFTER UPDATE OF starts_at, ends_at, status ON class_session
      FOR EACH ROW WHEN (OLD.during IS DISTINCT FROM NEW.during OR OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION class_session_follow_bookings()`);

    await q.query(`
      CREATE TABLE curriculum_requirement (
        grade_id smallint NOT NULL REFERENCES grade (id),
        subject_id integer NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
        periods_per_week smallint NOT NULL CHECK (periods_per_week BETWEEN 0 AND 20),
        PRIMARY KEY (grade_id, subject_id)
      )`);
    // A plausible national timetable (义务教育课程方案, weekly periods per grade).
    const plan: Record<string, number[]> = {
      chinese: [8, 8, 7, 7, 6, 6, 5, 5, 5],
      math: [4, 4, 4, 4, 5, 5, 5, 5, 5],
      english: [0, 0, 2, 2, 3, 3, 4, 4, 4],
      morality_law: [2, 2, 2, 2, 3, 3, 2, 2, 2],
      science: [1, 1, 2, 2, 2, 2, 0, 0, 0],
      music: [2, 2, 2, 2, 2, 2, 1, 1, 1],
      art: [2, 2, 2, 2, 2, 2, 1, 1, 1],
      pe: [4, 4, 3, 3, 3, 3, 3, 3, 3],
      it: [0, 0, 1, 1, 1, 1, 1, 1, 0],
      labour: [1, 1, 1, 1, 1, 1, 1, 1, 1],
      history: [0, 0, 0, 0, 0, 0, 2, 2, 2],
      geography: [0, 0, 0, 0, 0, 0, 2, 2, 0],
      physics: [0, 0, 0, 0, 0, 0, 0, 2, 3],
      chemistry: [0, 0, 0, 0, 0, 0, 0, 0, 3],
      biology: [0, 0, 0, 0, 0, 0, 2, 2, 0],
    };
    for (const [code, periods] of Object.entries(plan)) {
      for (const [i, n] of periods.entries()) {
        if (n > 0) {
          await q.query(
            `INSERT INTO curriculum_requirement (grade_id, subject_id, periods_per_week) SELECT $1, id, $2 FROM subject WHERE code = $3`,
            [i + 1, n, code],
          );
        }
      }
    }

    await q.query(`
      CREATE TABLE calendar_feed (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        classroom_id integer UNIQUE REFERENCES classroom (id) ON DELETE CASCADE,
        teacher_id integer UNIQUE REFERENCES app_user (id) ON DELETE CASCADE,
        token text NOT NULL UNIQUE CHECK (length(token) >= 32),
        rotated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((classroom_id IS NULL) <> (teacher_id IS NULL))
      )`);

    await q.query(`
      CREATE TABLE attendance (
        session_id integer NOT NULL REFERENCES class_session (id) ON DELETE CASCADE,
        classroom_id integer NOT NULL REFERENCES classroom (id) ON DELETE CASCADE,
        joined_at timestamptz,
        left_at timestamptz,
        minutes_present integer NOT NULL DEFAULT 0 CHECK (minutes_present >= 0),
        quality jsonb,
        PRIMARY KEY (session_id, classroom_id),
        CHECK (left_at IS NULL OR joined_at IS NULL OR left_at >= joined_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attendance`);
    await q.query(`DROP TABLE calendar_feed`);
    await q.query(`DROP TABLE curriculum_requirement`);
    await q.query(`DROP TABLE session_classroom`);
    await q.query(`DROP FUNCTION session_classroom_copy_time`);
    await q.query(`DROP TABLE class_session`);
    await q.query(`DROP FUNCTION class_session_follow_bookings`);
    await q.query(`DROP TABLE class_series`);
  }
}
