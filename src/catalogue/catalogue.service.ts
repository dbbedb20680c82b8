import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { CourseDetailDto, CourseSummaryDto, GradeDto, LessonDto, Page, SubjectDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { PageQuery } from '../common/id.dto.js';
import { CourseRepository, type CourseChanges, type CourseOwnershipRow, type LessonRow } from './course.repository.js';
import { assertCanEdit, assertCanView } from './course.policy.js';
import {
  CourseQueryParams,
  CreateCourseBody,
  CreateLessonBody,
  ReorderLessonsBody,
  toCourseDetailDto,
  toCourseSummaryDto,
  toGradeDto,
  toLessonDto,
  toSubjectDto,
  UpdateCourseBody,
  UpdateLessonBody,
} from './catalogue.dto.js';

@Injectable()
export class CatalogueService {
  constructor(private readonly courses: CourseRepository) {}

  // ---- for the other modules (resources): a course's owner and a lesson, no actor ----

  ownership(courseId: number): Promise<CourseOwnershipRow | null> {
    return this.courses.findOwnership(courseId);
  }

  lesson(lessonId: number): Promise<LessonRow | null> {
    return this.courses.findLesson(lessonId);
  }

  async subjects(): Promise<SubjectDto[]> {
    return (await this.courses.subjects()).map(toSubjectDto);
  }

  async grades(): Promise<GradeDto[]> {
    return (await this.courses.grades()).map(toGradeDto);
  }

  /** The public catalogue: published courses only, whoever asks. */
  async search(query: CourseQueryParams): Promise<Page<CourseSummaryDto>> {
    const [rows, total] = await this.courses.search({ ...query, publishedOnly: true });
    return { items: rows.map(toCourseSummaryDto), total, page: query.page, pageSize: query.pageSize };
  }

  /** A teacher's own courses, drafts included; for an admin every course. */
  async mine(actor: AuthUser, query: PageQuery): Promise<Page<CourseSummaryDto>> {
    const teacherId = actor.role === 'admin' ? undefined : actor.id;
    const [rows, total] = await this.courses.search({ ...query, teacherId, publishedOnly: false });
    return { items: rows.map(toCourseSummaryDto), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: AuthUser | undefined, id: number): Promise<CourseDetailDto> {
    const course = await this.courses.findById(id);
    assertCanView(actor, course, id);
    return toCourseDetailDto(course!, await this.courses.lessonsOf(id));
  }

  async create(actor: AuthUser, body: CreateCourseBody): Promise<CourseDetailDto> {
    let teacherId = actor.id;
    if (actor.role === 'admin') {
      if (!body.teacherId) throw new BadRequestException('teacherId is required when an admin creates a course');
      if (!(await this.courses.isTeacher(body.teacherId))) throw new BadRequestException(`User ${body.teacherId} is not a teacher`);
      teacherId = body.teacherId;
    } else if (body.teacherId && body.teacherId !== actor.id) {
      throw new ForbiddenException('A teacher can only create courses of her own');
    }
    await this.assertReferences(body.subjectId, body.gradeId);
    const status = body.status ?? 'draft';
    const id = await this.courses.insert({
      title: body.title,
      description: body.description ?? '',
      subjectId: body.subjectId,
      gradeId: body.gradeId,
      teacherId,
      status,
      publishedAt: status === 'published' ? new Date() : null,
    });
    return this.get(actor, id);
  }

  async update(actor: AuthUser, id: number, body: UpdateCourseBody): Promise<CourseDetailDto> {
    const course = await this.courses.findOwnership(id);
    assertCanEdit(actor, course, id);
    await this.assertReferences(body.subjectId, body.gradeId);
    const changes: CourseChanges = { ...body };
    if (body.status && body.status !== course.status) changes.publishedAt = body.status === 'published' ? new Date() : null;
    await this.courses.update(id, changes);
    return this.get(actor, id);
  }

  /**
   * A course that has had classes is not deleted (its sessions, attendance, chat and recordings are the school's
   * record): 409 with code COURSE_HAS_CLASSES, archive it instead. The database refuses it as well.
   */
  async remove(actor: AuthUser, id: number): Promise<void> {
    assertCanEdit(actor, await this.courses.findOwnership(id), id);
    if (await this.courses.hasClasses(id)) {
      throw new ConflictException({
        message: 'This course has had classes, which are kept with it: archive it instead of deleting it',
        code: 'COURSE_HAS_CLASSES',
      });
    }
    await this.courses.delete(id);
  }

  /** Out of the catalogue and closed to new classes; its history stays. `archived: false` brings it back. */
  async setArchived(actor: AuthUser, id: number, archived: boolean): Promise<CourseDetailDto> {
    assertCanEdit(actor, await this.courses.findOwnership(id), id);
    await this.courses.update(id, { archivedAt: archived ? new Date() : null });
    return this.get(actor, id);
  }

  async addLesson(actor: AuthUser, courseId: number, body: CreateLessonBody): Promise<LessonDto> {
    assertCanEdit(actor, await this.courses.findOwnership(courseId), courseId);
    const { position, ...fields } = body;
    const lesson = await this.courses.insertLesson(courseId, fields, position);
    return toLessonDto(lesson);
  }

  async updateLesson(actor: AuthUser, id: number, body: UpdateLessonBody): Promise<LessonDto> {
    const lesson = await this.requireEditableLesson(actor, id);
    await this.courses.updateLesson(lesson.id, body);
    return toLessonDto((await this.courses.findLesson(id))!);
  }

  async removeLesson(actor: AuthUser, id: number): Promise<void> {
    await this.courses.deleteLesson(await this.requireEditableLesson(actor, id));
  }

  async reorderLessons(actor: AuthUser, courseId: number, body: ReorderLessonsBody): Promise<LessonDto[]> {
    assertCanEdit(actor, await this.courses.findOwnership(courseId), courseId);
    const current = await this.courses.lessonsOf(courseId);
    const given = new Set(body.lessonIds);
    if (current.length !== given.size || current.some((l) => !given.has(l.id))) {
      throw new BadRequestException(`lessonIds must list each of the course's ${current.length} lessons exactly once`);
    }
    await this.courses.reorderLessons(courseId, body.lessonIds);
    return (await this.courses.lessonsOf(courseId)).map(toLessonDto);
  }

  private async requireEditableLesson(actor: AuthUser, id: number) {
    const lesson = await this.courses.findLesson(id);
    if (!lesson) throw new NotFoundException(`Lesson ${id} does not exist`);
    const course = await this.courses.findOwnership(lesson.courseId);
    try {
      assertCanEdit(actor, course, lesson.courseId);
    } catch (e) {
      if (e instanceof NotFoundException) throw new NotFoundException(`Lesson ${id} does not exist`);
      throw e;
    }
    return lesson;
  }

  private async assertReferences(subjectId?: number, gradeId?: number): Promise<void> {
    if (subjectId !== undefined && !(await this.courses.subjectExists(subjectId))) {
      throw new BadRequestException(`Subject ${subjectId} does not exist`);
    }
    if (gradeId !== undefined && !(await this.courses.gradeExists(gradeId))) {
      throw new BadRequestException(`Grade ${gradeId} does not exist`);
    }
  }
}
