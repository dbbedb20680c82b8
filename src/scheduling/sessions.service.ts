import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { ClassSessionDto, SessionChangeResultDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { assertSaneTimes, classroomBusy, isExclusionViolation, teacherBusy, unfitBooking } from './schedule-errors.js';
import { BookClassroomBody, CreateSessionBody, SessionQueryParams, UpdateSessionBody, toSessionDtos } from './scheduling.dto.js';
import { Transactions } from '../database/transactions.js';
import { SessionLifecycle } from './session-lifecycle.js';
import { assertChangeable, managesSession, seesSession } from './session.policy.js';
import { SessionRepository, type SessionCore } from './session.repository.js';

/**
 * One-off synchronized class sessions and the classrooms booked on them. Who may see or change what is
 * decided here, by role and by the schedule: admins everything; a teacher her own sessions; a classroom's
 * device only the sessions its room is booked on.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly tx: Transactions,
  ) {}

  async list(actor: AuthUser, q: SessionQueryParams): Promise<ClassSessionDto[]> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (!(to > from)) throw new BadRequestException('to must be after from');
    if (to.getTime() - from.getTime() > 400 * 86400_000) throw new BadRequestException('Ask for at most 400 days at a time');
    const filter = { from, to, teacherId: q.teacherId, classroomId: q.classroomId, schoolId: q.schoolId };
    if (actor.role === 'teacher') {
      if (q.teacherId && q.teacherId !== actor.id) throw new ForbiddenException("A teacher sees only her own sessions");
      filter.teacherId = actor.id;
    } else if (actor.role === 'classroom') {
      const own = actor.classroomId;
      if (!own || (q.classroomId && q.classroomId !== own)) throw new ForbiddenException('A classroom sees only its own bookings');
      filter.classroomId = own;
    } else if (actor.role !== 'admin') {
      throw new ForbiddenException('Schedules are for admins, teachers and classrooms');
    }
    return toSessionDtos(await this.sessions.find(filter));
  }

  // ---- for the other modules (live classes, recordings): the session as the schedule has it, no actor ----

  /** The session's facts (teacher, times, status, time zone, recording flag), or null. */
  core(id: number): Promise<SessionCore | null> {
    return this.sessions.findCore(id);
  }

  /** The session as the API shows it. */
  async view(id: number): Promise<ClassSessionDto> {
    return (toSessionDtos(await this.sessions.find({ ids: [id] })))[0];
  }

  isBooked(sessionId: number, classroomId: number): Promise<boolean> {
    return this.sessions.isBooked(sessionId, classroomId);
  }

  async bookedClassroomIds(sessionId: number): Promise<number[]> {
    return (await this.sessions.bookingsOf(sessionId)).map((b) => b.classroomId);
  }

  async get(actor: AuthUser, id: number): Promise<ClassSessionDto> {
    const core = await this.sessions.findCore(id);
    if (!core || !(await this.canSee(actor, core))) throw new NotFoundException(`Session ${id} does not exist`);
    return (toSessionDtos(await this.sessions.find({ ids: [id] })))[0];
  }

  async create(actor: AuthUser, body: CreateSessionBody): Promise<ClassSessionDto> {
    const course = await this.sessions.course(body.courseId);
    if (!course) throw new BadRequestException(`Course ${body.courseId} does not exist`);
    if (course.archived) throw new ConflictException(`Course ${body.courseId} is archived: restore it before scheduling classes of it`);
    const teacherId = this.teacherFor(actor, course.teacherId, body.teacherId);
    const lessons = await this.sessions.lessonsOf(course.id);
    const lesson = body.lessonId ? lessons.find((l) => l.id === body.lessonId) : undefined;
    if (body.lessonId && !lesson) throw new BadRequestException(`Lesson ${body.lessonId} is not part of course ${course.id}`);
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    assertSaneTimes(startsAt, endsAt);
    const title = body.title ?? (lesson ? `${course.title} · ${lesson.title}` : course.title);
    const id = await this.withTeacherCheck(teacherId, startsAt, endsAt, undefined, () =>
      this.tx.run(() => this.sessions.insert({ seriesId: null, courseId: course.id, lessonId: lesson?.id ?? null, teacherId, title, startsAt, endsAt })),
    );
    return (toSessionDtos(await this.sessions.find({ ids: [id] })))[0];
  }

  /**
   * Moves or renames a session. Bookings follow it where the classroom is free at the new time; the ones that
   * no longer fit are removed and reported, never dropped silently.
   */
  async update(actor: AuthUser, id: number, body: UpdateSessionBody): Promise<SessionChangeResultDto> {
    const core = await this.requireEditable(actor, id);
    if (body.lessonId) {
      const lessons = await this.sessions.lessonsOf(core.courseId);
      if (!lessons.some((l) => l.id === body.lessonId)) throw new BadRequestException(`Lesson ${body.lessonId} is not part of course ${core.courseId}`);
    }
    const startsAt = body.startsAt ? new Date(body.startsAt) : core.startsAt;
    const endsAt = body.endsAt ? new Date(body.endsAt) : core.endsAt;
    assertSaneTimes(startsAt, endsAt);
    const unfit = await this.withTeacherCheck(core.teacherId, startsAt, endsAt, id, () =>
      this.tx.run(async () => {
        const locked = (await this.sessions.findCore(id, true))!;
        assertChangeable(locked);
        const dropped = await this.dropUnfitBookings(actor, locked, startsAt, endsAt);
        await this.sessions.update(id, { title: body.title, lessonId: body.lessonId, startsAt, endsAt });
        return dropped;
      }),
    );
    return { sessions: toSessionDtos(await this.sessions.find({ ids: [id] })), unfitBookings: unfit };
  }

  async cancel(actor: AuthUser, id: number): Promise<ClassSessionDto> {
    const core = await this.requireEditable(actor, id);
    assertChangeable(core);
    // Its teacher may have started it since it was read: then the cancel is refused, saying so.
    if ((await this.lifecycle.cancel([id])).length === 0) assertChangeable((await this.sessions.findCore(id))!);
    return (toSessionDtos(await this.sessions.find({ ids: [id] })))[0];
  }

  private readonly bookingListeners: ((sessionId: number) => void)[] = [];

  /** Runs after a classroom was booked on a session or its booking removed (a live class keeps who is booked). */
  onBookingsChanged(listener: (sessionId: number) => void): void {
    this.bookingListeners.push(listener);
  }

  private bookingsChanged(sessionId: number): void {
    for (const listener of this.bookingListeners) listener(sessionId);
  }

  async book(actor: AuthUser, id: number, body: BookClassroomBody): Promise<ClassSessionDto> {
    const core = await this.requireEditable(actor, id);
    if (core.status === 'cancelled') throw new ConflictException(`Session ${id} is cancelled; classrooms can't be booked on it`);
    if (core.status === 'ended') throw new ConflictException(`Session ${id} has already ended`);
    const room = await this.sessions.classroom(body.classroomId);
    if (!room) throw new BadRequestException(`Classroom ${body.classroomId} does not exist`);
    if (await this.sessions.isBooked(id, room.id)) throw new ConflictException(`Classroom ${room.name} is already booked on session ${id}`);
    const mismatch = room.gradeId !== core.gradeId;
    if (mismatch && !body.allowGradeMismatch) {
      throw new ConflictException({
        code: 'GRADE_MISMATCH',
        message: `Classroom ${room.name} is grade ${room.gradeId} but the course is for grade ${core.gradeId}; book again with allowGradeMismatch to override`,
      });
    }
    try {
      await this.tx.run(() => this.sessions.book(id, room.id, mismatch));
    } catch (e) {
      if (!isExclusionViolation(e, 'session_classroom_overlap')) throw e;
      const conflict = await this.sessions.classroomConflict(room.id, core.startsAt, core.endsAt, id);
      throw conflict ? classroomBusy(room.name, conflict, actor) : new ConflictException(`Classroom ${room.name} is busy at that time`);
    }
    this.bookingsChanged(id);
    return (toSessionDtos(await this.sessions.find({ ids: [id] })))[0];
  }

  async unbook(actor: AuthUser, id: number, classroomId: number): Promise<void> {
    const core = await this.requireEditable(actor, id);
    if (core.status === 'ended') throw new ConflictException(`Session ${id} has already ended`);
    if (!(await this.sessions.unbook(id, classroomId))) throw new NotFoundException(`Classroom ${classroomId} is not booked on session ${id}`);
    this.bookingsChanged(id);
  }

  /** Which teacher a new session or series is for: a teacher schedules only herself. */
  teacherFor(actor: AuthUser, courseTeacherId: number, requested?: number): number {
    if (actor.role === 'admin') return requested ?? courseTeacherId;
    if (requested && requested !== actor.id) throw new ForbiddenException('A teacher schedules only herself');
    if (courseTeacherId !== actor.id) throw new ForbiddenException("A teacher schedules only her own courses");
    return actor.id;
  }

  async requireEditable(actor: AuthUser, id: number): Promise<SessionCore> {
    const core = await this.sessions.findCore(id);
    if (!core || !(await this.canSee(actor, core))) throw new NotFoundException(`Session ${id} does not exist`);
    if (!managesSession(actor, core)) {
      throw new ForbiddenException(`Only the session's teacher or an admin may change session ${id}`);
    }
    return core;
  }

  /** Removes the bookings that would collide at the new time, and says which. */
  async dropUnfitBookings(actor: AuthUser, core: SessionCore, start: Date, end: Date) {
    const unfit = [];
    for (const b of await this.sessions.bookingsOf(core.id)) {
      const conflict = await this.sessions.classroomConflict(b.classroomId, start, end, core.id);
      if (!conflict) continue;
      await this.sessions.unbook(core.id, b.classroomId);
      unfit.push(unfitBooking(actor, core.id, b.classroomId, b.classroomName, conflict));
    }
    return unfit;
  }

  /** Runs `work`; a teacher-overlap refusal from PostgreSQL becomes a 409 naming the session in the way. */
  async withTeacherCheck<T>(teacherId: number, start: Date, end: Date, exceptId: number | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (!isExclusionViolation(e, 'class_session_teacher_overlap')) throw e;
      const conflict = await this.sessions.teacherConflict(teacherId, start, end, exceptId);
      throw conflict ? teacherBusy('The teacher', conflict) : new ConflictException('The teacher is busy at that time');
    }
  }

  private async canSee(actor: AuthUser, core: SessionCore): Promise<boolean> {
    return seesSession(actor, core, actor.role === 'classroom' && actor.classroomId !== null && (await this.sessions.isBooked(core.id, actor.classroomId)));
  }
}
