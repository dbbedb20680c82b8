import { ConflictException, ForbiddenException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { assertCanEnd, assertCanStart, assertChangeable, assertJoinable, liveRoleIn, managesSession, seesSession } from './session.policy.js';
import type { SessionCore } from './session.repository.js';

const user = (id: number, role: AuthUser['role']) => ({ id, role });

describe('session policy', () => {
  const startsAt = new Date('2026-12-07T00:20:00Z');
  const sut = (status: SessionCore['status'] = 'scheduled') => ({
    id: 7,
    teacherId: 10,
    status,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 40 * 60_000),
    timezone: 'Asia/Shanghai',
  });
  const window = 15 * 60_000;
  const minutes = (n: number) => new Date(startsAt.getTime() + n * 60_000);

  it('lets its teacher and admins manage a session, nobody else', () => {
    expect(managesSession(user(10, 'teacher'), sut())).toBe(true);
    expect(managesSession(user(1, 'admin'), sut())).toBe(true);
    expect(managesSession(user(11, 'teacher'), sut())).toBe(false);
    expect(managesSession(user(10, 'classroom'), sut())).toBe(false);
    expect(managesSession(undefined, sut())).toBe(false);
  });

  it('shows a session to those who manage it and to the devices of classrooms booked on it', () => {
    expect(seesSession(user(20, 'classroom'), sut(), true)).toBe(true);
    expect(seesSession(user(20, 'classroom'), sut(), false)).toBe(false);
    expect(seesSession(user(11, 'teacher'), sut(), true)).toBe(false);
  });

  it('makes its teacher the teacher of the live class, admins observers and booked classrooms classrooms', () => {
    expect(liveRoleIn(user(10, 'teacher'), sut('live'), false)).toBe('teacher');
    expect(liveRoleIn(user(1, 'admin'), sut('live'), false)).toBe('observer');
    expect(liveRoleIn(user(20, 'classroom'), sut('live'), true)).toBe('classroom');
    expect(() => liveRoleIn(user(20, 'classroom'), sut('live'), false)).toThrow(ForbiddenException);
    expect(() => liveRoleIn(user(11, 'teacher'), sut('live'), false)).toThrow(ForbiddenException);
    expect(() => liveRoleIn(user(30, 'student'), sut('live'), false)).toThrow(ForbiddenException);
  });

  it('lets only its teacher start it, within the window before its start until its end', () => {
    expect(() => assertCanStart(user(1, 'admin'), sut(), minutes(0), window)).toThrow(ForbiddenException);
    expect(() => assertCanStart(user(10, 'teacher'), sut(), minutes(-16), window)).toThrow(ConflictException);
    expect(assertCanStart(user(10, 'teacher'), sut(), minutes(-15), window)).toBe(true);
    expect(assertCanStart(user(10, 'teacher'), sut(), minutes(39), window)).toBe(true);
    expect(() => assertCanStart(user(10, 'teacher'), sut(), minutes(40), window)).toThrow(/can be started from 15 minutes before/);
  });

  it('opens a live class again without a transition, and never a cancelled or ended one', () => {
    expect(assertCanStart(user(10, 'teacher'), sut('live'), minutes(90), window)).toBe(false);
    expect(() => assertCanStart(user(10, 'teacher'), sut('cancelled'), minutes(0), window)).toThrow(/cancelled/);
    expect(() => assertCanStart(user(10, 'teacher'), sut('ended'), minutes(0), window)).toThrow(/already ended/);
  });

  it('lets its teacher or an admin end a live class', () => {
    expect(() => assertCanEnd(user(1, 'admin'), sut('live'))).not.toThrow();
    expect(() => assertCanEnd(user(10, 'teacher'), sut('live'))).not.toThrow();
    expect(() => assertCanEnd(user(11, 'teacher'), sut('live'))).toThrow(ForbiddenException);
    expect(() => assertCanEnd(user(10, 'teacher'), sut('scheduled'))).toThrow(/is not live/);
  });

  it('changes a session only while it is scheduled, and joins a class only while it is live', () => {
    expect(() => assertChangeable(sut())).not.toThrow();
    expect(() => assertChangeable(sut('live'))).toThrow(/live now/);
    expect(() => assertChangeable(sut('ended'))).toThrow(/already ended/);
    expect(() => assertChangeable(sut('cancelled'))).toThrow(/cancelled/);
    expect(() => assertJoinable(sut('live'))).not.toThrow();
    expect(() => assertJoinable(sut())).toThrow(/has not started yet/);
    expect(() => assertJoinable(sut('ended'))).toThrow(/is ended/);
  });
});
