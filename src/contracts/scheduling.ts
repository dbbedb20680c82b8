/**
 * Scheduling: synchronized class sessions, weekly series, curriculum coverage, calendars and attendance.
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

import type { SubjectDto } from './catalogue.js';

export const SESSION_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface BookedClassroomDto {
  classroomId: number;
  classroomName: string;
  schoolId: number;
  schoolName: string;
  gradeId: number;
  /** Booked although its grade differs from the course's (an admin's explicit override). */
  gradeOverride: boolean;
}

/** All times are ISO 8601 in UTC; `timezone` is the zone to show them in (the teacher's school). */
export interface ClassSessionDto {
  id: number;
  seriesId: number | null;
  courseId: number;
  courseTitle: string;
  subject: SubjectDto;
  gradeId: number;
  lessonId: number | null;
  lessonTitle: string | null;
  teacher: { id: number; displayName: string };
  title: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  status: SessionStatus;
  classrooms: BookedClassroomDto[];
  /** Whether its live class is recorded (on by default). */
  record: boolean;
  /** The recording of this session, once its class has started with recording on. */
  recordingId: number | null;
}

export interface SessionQuery {
  /** ISO date-time or date; sessions overlapping [from, to). */
  from: string;
  to: string;
  teacherId?: number;
  classroomId?: number;
  schoolId?: number;
}

export interface CreateSessionRequest {
  courseId: number;
  lessonId?: number;
  title?: string;
  startsAt: string;
  endsAt: string;
  /** Admins schedule a course's teacher; a teacher always schedules herself. */
  teacherId?: number;
}

export interface UpdateSessionRequest {
  title?: string;
  lessonId?: number | null;
  startsAt?: string;
  endsAt?: string;
}

export interface BookClassroomRequest {
  classroomId: number;
  /** Book a classroom of another grade than the course's (refused with 409 otherwise). */
  allowGradeMismatch?: boolean;
}

/** A booking that could not follow its session to a new time, reported instead of silently dropped. */
export interface UnfitBookingDto {
  sessionId: number;
  classroomId: number;
  classroomName: string;
  /** null when the conflicting session is another teacher's, which the caller may not see. */
  conflictingSessionId: number | null;
  conflictingTitle: string | null;
  conflictStartsAt: string;
  conflictEndsAt: string;
}

export interface SessionChangeResultDto {
  sessions: ClassSessionDto[];
  unfitBookings: UnfitBookingDto[];
}

export interface CreateSeriesRequest {
  courseId: number;
  teacherId?: number;
  title?: string;
  weekdays: IsoWeekday[];
  /** Local wall-clock times in `timezone`, "HH:mm". */
  periodStart: string;
  periodEnd: string;
  /** Local dates "YYYY-MM-DD", inclusive. */
  termStart: string;
  termEnd: string;
  holidays?: string[];
  /** IANA zone; default the teacher's school's (Asia/Shanghai). */
  timezone?: string;
  /** Classrooms to book on every generated session (each booking that conflicts is reported, not made). */
  classroomIds?: number[];
}

export interface SeriesDto {
  id: number;
  courseId: number;
  teacherId: number;
  title: string;
  weekdays: IsoWeekday[];
  periodStart: string;
  periodEnd: string;
  termStart: string;
  termEnd: string;
  holidays: string[];
  timezone: string;
  sessionCount: number;
}

export interface SeriesResultDto extends SessionChangeResultDto {
  series: SeriesDto;
}

/** Edit "this and all following" sessions of a series. */
export interface UpdateSeriesRequest {
  fromSessionId: number;
  title?: string;
  periodStart?: string;
  periodEnd?: string;
}

export interface CancelSeriesRequest {
  fromSessionId: number;
}

export interface CurriculumRequirementDto {
  gradeId: number;
  subjectId: number;
  periodsPerWeek: number;
}

export interface CoverageQuery {
  /** Local dates "YYYY-MM-DD", inclusive; a week is Monday..Sunday. */
  from: string;
  to: string;
  province?: string;
  city?: string;
  county?: string;
  schoolId?: number;
  gradeId?: number;
  subjectId?: number;
}

export interface CoverageRowDto {
  classroomId: number;
  classroomName: string;
  schoolId: number;
  schoolName: string;
  gradeId: number;
  subjectId: number;
  subjectCode: string;
  subjectNameZh: string;
  subjectNameEn: string;
  /** Periods required in the range: periods per week × weeks. */
  required: number;
  /** Non-cancelled sessions of the subject this classroom is booked on in the range. */
  booked: number;
  /** max(0, required - booked). */
  gap: number;
}

export interface CoverageReportDto {
  from: string;
  to: string;
  weeks: number;
  /** Gaps first (largest first), then the rest. */
  rows: CoverageRowDto[];
}

export interface SuggestionQuery {
  classroomId: number;
  subjectId: number;
  from: string;
  to: string;
}

export interface SuggestionDto {
  session: ClassSessionDto;
  /** How many classrooms the session already serves: joining a big class lets one teacher serve many. */
  bookedClassrooms: number;
}

export interface CalendarFeedDto {
  /** Secret URL of the iCalendar feed; rotating it makes the old one stop working. */
  url: string;
}

export interface AttendanceDto {
  sessionId: number;
  classroomId: number;
  classroomName: string;
  joinedAt: string | null;
  leftAt: string | null;
  minutesPresent: number;
  quality: Record<string, number | string> | null;
}

export interface AttendanceReportRowDto {
  /** The session, classroom or school the row is about, by `groupBy`. */
  id: number;
  name: string;
  sessions: number;
  attended: number;
  minutesPresent: number;
}

/** `ApiError.code` values the client can translate precisely (the 409s of scheduling). */
export const ERROR_CODES = ['GRADE_MISMATCH', 'CLASSROOM_BUSY', 'TEACHER_BUSY'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
