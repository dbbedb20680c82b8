import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions.js';
import { returnedRows } from '../database/returning.js';
import type { BookedClassroomDto, SessionStatus, SubjectDto } from '../contracts/api.js';

/** One session as SQL returns it, with its course, subject, teacher, zone and bookings. */
/** A session as the schedule stores it, with what it shows of its course, teacher and bookings. */
export interface SessionRow {
  id: number;
  series_id: number | null;
  course_id: number;
  course_title: string;
  grade_id: number;
  lesson_id: number | null;
  lesson_title: string | null;
  teacher_id: number;
  teacher_name: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  status: SessionStatus;
  timezone: string;
  subject: SubjectDto;
  classrooms: BookedClassroomDto[];
  record: boolean;
  recording_id: number | null;
}

export interface SessionFilter {
  ids?: number[];
  from?: Date;
  to?: Date;
  teacherId?: number;
  /** Sessions this classroom is booked on. */
  classroomId?: number;
  /** Sessions with a booked classroom of this school, or taught by one of its teachers. */
  schoolId?: number;
  seriesId?: number;
  seriesFrom?: Date;
}

export interface SessionCore {
  id: number;
  seriesId: number | null;
  courseId: number;
  teacherId: number;
  gradeId: number;
  startsAt: Date;
  endsAt: Date;
  status: SessionStatus;
  timezone: string;
  title: string;
  /** Whether its live class is recorded. */
  record: boolean;
}

export interface Conflict {
  id: number;
  title: string;
  teacherId: number;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
}

const SELECT_SESSIONS = `
  SELECT s.id, s.series_id, s.course_id, c.title AS course_title, c.grade_id, s.lesson_id, l.title AS lesson_title,
         s.teacher_id, u.display_name AS teacher_name, s.title, s.starts_at, s.ends_at, s.status,
         user_timezone(s.teacher_id) AS timezone, s.record,
         (SELECT rec.id FROM recording rec WHERE rec.session_id = s.id) AS recording_id,
         json_build_object('id', sub.id, 'code', sub.code, 'nameZh', sub.name_zh, 'nameEn', sub.name_en) AS subject,
         coalesce((
           SELECT json_agg(json_build_object('classroomId', r.id, 'classroomName', r.name, 'schoolId', rs.id,
                    'schoolName', rs.name, 'gradeId', r.grade_id, 'gradeOverride', b.grade_override) ORDER BY rs.name, r.name)
           FROM session_classroom b JOIN classroom r ON r.id = b.classroom_id JOIN school rs ON rs.id = r.school_id
           WHERE b.session_id = s.id), '[]') AS classrooms
  FROM class_session s
  JOIN course c ON c.id = s.course_id
  JOIN subject sub ON sub.id = c.subject_id
  JOIN app_user u ON u.id = s.teacher_id
  LEFT JOIN lesson l ON l.id = s.lesson_id`;

@Injectable()
export class SessionRepository {
  constructor(private readonly tx: Transactions) {}

  async find(filter: SessionFilter): Promise<SessionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (filter.ids) where.push(`s.id = ANY(${p(filter.ids)}::int[])`);
    if (filter.from && filter.to) where.push(`s.during && tstzrange(${p(filter.from)}, ${p(filter.to)}, '[)')`);
    if (filter.teacherId) where.push(`s.teacher_id = ${p(filter.teacherId)}`);
    if (filter.classroomId) where.push(`EXISTS (SELECT 1 FROM session_classroom b WHERE b.session_id = s.id AND b.classroom_id = ${p(filter.classroomId)})`);
    if (filter.schoolId) {
      const school = p(filter.schoolId);
      where.push(`(u.school_id = ${school} OR EXISTS (SELECT 1 FROM session_classroom b JOIN classroom r ON r.id = b.classroom_id
                   WHERE b.session_id = s.id AND r.school_id = ${school}))`);
    }
    if (filter.seriesId) where.push(`s.series_id = ${p(filter.seriesId)}`);
    if (filter.seriesFrom) where.push(`s.starts_at >= ${p(filter.seriesFrom)}`);
    const sql = `${SELECT_SESSIONS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.starts_at, s.id`;
    const rows = (await this.tx.db.query(sql, params)) as SessionRow[];
    return rows;
  }

  async findCore(id: number, lock = false): Promise<SessionCore | null> {
    const rows = (await this.tx.db.query(
      `SELECT s.id, s.series_id AS "seriesId", s.course_id AS "courseId", s.teacher_id AS "teacherId", c.grade_id AS "gradeId",
              s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.status, s.title, s.record,
              user_timezone(s.teacher_id) AS timezone
       FROM class_session s JOIN course c ON c.id = s.course_id WHERE s.id = $1 ${lock ? 'FOR UPDATE OF s' : ''}`,
      [id],
    )) as SessionCore[];
    return rows[0] ?? null;
  }

  async insert(
    s: { seriesId: number | null; courseId: number; lessonId: number | null; teacherId: number; title: string; startsAt: Date; endsAt: Date },
  ): Promise<number> {
    const [{ id }] = (await this.tx.db.query(
      `INSERT INTO class_session (series_id, course_id, lesson_id, teacher_id, title, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [s.seriesId, s.courseId, s.lessonId, s.teacherId, s.title, s.startsAt, s.endsAt],
    )) as { id: number }[];
    return id;
  }

  async update(id: number, changes: { title?: string; lessonId?: number | null; startsAt?: Date; endsAt?: Date }): Promise<void> {
    await this.tx.db.query(
      `UPDATE class_session SET title = coalesce($2, title), starts_at = coalesce($3, starts_at), ends_at = coalesce($4, ends_at),
              lesson_id = CASE WHEN $5 THEN $6::int ELSE lesson_id END, updated_at = now()
       WHERE id = $1`,
      [id, changes.title ?? null, changes.startsAt ?? null, changes.endsAt ?? null, changes.lessonId !== undefined, changes.lessonId ?? null],
    );
  }

  /**
   * Moves the sessions among `ids` whose status is one of `from` to `to`, and returns those it moved: a guarded
   * write, so of two transitions racing on one session (a cancel and a start) exactly one finds it as it expected.
   * Only SessionLifecycle calls it.
   */
  async transition(ids: number[], from: SessionStatus[], to: SessionStatus): Promise<number[]> {
    const result: unknown = await this.tx.db.query(
      `UPDATE class_session SET status = $3, updated_at = now() WHERE id = ANY($1::int[]) AND status = ANY($2::text[]) RETURNING id`,
      [ids, from, to],
    );
    return returnedRows<{ id: number }>(result).map((r) => r.id);
  }

  /** Whether its live class is recorded, while it is still scheduled; false when it no longer is. */
  async setRecord(id: number, record: boolean): Promise<boolean> {
    const result: unknown = await this.tx.db.query(`UPDATE class_session SET record = $2, updated_at = now() WHERE id = $1 AND status = 'scheduled' RETURNING id`, [
      id,
      record,
    ]);
    return returnedRows(result).length === 1;
  }

  /** The teacher's other non-cancelled session overlapping [start, end), if any. */
  async teacherConflict(teacherId: number, start: Date, end: Date, exceptId?: number): Promise<Conflict | null> {
    return this.firstConflict(
      `SELECT s.id, s.title, s.teacher_id AS "teacherId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", user_timezone(s.teacher_id) AS timezone
       FROM class_session s
       WHERE s.teacher_id = $1 AND s.status <> 'cancelled' AND s.during && tstzrange($2, $3, '[)') AND s.id IS DISTINCT FROM $4
       ORDER BY s.starts_at LIMIT 1`,
      [teacherId, start, end, exceptId ?? null],
    );
  }

  /** The classroom's active booking overlapping [start, end) on another session, if any. */
  async classroomConflict(classroomId: number, start: Date, end: Date, exceptSessionId?: number): Promise<Conflict | null> {
    return this.firstConflict(
      `SELECT s.id, s.title, s.teacher_id AS "teacherId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", rs.timezone
       FROM session_classroom b JOIN class_session s ON s.id = b.session_id
       JOIN classroom r ON r.id = b.classroom_id JOIN school rs ON rs.id = r.school_id
       WHERE b.classroom_id = $1 AND b.active AND b.during && tstzrange($2, $3, '[)') AND b.session_id IS DISTINCT FROM $4
       ORDER BY s.starts_at LIMIT 1`,
      [classroomId, start, end, exceptSessionId ?? null],
    );
  }

  async book(sessionId: number, classroomId: number, gradeOverride: boolean): Promise<void> {
    // `during` and `active` are filled by a trigger from the session.
    await this.tx.db.query(
      `INSERT INTO session_classroom (session_id, classroom_id, during, grade_override) VALUES ($1, $2, 'empty', $3)`,
      [sessionId, classroomId, gradeOverride],
    );
  }

  async unbook(sessionId: number, classroomId: number): Promise<boolean> {
    const [, affected] = (await this.tx.db.query(
      'DELETE FROM session_classroom WHERE session_id = $1 AND classroom_id = $2',
      [sessionId, classroomId],
    )) as [unknown, number];
    return affected > 0;
  }

  async bookingsOf(sessionId: number): Promise<{ classroomId: number; classroomName: string }[]> {
    return (await this.tx.db.query(
      `SELECT r.id AS "classroomId", r.name AS "classroomName" FROM session_classroom b JOIN classroom r ON r.id = b.classroom_id
       WHERE b.session_id = $1 ORDER BY r.id`,
      [sessionId],
    )) as { classroomId: number; classroomName: string }[];
  }

  async isBooked(sessionId: number, classroomId: number): Promise<boolean> {
    const rows = (await this.tx.db.query('SELECT 1 FROM session_classroom WHERE session_id = $1 AND classroom_id = $2', [
      sessionId,
      classroomId,
    ])) as unknown[];
    return rows.length > 0;
  }

  async classroom(id: number): Promise<{ id: number; name: string; gradeId: number; schoolId: number; timezone: string; deviceUserId: number | null } | null> {
    const rows = (await this.tx.db.query(
      `SELECT r.id, r.name, r.grade_id AS "gradeId", r.school_id AS "schoolId", s.timezone, r.device_user_id AS "deviceUserId"
       FROM classroom r JOIN school s ON s.id = r.school_id WHERE r.id = $1`,
      [id],
    )) as { id: number; name: string; gradeId: number; schoolId: number; timezone: string; deviceUserId: number | null }[];
    return rows[0] ?? null;
  }

  async course(id: number): Promise<{ id: number; title: string; teacherId: number; gradeId: number; status: string; archived: boolean } | null> {
    const rows = (await this.tx.db.query(
      `SELECT id, title, teacher_id AS "teacherId", grade_id AS "gradeId", status, archived_at IS NOT NULL AS archived FROM course WHERE id = $1`,
      [id],
    )) as { id: number; title: string; teacherId: number; gradeId: number; status: string; archived: boolean }[];
    return rows[0] ?? null;
  }

  async lessonsOf(courseId: number): Promise<{ id: number; title: string }[]> {
    return (await this.tx.db.query('SELECT id, title FROM lesson WHERE course_id = $1 ORDER BY position', [courseId])) as {
      id: number;
      title: string;
    }[];
  }

  async teacherTimezone(teacherId: number): Promise<string> {
    const rows = (await this.tx.db.query(`SELECT user_timezone($1) AS tz`, [teacherId])) as { tz: string }[];
    return rows[0].tz;
  }

  private async firstConflict(sql: string, params: unknown[]): Promise<Conflict | null> {
    const rows = (await this.tx.db.query(sql, params)) as Conflict[];
    return rows[0] ?? null;
  }
}
