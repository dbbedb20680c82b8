import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A course with class history is archived, never deleted (#11.6): deleting it cascaded through its ended
 * sessions, bookings, attendance, chat and recording rows, and left the recordings' folders orphaned. Now the
 * database refuses to delete a course while sessions refer to it, and an archived course leaves the catalogue.
 */
export class CourseArchive1795912000000 implements MigrationInterface {
  name = 'CourseArchive1795912000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE course ADD COLUMN archived_at timestamptz`);
    for (const table of ['class_session', 'class_series']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_course_id_fkey`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_course_id_fkey FOREIGN KEY (course_id) REFERENCES course (id) ON DELETE RESTRICT`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['class_session', 'class_series']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_course_id_fkey`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_course_id_fkey FOREIGN KEY (course_id) REFERENCES course (id) ON DELETE CASCADE`);
    }
    await q.query(`ALTER TABLE course DROP COLUMN archived_at`);
  }
}
