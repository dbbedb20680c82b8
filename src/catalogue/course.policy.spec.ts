import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { assertCanEdit, canEditCourse, canViewCourse } from './course.policy.js';

const user = (id: number, role: AuthUser['role']): AuthUser => ({ id, role, email: `${id}@x.cn`, displayName: `${id}`, schoolId: null, classroomId: null });

describe('course policy', () => {
  const draft = { id: 1, teacherId: 10, status: 'draft' as const };
  const published = { ...draft, status: 'published' as const };

  it('lets the owner and admins edit, nobody else', () => {
    expect(canEditCourse(user(10, 'teacher'), draft)).toBe(true);
    expect(canEditCourse(user(1, 'admin'), draft)).toBe(true);
    expect(canEditCourse(user(11, 'teacher'), draft)).toBe(false);
    expect(canEditCourse(user(10, 'student'), draft)).toBe(false);
    expect(canEditCourse(undefined, draft)).toBe(false);
  });

  it('shows published courses to everyone and drafts only to editors', () => {
    expect(canViewCourse(undefined, published)).toBe(true);
    expect(canViewCourse(undefined, draft)).toBe(false);
    expect(canViewCourse(user(11, 'teacher'), draft)).toBe(false);
  });

  it('answers 404 for an invisible draft and 403 for a visible course one may not edit', () => {
    expect(() => assertCanEdit(user(11, 'teacher'), draft, 1)).toThrow(NotFoundException);
    expect(() => assertCanEdit(user(11, 'teacher'), published, 1)).toThrow(ForbiddenException);
    expect(() => assertCanEdit(user(10, 'teacher'), published, 1)).not.toThrow();
  });
});
