import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  COURSE_STATUSES,
  type CourseDetailDto,
  type CourseStatus,
  type CourseSummaryDto,
  type CreateCourseRequest,
  type CreateLessonRequest,
  type GradeDto,
  type LessonDto,
  type ReorderLessonsRequest,
  type SubjectDto,
  type UpdateLessonRequest,
} from '../contracts/api.js';
import { IsPositiveId, PageQuery } from '../common/id.dto.js';
import type { CourseRow, GradeRow, LessonRow, SubjectRow } from './course.repository.js';
import { IsGradeId, IsTitle, Trim } from '../common/fields.js';


// ---- requests --------------------------------------------------------------------------------------------

export class CourseQueryParams extends PageQuery {
  @ApiPropertyOptional({ description: 'Substring of the title or description, e.g. 分数', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsPositiveId()
  subjectId?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 9 })
  @IsOptional()
  @Type(() => Number)
  @IsGradeId()
  gradeId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsPositiveId()
  teacherId?: number;
}

export class CreateCourseBody implements CreateCourseRequest {
  @ApiProperty({ example: '分数的初步认识' })
  @IsTitle()
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty()
  @IsPositiveId()
  subjectId: number;

  @ApiProperty({ minimum: 1, maximum: 9 })
  @IsGradeId()
  gradeId: number;

  @ApiPropertyOptional({ description: 'Required when an admin creates a course; a teacher always creates her own' })
  @IsOptional()
  @IsPositiveId()
  teacherId?: number;

  @ApiPropertyOptional({ enum: COURSE_STATUSES })
  @IsOptional()
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;
}

export class UpdateCourseBody extends PartialType(OmitType(CreateCourseBody, ['teacherId'] as const)) {}

export class CreateLessonBody implements CreateLessonRequest {
  @ApiProperty({ example: '认识几分之一' })
  @IsTitle()
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  summary?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 240 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  durationMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, description: '1-based; appended when omitted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  position?: number;
}

export class UpdateLessonBody extends PartialType(OmitType(CreateLessonBody, ['position'] as const)) implements UpdateLessonRequest {}

export class ReorderLessonsBody implements ReorderLessonsRequest {
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'lessonIds must not repeat a lesson' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  lessonIds: number[];
}

// ---- responses -------------------------------------------------------------------------------------------

export const toSubjectDto = (s: SubjectRow): SubjectDto => ({ id: s.id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn });
export const toGradeDto = (g: GradeRow): GradeDto => ({ id: g.id, nameZh: g.nameZh, nameEn: g.nameEn });

export function toLessonDto(l: LessonRow): LessonDto {
  return {
    id: l.id,
    courseId: l.courseId,
    position: l.position,
    title: l.title,
    summary: l.summary,
    durationMinutes: l.durationMinutes,
  };
}

/** The cover image's address; `v` changes with the image, so browsers may cache each one. */
export function toCoverUrl(courseId: number, coverSha256: string): string {
  return `/api/courses/${courseId}/cover?v=${coverSha256.slice(0, 12)}`;
}

export function toCourseSummaryDto(c: CourseRow): CourseSummaryDto {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    subject: { id: c.subjectId, code: c.subjectCode, nameZh: c.subjectNameZh, nameEn: c.subjectNameEn },
    grade: { id: c.gradeId, nameZh: c.gradeNameZh, nameEn: c.gradeNameEn },
    teacher: { id: c.teacherId, displayName: c.teacherName, schoolId: c.teacherSchoolId },
    status: c.status,
    coverUrl: c.coverSha256 ? toCoverUrl(c.id, c.coverSha256) : null,
    lessonCount: c.lessonCount,
    publishedAt: c.publishedAt?.toISOString() ?? null,
    archivedAt: c.archivedAt?.toISOString() ?? null,
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function toCourseDetailDto(c: CourseRow, lessons: LessonRow[]): CourseDetailDto {
  return { ...toCourseSummaryDto(c), lessonCount: lessons.length, lessons: lessons.map(toLessonDto) };
}
