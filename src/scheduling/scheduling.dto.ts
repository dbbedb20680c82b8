import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type {
  BookClassroomRequest,
  CancelSeriesRequest,
  ClassSessionDto,
  CoverageQuery,
  CreateSeriesRequest,
  CreateSessionRequest,
  CurriculumRequirementDto,
  IsoWeekday,
  SeriesDto,
  SessionQuery,
  SuggestionQuery,
  UpdateSeriesRequest,
  UpdateSessionRequest,
} from '../contracts/api.js';
import { IdParam, IsId, IsQueryId, IsPositiveId } from '../common/id.dto.js';
import { IsGradeId, IsTitle } from '../common/fields.js';
import type { SeriesRow } from './series.repository.js';
import type { SessionRow } from './session.repository.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ZONES = Intl.supportedValuesOf('timeZone');

export class SessionQueryParams implements SessionQuery {
  @ApiProperty({ example: '2026-12-07T00:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from: string;

  @ApiProperty({ example: '2026-12-14T00:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  teacherId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  classroomId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  schoolId?: number;
}

/** Local dates "YYYY-MM-DD", inclusive, in each school's own zone. */
export class LocalDateRange {
  @ApiProperty({ example: '2026-12-07' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-12-13' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
}

export class CreateSessionBody implements CreateSessionRequest {
  @ApiProperty()
  @IsId()
  courseId: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId()
  lessonId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsTitle()
  title?: string;

  @ApiProperty({ example: '2026-12-08T09:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO 8601 date-time' })
  startsAt: string;

  @ApiProperty({ example: '2026-12-08T09:40:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'endsAt must be an ISO 8601 date-time' })
  endsAt: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId()
  teacherId?: number;
}

export class UpdateSessionBody implements UpdateSessionRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsTitle()
  title?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsId()
  lessonId?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startsAt must be an ISO 8601 date-time' })
  startsAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'endsAt must be an ISO 8601 date-time' })
  endsAt?: string;
}

export class BookClassroomBody implements BookClassroomRequest {
  @ApiProperty()
  @IsId()
  classroomId: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  allowGradeMismatch?: boolean;
}

/** `/sessions/:id/classrooms/:classroomId` */
export class ClassroomParam extends IdParam {
  @Type(() => Number)
  @IsPositiveId()
  classroomId: number;
}

export class CreateSeriesBody implements CreateSeriesRequest {
  @ApiProperty()
  @IsId()
  courseId: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId()
  teacherId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsTitle()
  title?: string;

  @ApiProperty({ type: [Number], example: [1, 3], description: 'ISO weekdays, 1 = Monday' })
  @IsArray({ message: 'weekdays must list at least one weekday (1 = Monday … 7 = Sunday)' })
  @ArrayMinSize(1, { message: 'weekdays must list at least one weekday (1 = Monday … 7 = Sunday)' })
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays: IsoWeekday[];

  @ApiProperty({ example: '09:00' })
  @Matches(TIME, { message: 'periodStart must be a time HH:mm' })
  periodStart: string;

  @ApiProperty({ example: '09:40' })
  @Matches(TIME, { message: 'periodEnd must be a time HH:mm' })
  periodEnd: string;

  @ApiProperty({ example: '2026-09-01' })
  @Matches(DATE, { message: 'termStart must be a date YYYY-MM-DD' })
  termStart: string;

  @ApiProperty({ example: '2027-01-15' })
  @Matches(DATE, { message: 'termEnd must be a date YYYY-MM-DD' })
  termEnd: string;

  @ApiPropertyOptional({ type: [String], example: ['2026-10-01'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(DATE, { each: true, message: 'holidays must be dates YYYY-MM-DD' })
  holidays?: string[];

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsIn(ZONES, { message: 'timezone must be an IANA time zone such as Asia/Shanghai' })
  timezone?: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  classroomIds?: number[];
}

export class UpdateSeriesBody implements UpdateSeriesRequest {
  @ApiProperty()
  @IsId()
  fromSessionId: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsTitle()
  title?: string;

  @ApiPropertyOptional({ example: '10:00' })
  @IsOptional()
  @Matches(TIME, { message: 'periodStart must be a time HH:mm' })
  periodStart?: string;

  @ApiPropertyOptional({ example: '10:40' })
  @IsOptional()
  @Matches(TIME, { message: 'periodEnd must be a time HH:mm' })
  periodEnd?: string;
}

export class CancelSeriesBody implements CancelSeriesRequest {
  @ApiProperty()
  @IsId()
  fromSessionId: number;
}

export class RequirementBody implements CurriculumRequirementDto {
  @ApiProperty()
  @IsGradeId()
  gradeId: number;

  @ApiProperty()
  @IsId()
  subjectId: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(20)
  periodsPerWeek: number;
}

export class CoverageQueryParams extends LocalDateRange implements CoverageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  province?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  city?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  county?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  schoolId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsGradeId()
  gradeId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  subjectId?: number;
}

export class SuggestionQueryParams extends LocalDateRange implements SuggestionQuery {
  @ApiProperty()
  @IsQueryId()
  classroomId: number;

  @ApiProperty()
  @IsQueryId()
  subjectId: number;
}

export class AttendanceReportQuery extends LocalDateRange {
  @ApiProperty({ enum: ['session', 'classroom', 'school'] })
  @IsIn(['session', 'classroom', 'school'])
  groupBy: 'session' | 'classroom' | 'school';

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  schoolId?: number;
}

// ---- rows → API shapes ----------------------------------------------------------------------------------

export const toSessionDtos = (rows: SessionRow[]): ClassSessionDto[] => rows.map(toSessionDto);

export function toSessionDto(r: SessionRow): ClassSessionDto {
  return {
    id: r.id,
    seriesId: r.series_id,
    courseId: r.course_id,
    courseTitle: r.course_title,
    subject: r.subject,
    gradeId: r.grade_id,
    lessonId: r.lesson_id,
    lessonTitle: r.lesson_title,
    teacher: { id: r.teacher_id, displayName: r.teacher_name },
    title: r.title,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    timezone: r.timezone,
    status: r.status,
    classrooms: r.classrooms,
    record: r.record,
    recordingId: r.recording_id,
  };
}

export function toSeriesDto(r: SeriesRow): SeriesDto {
  return {
    id: r.id,
    courseId: r.course_id,
    teacherId: r.teacher_id,
    title: r.title,
    weekdays: r.weekdays as IsoWeekday[],
    periodStart: r.period_start.slice(0, 5),
    periodEnd: r.period_end.slice(0, 5),
    termStart: r.term_start,
    termEnd: r.term_end,
    holidays: r.holidays,
    timezone: r.timezone,
    sessionCount: r.session_count,
  };
}
