import { BadRequestException, ConflictException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { QueryFailedError } from 'typeorm';
import type { Conflict } from './session.repository.js';

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

export function classroomBusy(name: string, c: Conflict): ConflictException {
  return new ConflictException({
    code: 'CLASSROOM_BUSY',
    message: `Classroom ${name} is already booked ${localSpan(c.startsAt, c.endsAt, c.timezone)} for "${c.title}" (session ${c.id})`,
  });
}

export function isExclusionViolation(e: unknown, constraint: string): boolean {
  const driver = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
  return driver?.code === '23P01' && driver.constraint === constraint;
}
