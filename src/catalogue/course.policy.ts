import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import type { CourseStatus } from '../contracts/api.js';

interface CourseOwnership {
  id: number;
  teacherId: number;
  status: CourseStatus;
  archivedAt?: Date | null;
}

/** Admins edit any course; a teacher only her own. */
export function canEditCourse(actor: AuthUser | undefined, course: CourseOwnership): boolean {
  return actor?.role === 'admin' || (actor?.role === 'teacher' && actor.id === course.teacherId);
}

/** Published courses are for everyone; a draft or an archived course only for those who may edit it. */
export function canViewCourse(actor: AuthUser | undefined, course: CourseOwnership): boolean {
  return (course.status === 'published' && !course.archivedAt) || canEditCourse(actor, course);
}

/** A draft someone may not see answers 404, as if it did not exist. */
export function assertCanView(actor: AuthUser | undefined, course: CourseOwnership | null, id: number): asserts course is CourseOwnership {
  if (!course || !canViewCourse(actor, course)) throw new NotFoundException(`Course ${id} does not exist`);
}

export function assertCanEdit(actor: AuthUser | undefined, course: CourseOwnership | null, id: number): asserts course is CourseOwnership {
  assertCanView(actor, course, id);
  if (!canEditCourse(actor, course)) throw new ForbiddenException(`Only the course's teacher or an admin may change course ${id}`);
}
