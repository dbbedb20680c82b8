import { BadRequestException, ConflictException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { QueryFailedError } from 'typeorm';
import type { Conflict } from './session.repository.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { UnfitBookingDto } from '../contracts/api.js';

export const MAX_SESSION_HOURS = 4;

/** "2026-12-08 09:00–09:40" in the given zone. */
export function localSpan(start: Date, end: Date, zone: string): string {
  const s = DateTime.fromJSDate(start, { zone });
  const e = DateTime.fromJSDate(end, { zone });
  return `${s.toFormat('yyyy-MM-dd HH:mm')}–${e.toFormat(s.hasSame(e, 'day') ? 'HH:mm' : 'yyyy-MM-dd HH:mm')}`;
}

export function assertSaneTimes(start: Date, end: Date): void {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new BadRequestException('startsAt and endsAt must be valid date-times');
  if (end <= start) throw new BadRequestException('endsAt must be after startsAt');
  if (end.getTime() - start.getTime() > MAX_SESSION_HOURS * 3600_000) {
    throw new BadRequestException(`A session may last at most ${MAX_SESSION_HOURS} hours`);
  }
}

export function teacherBusy(name: string, c: Conflict): ConflictException {
  return new ConflictException({
    code: 'TEACHER_BUSY',
    message: `${name} already teaches "${c.title}" (session ${c.id}) ${localSpan(c.startsAt, c.endsAt, c.timezone)}`,
  });
}

/** Whether `actor` may be told which session a conflict is: admins, and the teacher of that session. */
export function seesConflict(actor: AuthUser, c: Conflict): boolean {
  return actor.role === 'admin' || actor.id === c.teacherId;
}

/** The booked session is named only to those who may see it; others learn the time and that it is taken. */
export function classroomBusy(name: string, c: Conflict, actor: AuthUser): ConflictException {
  const span = localSpan(c.startsAt, c.endsAt, c.timezone);
  return new ConflictException({
    code: 'CLASSROOM_BUSY',
    message: seesConflict(actor, c)
      ? `Classroom ${name} is already booked ${span} for "${c.title}" (session ${c.id})`
      : `Classroom ${name} is already booked ${span} for another teacher's class`,
  });
}

/** A booking that could not be kept, with the conflicting session named only to those who may see it. */
export function unfitBooking(actor: AuthUser, sessionId: number, classroomId: number, classroomName: string, c: Conflict): UnfitBookingDto {
  const visible = seesConflict(actor, c);
  return {
    sessionId,
    classroomId,
    classroomName,
    conflictingSessionId: visible ? c.id : null,
    conflictingTitle: visible ? c.title : null,
    conflictStartsAt: c.startsAt.toISOString(),
    conflictEndsAt: c.endsAt.toISOString(),
  };
}

export function isExclusionViolation(e: unknown, constraint: string): boolean {
  const driver = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
  return driver?.code === '23P01' && driver.constraint === constraint;
}
