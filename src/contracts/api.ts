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
