import { Injectable } from '@nestjs/common';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { UserEntity } from '../schools/user.entity.js';
import type { CourseRow } from './catalogue.dto.js';
import { CourseEntity } from './course.entity.js';
import { LessonEntity } from './lesson.entity.js';
import { GradeEntity, SubjectEntity } from './reference.entity.js';

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

@Injectable()
export class CourseRepository {
  private readonly courses: Repository<CourseEntity>;
  private readonly lessons: Repository<LessonEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.courses = dataSource.getRepository(CourseEntity);
    this.lessons = dataSource.getRepository(LessonEntity);
  }

  subjects(): Promise<SubjectEntity[]> {
    return this.dataSource.getRepository(SubjectEntity).find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  grades(): Promise<GradeEntity[]> {
    return this.dataSource.getRepository(GradeEntity).find({ order: { id: 'ASC' } });
  }

  subjectExists(id: number): Promise<boolean> {
    return this.dataSource.getRepository(SubjectEntity).existsBy({ id });
  }

  gradeExists(id: number): Promise<boolean> {
    return this.dataSource.getRepository(GradeEntity).existsBy({ id });
  }

  findTeacher(id: number): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id, role: 'teacher' });
  }

  /**
   * Catalogue search. Substring match (ILIKE) on title and description, served by pg_trgm GIN indexes; works
   * for Chinese, where a word such as 分数 is a substring with no spaces around it. Best title matches first.
   */
  async search(s: CourseSearch): Promise<[CourseRow[], number]> {
    const qb = this.base();
    if (s.publishedOnly) qb.andWhere(`c.status = 'published' AND c.archived_at IS NULL`);
    if (s.subjectId) qb.andWhere('c.subject_id = :subjectId', { subjectId: s.subjectId });
    if (s.gradeId) qb.andWhere('c.grade_id = :gradeId', { gradeId: s.gradeId });
    if (s.teacherId) qb.andWhere('c.teacher_id = :teacherId', { teacherId: s.teacherId });
    if (s.q) {
      qb.andWhere(`(c.title ILIKE :pattern OR c.description ILIKE :pattern)`, { pattern: likePattern(s.q), q: s.q });
      qb.orderBy(`(c.title ILIKE :pattern)`, 'DESC').addOrderBy('similarity(c.title, :q)', 'DESC');
    }
    qb.addOrderBy('c.published_at', 'DESC', 'NULLS LAST').addOrderBy('c.id', 'DESC');
    qb.offset((s.page - 1) * s.pageSize).limit(s.pageSize);
    const [{ entities, raw }, total] = await Promise.all([qb.getRawAndEntities(), qb.getCount()]);
    return [withLessonCounts(entities, raw), total];
  }

  async findById(id: number): Promise<CourseRow | null> {
    const { entities, raw } = await this.base().where('c.id = :id', { id }).getRawAndEntities();
    return withLessonCounts(entities, raw)[0] ?? null;
  }

  /** Just the columns access checks need, without joins. */
  findOwnership(id: number): Promise<Pick<CourseEntity, 'id' | 'teacherId' | 'status' | 'coverSha256' | 'archivedAt'> | null> {
    return this.courses.findOne({ where: { id }, select: { id: true, teacherId: true, status: true, coverSha256: true, archivedAt: true } });
  }

  async insert(course: Partial<CourseEntity>): Promise<number> {
    return (await this.courses.save(this.courses.create(course))).id;
  }

  async update(id: number, changes: Partial<CourseEntity>): Promise<void> {
    await this.courses.update({ id }, changes);
  }

  async delete(id: number): Promise<void> {
    await this.courses.delete({ id });
  }

  /** Whether any class session (of any status) was ever scheduled for it. */
  async hasClasses(id: number): Promise<boolean> {
    const rows = (await this.courses.query('SELECT 1 FROM class_session WHERE course_id = $1 LIMIT 1', [id])) as unknown[];
    return rows.length > 0;
  }

  lessonsOf(courseId: number): Promise<LessonEntity[]> {
    return this.lessons.find({ where: { courseId }, order: { position: 'ASC' } });
  }

  findLesson(id: number): Promise<LessonEntity | null> {
    return this.lessons.findOneBy({ id });
  }

  /** Inserts at `position` (1-based, clamped), shifting later lessons down, under a lock on the course. */
  async insertLesson(courseId: number, lesson: Partial<LessonEntity>, position?: number): Promise<LessonEntity> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      const [{ n }] = (await m.query('SELECT count(*)::int AS n FROM lesson WHERE course_id = $1', [courseId])) as { n: number }[];
      const at = Math.min(position ?? n + 1, n + 1);
      await m.query('UPDATE lesson SET position = position + 1 WHERE course_id = $1 AND position >= $2', [courseId, at]);
      const repo = m.getRepository(LessonEntity);
      return repo.save(repo.create({ ...lesson, courseId, position: at }));
    });
  }

  async updateLesson(id: number, changes: Partial<LessonEntity>): Promise<void> {
    await this.lessons.update({ id }, changes);
  }

  /** Deletes and closes the gap so positions stay 1..n. */
  async deleteLesson(lesson: LessonEntity): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [lesson.courseId]);
      await m.query('DELETE FROM lesson WHERE id = $1', [lesson.id]);
      await m.query('UPDATE lesson SET position = position - 1 WHERE course_id = $1 AND position > $2', [lesson.courseId, lesson.position]);
    });
  }

  /** Sets positions 1..n in the given order; the unique (course, position) key is checked at commit. */
  async reorderLessons(courseId: number, lessonIds: number[]): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      await m.query(
        `UPDATE lesson l SET position = o.ord FROM unnest($2::int[]) WITH ORDINALITY AS o(id, ord)
         WHERE l.id = o.id AND l.course_id = $1`,
        [courseId, lessonIds],
      );
    });
  }

  private base(): SelectQueryBuilder<CourseEntity> {
    return this.courses
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.subject', 'subject')
      .innerJoinAndSelect('c.grade', 'grade')
      .innerJoinAndSelect('c.teacher', 'teacher')
      .addSelect((sub) => sub.select('count(*)::int').from(LessonEntity, 'l').where('l.course_id = c.id'), 'lesson_count');
  }
}

function withLessonCounts(entities: CourseEntity[], raw: { c_id: number; lesson_count: number }[]): CourseRow[] {
  const counts = new Map(raw.map((r) => [r.c_id, r.lesson_count]));
  return entities.map((e) => Object.assign(e, { lessonCount: counts.get(e.id) ?? 0 }));
}
