/**
 * The course catalogue: subjects, grades, courses and their lessons.
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

export const COURSE_STATUSES = ['draft', 'published'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export interface SubjectDto {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface GradeDto {
  id: number;
  nameZh: string;
  nameEn: string;
}

export interface CourseSummaryDto {
  id: number;
  title: string;
  description: string;
  subject: SubjectDto;
  grade: GradeDto;
  teacher: { id: number; displayName: string; schoolId: number | null };
  status: CourseStatus;
  /** URL of the cover image, or null. */
  coverUrl: string | null;
  lessonCount: number;
  publishedAt: string | null;
  /** Set when archived: out of the catalogue, no new classes, its class history kept. */
  archivedAt: string | null;
  updatedAt: string;
}

export interface LessonDto {
  id: number;
  courseId: number;
  position: number;
  title: string;
  summary: string;
  durationMinutes: number;
}

export interface CourseDetailDto extends CourseSummaryDto {
  lessons: LessonDto[];
}

export interface CourseQuery {
  q?: string;
  subjectId?: number;
  gradeId?: number;
  teacherId?: number;
  page?: number;
  pageSize?: number;
}

export interface CreateCourseRequest {
  title: string;
  description?: string;
  subjectId: number;
  gradeId: number;
  /** Admins create courses for a teacher; teachers always for themselves. */
  teacherId?: number;
  status?: CourseStatus;
}

export type UpdateCourseRequest = Partial<Omit<CreateCourseRequest, 'teacherId'>>;

export interface CreateLessonRequest {
  title: string;
  summary?: string;
  durationMinutes?: number;
  /** 1-based; appended at the end when omitted. */
  position?: number;
}

export type UpdateLessonRequest = Partial<Omit<CreateLessonRequest, 'position'>>;

export interface ReorderLessonsRequest {
  lessonIds: number[];
}

/** `PUT /api/courses/:id/cover` (multipart, field `file`). */
export interface CoverResponse {
  coverUrl: string | null;
}
