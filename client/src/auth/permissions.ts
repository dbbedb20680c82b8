import type { CourseSummaryDto, ResourceDto, UserDto } from '@contracts/api';

/** Mirrors the server's rule: the course's teacher and admins edit a course (the server has the last word). */
export function canManageCourse(user: UserDto | null, course: Pick<CourseSummaryDto, 'teacher'>): boolean {
  return user !== null && (user.role === 'admin' || (user.role === 'teacher' && course.teacher.id === user.id));
}

export function canManageResource(
  user: UserDto | null,
  course: Pick<CourseSummaryDto, 'teacher'>,
  resource: Pick<ResourceDto, 'owner'>,
): boolean {
  return canManageCourse(user, course) || (user !== null && resource.owner.id === user.id);
}
