import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, schools and classrooms, the course catalogue, and teacher resources with immutable versions. */
export class Foundation1795889500000 implements MigrationInterface {
  name = 'Foundation1795889500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE school (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        kind text NOT NULL CHECK (kind IN ('urban', 'rural')),
        province text NOT NULL CHECK (length(btrim(province)) BETWEEN 1 AND 50),
        city text NOT NULL CHECK (length(btrim(city)) BETWEEN 1 AND 50),
        county text NOT NULL CHECK (length(btrim(county)) BETWEEN 1 AND 50),
        timezone text NOT NULL DEFAULT 'Asia/Shanghai',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT school_name_in_county_key UNIQUE (province, city, county, name)
      )`);

    await q.query(`
      CREATE TABLE app_user (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
        password_hash text NOT NULL,
        display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('admin', 'teacher', 'classroom', 'student')),
        school_id integer REFERENCES school (id) ON DELETE RESTRICT,
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_email_key UNIQUE (email),
        CONSTRAINT app_user_classroom_has_school CHECK (role <> 'classroom' OR school_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX app_user_school_idx ON app_user (school_id)`);

    await q.query(`
      CREATE TABLE grade (
        id smallint PRIMARY KEY CHECK (id BETWEEN 1 AND 12),
        name_zh text NOT NULL,
        name_en text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE subject (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]*$'),
        name_zh text NOT NULL UNIQUE,
        name_en text NOT NULL,
        sort_order integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      INSERT INTO grade (id, name_zh, name_en) VALUES
        (1, '一年级', 'Grade 1'), (2, '二年级', 'Grade 2'), (3, '三年级', 'Grade 3'),
        (4, '四年级', 'Grade 4'), (5, '五年级', 'Grade 5'), (6, '六年级', 'Grade 6'),
        (7, '七年级', 'Grade 7'), (8, '八年级', 'Grade 8'), (9, '九年级', 'Grade 9')`);
    await q.query(`
      INSERT INTO subject (code, name_zh, name_en, sort_order) VALUES
        ('chinese', '语文', 'Chinese', 1), ('math', '数学', 'Mathematics', 2), ('english', '英语', 'English', 3),
        ('music', '音乐', 'Music', 4), ('art', '美术', 'Art', 5), ('science', '科学', 'Science', 6),
        ('morality_law', '道德与法治', 'Morality and Law', 7), ('pe', '体育', 'Physical Education', 8),
        ('it', '信息科技', 'Information Technology', 9), ('labour', '劳动', 'Labour', 10),
        ('history', '历史', 'History', 11), ('geography', '地理', 'Geography', 12),
        ('physics', '物理', 'Physics', 13), ('chemistry', '化学', 'Chemistry', 14), ('biology', '生物', 'Biology', 15)`);

    await q.query(`
      CREATE TABLE classroom (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        school_id integer NOT NULL REFERENCES school (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        grade_id smallint NOT NULL REFERENCES grade (id),
        device_user_id integer UNIQUE REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT classroom_name_in_school_key UNIQUE (school_id, name)
      )`);

    // Content-addressed file store: identical uploads share one blob.
    await q.query(`
      CREATE TABLE blob (
        sha256 char(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL CHECK (size >= 0),
        mime_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE course (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        subject_id integer NOT NULL REFERENCES subject (id),
        grade_id smallint NOT NULL REFERENCES grade (id),
        teacher_id integer NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
        cover_sha256 char(64) REFERENCES blob (sha256),
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_published_at CHECK ((status = 'published') = (published_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX course_title_trgm_idx ON course USING gin (title gin_trgm_ops)`);
    await q.query(`CREATE INDEX course_description_trgm_idx ON course USING gin (description gin_trgm_ops)`);
    await q.query(`CREATE INDEX course_listing_idx ON course (status, subject_id, grade_id)`);
    await q.query(`CREATE INDEX course_teacher_idx ON course (teacher_id)`);

    await q.query(`
      CREATE TABLE lesson (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        course_id integer NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 1),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
        duration_minutes integer NOT NULL DEFAULT 40 CHECK (duration_minutes BETWEEN 1 AND 240),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lesson_id_course_key UNIQUE (id, course_id),
        -- deferred so that a reorder can swap positions inside one transaction
        CONSTRAINT lesson_position_key UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED
      )`);

    await q.query(`
      CREATE TABLE resource (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        course_id integer NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        lesson_id integer,
        owner_id integer NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('slides', 'document', 'spreadsheet', 'audio', 'video', 'image', 'text', 'archive')),
        visibility text NOT NULL CHECK (visibility IN ('private', 'school', 'public')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- a resource's lesson must belong to the resource's course
        CONSTRAINT resource_lesson_fk FOREIGN KEY (lesson_id, course_id)
          REFERENCES lesson (id, course_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX resource_course_idx ON resource (course_id, lesson_id)`);

    await q.query(`
      CREATE TABLE resource_version (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        resource_id integer NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        blob_sha256 char(64) NOT NULL REFERENCES blob (sha256),
        filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255 AND filename !~ '[/\\\\[:cntrl:]]'),
        uploaded_by integer NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT resource_version_key UNIQUE (resource_id, version)
      )`);
    await q.query(`CREATE INDEX resource_version_blob_idx ON resource_version (blob_sha256)`);

    // Versions are immutable: history can be added to, never rewritten.
    await q.query(`
      CREATE FUNCTION resource_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'resource versions are immutable' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER resource_version_no_update BEFORE UPDATE ON resource_version
      FOR EACH ROW EXECUTE FUNCTION resource_version_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resource_version`);
    await q.query(`DROP FUNCTION resource_version_immutable`);
    await q.query(`DROP TABLE resource`);
    await q.query(`DROP TABLE lesson`);
    await q.query(`DROP TABLE course`);
    await q.query(`DROP TABLE blob`);
    await q.query(`DROP TABLE classroom`);
    await q.query(`DROP TABLE subject`);
    await q.query(`DROP TABLE grade`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE school`);
  }
}
