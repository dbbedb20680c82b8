import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { SeriesDto, SeriesResultDto, SessionChangeResultDto, UnfitBookingDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { atLocalDate, localDate, weeklyOccurrences } from './occurrences.js';
import { assertSaneTimes, isExclusionViolation, teacherBusy, unfitBooking } from './schedule-errors.js';
import { CancelSeriesBody, CreateSeriesBody, UpdateSeriesBody, toSeriesDto, toSessionDtos } from './scheduling.dto.js';
import { SeriesRepository } from './series.repository.js';
import { SessionRepository } from './session.repository.js';
import { Transactions } from '../database/transactions.js';
import { SessionLifecycle } from './session-lifecycle.js';
import { assertChangeable } from './session.policy.js';
import { SessionsService } from './sessions.service.js';

const MAX_SESSIONS = 500;
/** Bookings one request may create (sessions × classrooms): a daily class for a term in 30 classrooms. */
export const MAX_SERIES_BOOKINGS = 3000;

/** Weekly series for a term: generating their sessions, and editing or cancelling "this and all following". */
@Injectable()
export class SeriesService {
  constructor(
    private readonly series: SeriesRepository,
    private readonly sessions: SessionRepository,
    private readonly single: SessionsService,
    private readonly lifecycle: SessionLifecycle,
    private readonly tx: Transactions,
  ) {}

  async get(actor: AuthUser, id: number): Promise<SeriesDto> {
    const row = await this.series.find(id);
    if (!row || (actor.role !== 'admin' && actor.id !== row.teacher_id)) throw new NotFoundException(`Series ${id} does not exist`);
    return toSeriesDto(row);
  }

  async create(actor: AuthUser, body: CreateSeriesBody): Promise<SeriesResultDto> {
    const course = await this.sessions.course(body.courseId);
    if (!course) throw new BadRequestException(`Course ${body.courseId} does not exist`);
    if (course.archived) throw new ConflictException(`Course ${body.courseId} is archived: restore it before scheduling classes of it`);
    const teacherId = this.single.teacherFor(actor, course.teacherId, body.teacherId);
    if (body.periodEnd <= body.periodStart) throw new BadRequestException('periodEnd must be after periodStart');
    if (body.termEnd < body.termStart) throw new BadRequestException('termEnd must not be before termStart');
    const timezone = body.timezone ?? (await this.sessions.teacherTimezone(teacherId));
    const pattern = { ...body, holidays: body.holidays ?? [], timezone };
    const dates = weeklyOccurrences(pattern);
    if (dates.length === 0) throw new BadRequestException('The series has no sessions: no chosen weekday falls in the term outside the holidays');
    if (dates.length > MAX_SESSIONS) throw new BadRequestException(`A series may have at most ${MAX_SESSIONS} sessions; this one would have ${dates.length}`);
    assertSaneTimes(dates[0].start, dates[0].end);
    const bookings = dates.length * (body.classroomIds?.length ?? 0);
    if (bookings > MAX_SERIES_BOOKINGS) {
      throw new BadRequestException(
        `A series may book at most ${MAX_SERIES_BOOKINGS} classroom places (sessions × classrooms); this one would book ${bookings} ` +
          `(${dates.length} sessions × ${body.classroomIds!.length} classrooms): book fewer classrooms here and add the others afterwards, or split the term`,
      );
    }
    const rooms: NonNullable<Awaited<ReturnType<SessionRepository['classroom']>>>[] = [];
    for (const id of body.classroomIds ?? []) {
      const room = await this.sessions.classroom(id);
      if (!room) throw new BadRequestException(`Classroom ${id} does not exist`);
      rooms.push(room);
    }
    const lessons = await this.sessions.lessonsOf(course.id);
    const title = body.title ?? course.title;

    const { seriesId, unfit } = await this.tx.run(async () => {
      const seriesId = await this.series.insert({
        courseId: course.id,
        teacherId,
        title,
        weekdays: body.weekdays,
        periodStart: body.periodStart,
        periodEnd: body.periodEnd,
        termStart: body.termStart,
        termEnd: body.termEnd,
        holidays: pattern.holidays,
        timezone,
      });
      const unfit: UnfitBookingDto[] = [];
      // The n-th class teaches the course's n-th lesson, as long as there are lessons.
      for (const [n, occ] of dates.entries()) {
        const lesson = lessons[n];
        const sessionId = await this.insertOrExplain(teacherId, occ.start, occ.end, () =>
          this.sessions.insert({
            seriesId,
            courseId: course.id,
            lessonId: lesson?.id ?? null,
            teacherId,
            title: lesson ? `${title} · ${lesson.title}` : title,
            startsAt: occ.start,
            endsAt: occ.end,
          }),
        );
        for (const room of rooms) {
          const conflict = await this.sessions.classroomConflict(room.id, occ.start, occ.end);
          if (conflict) {
            unfit.push(unfitBooking(actor, sessionId, room.id, room.name, conflict));
            continue;
          }
          await this.sessions.book(sessionId, room.id, room.gradeId !== course.gradeId);
        }
      }
      return { seriesId, unfit };
    });
    return {
      series: toSeriesDto((await this.series.find(seriesId))!),
      sessions: toSessionDtos(await this.sessions.find({ seriesId })),
      unfitBookings: unfit,
    };
  }

  /**
   * Changes the period (and title) of a session and every later one of its series. Bookings follow where the
   * classroom is still free; the others are reported in `unfitBookings`. A clash with the teacher's own
   * timetable refuses the whole change with 409.
   */
  async updateFollowing(actor: AuthUser, seriesId: number, body: UpdateSeriesBody): Promise<SessionChangeResultDto> {
    const { series, affected } = await this.following(actor, seriesId, body.fromSessionId);
    const periodStart = body.periodStart ?? series.periodStart;
    const periodEnd = body.periodEnd ?? series.periodEnd;
    if (periodEnd <= periodStart) throw new BadRequestException('periodEnd must be after periodStart');
    const unfit = await this.tx.run(async () => {
      const dropped: UnfitBookingDto[] = [];
      for (const id of affected) {
        const core = (await this.sessions.findCore(id, true))!;
        const { start, end } = atLocalDate(localDate(core.startsAt, series.timezone), periodStart, periodEnd, series.timezone);
        assertSaneTimes(start, end);
        dropped.push(...(await this.single.dropUnfitBookings(actor, core, start, end)));
        const title = body.title && core.title.startsWith(series.title) ? body.title + core.title.slice(series.title.length) : body.title;
        await this.insertOrExplain(core.teacherId, start, end, () => this.sessions.update(id, { title, startsAt: start, endsAt: end }), id);
      }
      await this.series.updatePattern(seriesId, { title: body.title, periodStart: body.periodStart, periodEnd: body.periodEnd });
      return dropped;
    });
    return { sessions: toSessionDtos(await this.sessions.find({ ids: affected })), unfitBookings: unfit };
  }

  async cancelFollowing(actor: AuthUser, seriesId: number, body: CancelSeriesBody): Promise<SessionChangeResultDto> {
    const { affected } = await this.following(actor, seriesId, body.fromSessionId);
    // Those started meanwhile stay as they are (live or ended); the rest are cancelled.
    await this.lifecycle.cancel(affected);
    return { sessions: toSessionDtos(await this.sessions.find({ ids: affected })), unfitBookings: [] };
  }

  /** The series and the ids of its still-scheduled sessions from `fromSessionId` on. */
  private async following(actor: AuthUser, seriesId: number, fromSessionId: number) {
    const series = await this.get(actor, seriesId);
    const from = await this.single.requireEditable(actor, fromSessionId);
    if (from.seriesId !== seriesId) throw new BadRequestException(`Session ${fromSessionId} is not part of series ${seriesId}`);
    assertChangeable(from);
    const later = toSessionDtos(await this.sessions.find({ seriesId, seriesFrom: from.startsAt }));
    const affected = later.filter((s) => s.status === 'scheduled').map((s) => s.id);
    if (affected.length === 0) throw new ConflictException('No scheduled sessions left to change in this series');
    return { series, affected };
  }

  private async insertOrExplain<T>(teacherId: number, start: Date, end: Date, work: () => Promise<T>, exceptId?: number): Promise<T> {
    // Checked first so the 409 can name the clash; the exclusion constraint still decides under concurrency.
    const clash = await this.sessions.teacherConflict(teacherId, start, end, exceptId);
    if (clash) throw teacherBusy('The teacher', clash);
    try {
      return await work();
    } catch (e) {
      if (isExclusionViolation(e, 'class_session_teacher_overlap')) throw new ConflictException('The teacher is busy at that time');
      throw e;
    }
  }
}
