import { ConflictException, ForbiddenException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import type { LiveRole } from '../contracts/live.js';
import { localSpan } from './schedule-errors.js';
import type { SessionCore } from './session.repository.js';

/**
 * Who may do what with a class session, decided from the session alone (no I/O): the rules the timetable, the live
 * class and the recordings share. Modelled on catalogue/course.policy.ts.
 */
type SessionFacts = Pick<SessionCore, 'id' | 'teacherId' | 'status'>;
type Actor = Pick<AuthUser, 'id' | 'role'>;

/** The session's own teacher. */
export function teachesSession(actor: Actor | undefined, s: Pick<SessionCore, 'teacherId'>): boolean {
  return actor?.role === 'teacher' && actor.id === s.teacherId;
}

/** The session's teacher or an admin: who edits it, cancels it, ends its class and decides its recording. */
export function managesSession(actor: Actor | undefined, s: Pick<SessionCore, 'teacherId'>): boolean {
  return actor?.role === 'admin' || teachesSession(actor, s);
}

/**
 * A session may be seen by those who manage it and by the classrooms booked on it (`bookedClassroom`: the actor is
 * the device of a classroom booked on it).
 */
export function seesSession(actor: Actor | undefined, s: Pick<SessionCore, 'teacherId'>, bookedClassroom: boolean): boolean {
  return managesSession(actor, s) || (actor?.role === 'classroom' && bookedClassroom);
}

/**
 * What the actor is in the session's live class: its teacher teaches, admins observe, a booked classroom's device
 * attends; anyone else is refused.
 */
export function liveRoleIn(actor: Actor, s: SessionFacts, bookedClassroom: boolean): LiveRole {
  if (teachesSession(actor, s)) return 'teacher';
  if (actor.role === 'admin') return 'observer';
  if (actor.role === 'classroom') {
    if (bookedClassroom) return 'classroom';
    throw new ForbiddenException(`This classroom is not booked on session ${s.id}`);
  }
  throw new ForbiddenException(`Only the session's teacher, its booked classrooms and admins may join session ${s.id}`);
}

/** Its time, place or bookings may change only while it is scheduled. */
export function assertChangeable(s: SessionFacts): void {
  if (s.status === 'ended') throw new ConflictException(`Session ${s.id} has already ended and can't be changed`);
  if (s.status === 'live') throw new ConflictException(`Session ${s.id} is live now and can't be changed`);
  if (s.status === 'cancelled') throw new ConflictException(`Session ${s.id} is cancelled`);
}

/**
 * The session's teacher opens its class from `windowMs` before its start until its end; a live class is opened
 * again (her page reloaded). Says whether the session still has to become live.
 */
export function assertCanStart(actor: Actor, s: SessionFacts & Pick<SessionCore, 'startsAt' | 'endsAt' | 'timezone'>, now: Date, windowMs: number): boolean {
  if (!teachesSession(actor, s)) throw new ForbiddenException('Only the teacher of this session can start it');
  if (s.status === 'cancelled') throw new ConflictException(`Session ${s.id} is cancelled`);
  if (s.status === 'ended') throw new ConflictException(`Session ${s.id} has already ended`);
  if (s.status === 'live') return false;
  if (now.getTime() < s.startsAt.getTime() - windowMs || now >= s.endsAt) {
    throw new ConflictException(`Session ${s.id} can be started from ${Math.round(windowMs / 60000)} minutes before ${localSpan(s.startsAt, s.endsAt, s.timezone)}`);
  }
  return true;
}

/** Its teacher or an admin ends a live class. */
export function assertCanEnd(actor: Actor, s: SessionFacts): void {
  if (!managesSession(actor, s)) throw new ForbiddenException('Only the teacher of this session or an admin can end it');
  if (s.status !== 'live') throw new ConflictException(`Session ${s.id} is not live`);
}

/** A class can be joined only while it is live. */
export function assertJoinable(s: SessionFacts): void {
  if (s.status !== 'live') {
    throw new ConflictException(s.status === 'scheduled' ? `Session ${s.id} has not started yet` : `Session ${s.id} is ${s.status}`);
  }
}
