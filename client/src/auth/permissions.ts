import type { CourseSummaryDto, RecordingDto, ResourceDto, UserDto } from '@contracts/api';

/** An admin, or the teacher in charge of it. */
function isAdminOrTeacherOf(user: UserDto | null, subject: { teacher: { id: number } }): boolean {
  return user !== null && (user.role === 'admin' || (user.role === 'teacher' && subject.teacher.id === user.id));
}

/** Mirrors the server's rule: the course's teacher and admins edit a course (the server has the last word). */
export function canManageCourse(user: UserDto | null, course: Pick<CourseSummaryDto, 'teacher'>): boolean {
  return isAdminOrTeacherOf(user, course);
}

export function canManageResource(
  user: UserDto | null,
  course: Pick<CourseSummaryDto, 'teacher'>,
  resource: Pick<ResourceDto, 'owner'>,
): boolean {
  return canManageCourse(user, course) || (user !== null && resource.owner.id === user.id);
}

/** The session's teacher and admins retry or delete a recording (the server has the last word). */
export function canManageRecording(user: UserDto | null, recording: Pick<RecordingDto, 'teacher'>): boolean {
  return isAdminOrTeacherOf(user, recording);
}
