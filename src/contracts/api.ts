/**
 * Shapes of the HTTP API shared by the server and the web app (`client/` imports this file),
 * so the two cannot drift. Pure types and constants only: no decorators, no Node imports.
 */

export const ROLES = ['admin', 'teacher', 'classroom', 'student'] as const;
export type Role = (typeof ROLES)[number];

export const SCHOOL_KINDS = ['urban', 'rural'] as const;
export type SchoolKind = (typeof SCHOOL_KINDS)[number];

export const COURSE_STATUSES = ['draft', 'published'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const VISIBILITIES = ['private', 'school', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const RESOURCE_KINDS = ['slides', 'document', 'spreadsheet', 'audio', 'video', 'image', 'text', 'archive'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Every error body the API answers with. `message` is English; `code` lets the client translate. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems for 400 validation errors: "title must be shorter than or equal to 200 characters". */
  details?: string[];
  code?: string;
  requestId?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UserDto {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
  isActive: boolean;
  createdAt: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserDto;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  schoolId?: number | null;
}

export interface UpdateUserRequest {
  displayName?: string;
  password?: string;
  schoolId?: number | null;
  isActive?: boolean;
}

export interface SchoolDto {
  id: number;
  name: string;
  kind: SchoolKind;
  province: string;
  city: string;
  county: string;
  timezone: string;
  classroomCount: number;
  createdAt: string;
}

export interface CreateSchoolRequest {
  name: string;
  kind: SchoolKind;
  province: string;
  city: string;
  county: string;
  timezone?: string;
}
export type UpdateSchoolRequest = Partial<CreateSchoolRequest>;

export interface ClassroomDto {
  id: number;
  schoolId: number;
  schoolName: string;
  name: string;
  gradeId: number;
  deviceUserId: number | null;
  deviceEmail: string | null;
  createdAt: string;
}

export interface CreateClassroomRequest {
  name: string;
  gradeId: number;
  /** The room's device login (role `classroom`), created together with the room. */
  deviceEmail: string;
  devicePassword: string;
}
export interface UpdateClassroomRequest {
  name?: string;
  gradeId?: number;
}

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

export interface ResourceVersionDto {
  id: number;
  version: number;
  filename: string;
  size: number;
  mimeType: string;
  sha256: string;
  uploadedBy: number;
  createdAt: string;
  downloadUrl: string;
}

export interface ResourceDto {
  id: number;
  courseId: number;
  lessonId: number | null;
  title: string;
  kind: ResourceKind;
  visibility: Visibility;
  owner: { id: number; displayName: string; schoolId: number | null };
  latest: ResourceVersionDto;
  versionCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ResourceDetailDto extends ResourceDto {
  versions: ResourceVersionDto[];
}

export interface UpdateResourceRequest {
  title?: string;
  visibility?: Visibility;
  lessonId?: number | null;
}

export interface HealthDto {
  status: 'ok' | 'error';
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

/** `PUT /api/courses/:id/cover` (multipart, field `file`). */
export interface CoverResponse {
  coverUrl: string | null;
}

/** `GET /api/uploads/limits` (public): what the server accepts, so the web app can refuse a file before sending it. */
export interface UploadLimitsDto {
  maxUploadBytes: number;
}

/**
 * `GET /api/site` (public): how this server is reached. `httpsPort` is where pages are secure contexts for
 * other machines (camera, microphone, live classes); null when this server serves no HTTPS itself.
 */
export interface SiteInfoDto {
  httpsPort: number | null;
}

// ---- scheduling: synchronized class sessions, coverage, calendars, attendance ---------------------------

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

// ---- Recordings (issue 5) ----

/**
 * `recording`: the class is live and the recorder is writing HLS parts (the live playlist can be watched with
 * rewind); `processing`: the class ended and the VOD playlist, MP4 and poster are being made; `ready`;
 * `failed`: processing failed (`error` says why; it can be retried); `deleted`: removed by retention or an admin.
 */
export const RECORDING_STATUSES = ['recording', 'processing', 'ready', 'failed', 'deleted'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

/** A chapter mark: where the teacher started a screen share, seconds from the start of the recording. */
export interface RecordingChapterDto {
  atSeconds: number;
  kind: 'screen';
}

export interface RecordingDto {
  id: number;
  sessionId: number;
  courseId: number;
  courseTitle: string;
  lessonId: number | null;
  lessonTitle: string | null;
  title: string;
  teacher: { id: number; displayName: string };
  /** When the class was taught (the session's scheduled start, ISO). */
  sessionStartsAt: string;
  timezone: string;
  status: RecordingStatus;
  /** Parts written so far: the recorder starts a further part after a crash or a change of media. */
  parts: number;
  /** Seconds of media; null until known. */
  durationSeconds: number | null;
  /** Bytes on disk (HLS segments, MP4 and poster). */
  sizeBytes: number;
  /** 0–100 while processing. */
  progress: number;
  /** Why processing failed, or why the recorder stopped early (e.g. the disk is full). */
  error: string | null;
  hasPoster: boolean;
  hasMp4: boolean;
  chapters: RecordingChapterDto[];
  createdAt: string;
  /** URLs, relative to the site: the HLS playlist (live with rewind while recording, VOD once ready), MP4, poster. */
  playlistUrl: string;
  /**
   * The master playlist over the 720p rendition and, where the recording has them, a 360p one and one of the voice
   * alone: what players use, so that a weak link gets what it can carry.
   */
  masterPlaylistUrl: string;
  mp4Url: string | null;
  posterUrl: string | null;
  /** Where this user stopped watching, seconds; null if never watched. */
  myPositionSeconds: number | null;
}

export interface SaveRecordingProgressRequest {
  positionSeconds: number;
}

export interface RecordingStorageDto {
  recordings: number;
  bytesUsed: number;
  /** Free bytes on the disk holding the recordings. */
  bytesFree: number;
  /** Days recordings are kept; null = forever. */
  retentionDays: number | null;
  directory: string;
}

/** Per-session switch: whether its live class is recorded (default true). */
export interface UpdateSessionRecordingRequest {
  record: boolean;
}

/** GET /api/recordings: recordings the user may see, newest class first (admins: all, with deleted ones). */
export interface RecordingQuery {
  courseId?: number;
  sessionId?: number;
  status?: RecordingStatus;
  page?: number;
  pageSize?: number;
}
