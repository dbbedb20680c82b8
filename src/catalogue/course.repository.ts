import { Injectable } from '@nestjs/common';
import type { CourseStatus } from '../contracts/api.js';
import { Transactions } from '../database/transactions.js';
import { updateSet } from '../database/updates.js';

export interface SubjectRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

export interface GradeRow {
  id: number;
  nameZh: string;
  nameEn: string;
}

/** The columns access checks need (course.policy), without joins. */
export interface CourseOwnershipRow {
  id: number;
  teacherId: number;
  status: CourseStatus;
  coverSha256: string | null;
  /** Archived: out of the catalogue and closed to new classes, its class history kept (a course with classes is never deleted). */
  archivedAt: Date | null;
}

/** A course with its subject, grade and teacher, and how many lessons it has. */
export interface CourseRow extends CourseOwnershipRow {
  title: string;
  description: string;
  subjectId: number;
  subjectCode: string;
  subjectNameZh: string;
  subjectNameEn: string;
  gradeId: number;
  gradeNameZh: string;
  gradeNameEn: string;
  teacherName: string;
  teacherSchoolId: number | null;
  lessonCount: number;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCourse {
  title: string;
  description: string;
  subjectId: number;
  gradeId: number;
  teacherId: number;
  status: CourseStatus;
  publishedAt: Date | null;
}

export type CourseChanges = Partial<Omit<NewCourse, 'teacherId'> & { archivedAt: Date | null }>;

export interface LessonRow {
  id: number;
  courseId: number;
  /** 1..n within its course. */
  position: number;
  title: string;
  summary: string;
  durationMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}

/** `summary` and `durationMinutes` left out take the columns' defaults ('' and 40 minutes). */
export interface LessonFields {
  title: string;
  summary?: string;
  durationMinutes?: number;
}

export interface CourseSearch {
  q?: string;
  subjectId?: number;
  gradeId?: number;
  teacherId?: number;
  /** Published only (the public catalogue) or any status (a teacher's own list). */
  publishedOnly: boolean;
  page: number;
  pageSize: number;
}

/** `%`, `_` and `\` in a user's search text are literal characters, not LIKE wildcards. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const SELECT_COURSES = `
  SELECT c.id, c.title, c.description, c.status, c.cover_sha256 AS "coverSha256",
         c.subject_id AS "subjectId", sub.code AS "subjectCode", sub.name_zh AS "subjectNameZh", sub.name_en AS "subjectNameEn",
         c.grade_id AS "gradeId", g.name_zh AS "gradeNameZh", g.name_en AS "gradeNameEn",
         c.teacher_id AS "teacherId", u.display_name AS "teacherName", u.school_id AS "teacherSchoolId",
         (SELECT count(*)::int FROM lesson l WHERE l.course_id = c.id) AS "lessonCount",
         c.published_at AS "publishedAt", c.archived_at AS "archivedAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt"
  FROM course c
  JOIN subject sub ON sub.id = c.subject_id
  JOIN grade g ON g.id = c.grade_id
  JOIN app_user u ON u.id = c.teacher_id`;

const LESSON_COLUMNS = `id, course_id AS "courseId", position, title, summary, duration_minutes AS "durationMinutes",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class CourseRepository {
  constructor(private readonly tx: Transactions) {}

  subjects(): Promise<SubjectRow[]> {
    return this.tx.db.query(
      'SELECT id, code, name_zh AS "nameZh", name_en AS "nameEn", sort_order AS "sortOrder" FROM subject ORDER BY sort_order, id',
    ) as Promise<SubjectRow[]>;
  }

  grades(): Promise<GradeRow[]> {
    return this.tx.db.query('SELECT id, name_zh AS "nameZh", name_en AS "nameEn" FROM grade ORDER BY id') as Promise<GradeRow[]>;
  }

  subjectExists(id: number): Promise<boolean> {
    return this.exists('SELECT 1 FROM subject WHERE id = $1', [id]);
  }

  gradeExists(id: number): Promise<boolean> {
    return this.exists('SELECT 1 FROM grade WHERE id = $1', [id]);
  }

  isTeacher(userId: number): Promise<boolean> {
    return this.exists(`SELECT 1 FROM app_user WHERE id = $1 AND role = 'teacher'`, [userId]);
  }

  /**
   * Catalogue search. Substring match (ILIKE) on title and description, served by pg_trgm GIN indexes; works
   * for Chinese, where a word such as 分数 is a substring with no spaces around it. Best title matches first.
   */
  async search(s: CourseSearch): Promise<[CourseRow[], number]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = ['true'];
    const order: string[] = [];
    if (s.publishedOnly) where.push(`c.status = 'published' AND c.archived_at IS NULL`);
    if (s.subjectId) where.push(`c.subject_id = ${p(s.subjectId)}`);
    if (s.gradeId) where.push(`c.grade_id = ${p(s.gradeId)}`);
    if (s.teacherId) where.push(`c.teacher_id = ${p(s.teacherId)}`);
    if (s.q) {
      const pattern = p(likePattern(s.q));
      where.push(`(c.title ILIKE ${pattern} OR c.description ILIKE ${pattern})`);
      order.push(`(c.title ILIKE ${pattern}) DESC`);
    }
    const filter = `WHERE ${where.join(' AND ')}`;
    const count = this.tx.db.query(`SELECT count(*)::int AS total FROM course c ${filter}`, [...params]);
    if (s.q) order.push(`similarity(c.title, ${p(s.q)}) DESC`);
    order.push('c.published_at DESC NULLS LAST', 'c.id DESC');
    const page = this.tx.db.query(
      `${SELECT_COURSES} ${filter} ORDER BY ${order.join(', ')} LIMIT ${p(s.pageSize)} OFFSET ${p((s.page - 1) * s.pageSize)}`,
      params,
    );
    const [rows, [{ total }]] = (await Promise.all([page, count])) as [CourseRow[], { total: number }[]];
    return [rows, total];
  }

  async findById(id: number): Promise<CourseRow | null> {
    const rows = (await this.tx.db.query(`${SELECT_COURSES} WHERE c.id = $1`, [id])) as CourseRow[];
    return rows[0] ?? null;
  }

  async findOwnership(id: number): Promise<CourseOwnershipRow | null> {
    const rows = (await this.tx.db.query(
      `SELECT id, teacher_id AS "teacherId", status, cover_sha256 AS "coverSha256", archived_at AS "archivedAt" FROM course WHERE id = $1`,
      [id],
    )) as CourseOwnershipRow[];
    return rows[0] ?? null;
  }

  async insert(course: NewCourse): Promise<number> {
    const [{ id }] = (await this.tx.db.query(
      `INSERT INTO course (title, description, subject_id, grade_id, teacher_id, status, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [course.title, course.description, course.subjectId, course.gradeId, course.teacherId, course.status, course.publishedAt],
    )) as { id: number }[];
    return id;
  }

  /** Sets the fields given; undefined ones stay as they are. */
  async update(id: number, changes: CourseChanges): Promise<void> {
    const { set, params } = updateSet(id, {
      title: changes.title,
      description: changes.description,
      subject_id: changes.subjectId,
      grade_id: changes.gradeId,
      status: changes.status,
      published_at: changes.publishedAt,
      archived_at: changes.archivedAt,
    });
    await this.tx.db.query(`UPDATE course SET ${set} WHERE id = $1`, params);
  }

  async delete(id: number): Promise<void> {
    await this.tx.db.query('DELETE FROM course WHERE id = $1', [id]);
  }

  /** Whether any class session (of any status) was ever scheduled for it. */
  hasClasses(id: number): Promise<boolean> {
    return this.exists('SELECT 1 FROM class_session WHERE course_id = $1', [id]);
  }

  lessonsOf(courseId: number): Promise<LessonRow[]> {
    return this.tx.db.query(`SELECT ${LESSON_COLUMNS} FROM lesson WHERE course_id = $1 ORDER BY position`, [courseId]) as Promise<LessonRow[]>;
  }

  async findLesson(id: number): Promise<LessonRow | null> {
    const rows = (await this.tx.db.query(`SELECT ${LESSON_COLUMNS} FROM lesson WHERE id = $1`, [id])) as LessonRow[];
    return rows[0] ?? null;
  }

  /** Inserts at `position` (1-based, clamped), shifting later lessons down, under a lock on the course. */
  async insertLesson(courseId: number, lesson: LessonFields, position?: number): Promise<LessonRow> {
    return this.tx.run(async () => {
      await this.lockCourse(courseId);
      const [{ n }] = (await this.tx.db.query('SELECT count(*)::int AS n FROM lesson WHERE course_id = $1', [courseId])) as { n: number }[];
      const at = Math.min(position ?? n + 1, n + 1);
      await this.tx.db.query('UPDATE lesson SET position = position + 1 WHERE course_id = $1 AND position >= $2', [courseId, at]);
      const params: unknown[] = [courseId, at, lesson.title];
      const orDefault = (v: unknown) => (v === undefined ? 'DEFAULT' : `$${params.push(v)}`);
      const [row] = (await this.tx.db.query(
        `INSERT INTO lesson (course_id, position, title, summary, duration_minutes)
         VALUES ($1, $2, $3, ${orDefault(lesson.summary)}, ${orDefault(lesson.durationMinutes)}) RETURNING ${LESSON_COLUMNS}`,
        params,
      )) as LessonRow[];
      return row;
    });
  }

  /** Sets the fields given; undefined ones stay as they are. */
  async updateLesson(id: number, changes: Partial<LessonFields>): Promise<void> {
    const { set, params } = updateSet(id, {
      title: changes.title,
      summary: changes.summary,
      duration_minutes: changes.durationMinutes,
    });
    await this.tx.db.query(`UPDATE lesson SET ${set} WHERE id = $1`, params);
  }

  /** Deletes and closes the gap so positions stay 1..n. */
  async deleteLesson(lesson: Pick<LessonRow, 'id' | 'courseId' | 'position'>): Promise<void> {
    await this.tx.run(async () => {
      await this.lockCourse(lesson.courseId);
      await this.tx.db.query('DELETE FROM lesson WHERE id = $1', [lesson.id]);
      await this.tx.db.query('UPDATE lesson SET position = position - 1 WHERE course_id = $1 AND position > $2', [lesson.courseId, lesson.position]);
    });
  }

  /** Sets positions 1..n in the given order; the unique (course, position) key is checked at commit. */
  async reorderLessons(courseId: number, lessonIds: number[]): Promise<void> {
    await this.tx.run(async () => {
      await this.lockCourse(courseId);
      await this.tx.db.query(
        `UPDATE lesson l SET position = o.ord FROM unnest($2::int[]) WITH ORDINALITY AS o(id, ord)
         WHERE l.id = o.id AND l.course_id = $1`,
        [courseId, lessonIds],
      );
    });
  }

  /** Lessons' positions change one course at a time. */
  private async lockCourse(id: number): Promise<void> {
    await this.tx.db.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [id]);
  }

  private async exists(sql: string, params: unknown[]): Promise<boolean> {
    const rows = (await this.tx.db.query(`${sql} LIMIT 1`, params)) as unknown[];
    return rows.length > 0;
  }
}
