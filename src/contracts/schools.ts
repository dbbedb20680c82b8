/**
 * Schools and their classrooms (a classroom is also a device account).
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

export const SCHOOL_KINDS = ['urban', 'rural'] as const;
export type SchoolKind = (typeof SCHOOL_KINDS)[number];

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
