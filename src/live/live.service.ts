import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { JoinResult, LiveRole, SessionLiveEvent, StartClassResult } from '../contracts/live.js';
import type { AuthUser } from '../auth/auth-user.js';
import { localSpan } from '../scheduling/schedule-errors.js';
import { SessionRepository, type SessionCore } from '../scheduling/session.repository.js';
import { RoomRegistry } from './room-registry.js';

export const LIVE_START_WINDOW_MS = Symbol('LIVE_START_WINDOW_MS');

/** Opening, joining and ending live classes, decided by the schedule. */
@Injectable()
export class LiveService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly rooms: RoomRegistry,
    @Inject(LIVE_START_WINDOW_MS) private readonly startWindowMs: number,
  ) {}

  /**
   * The session's teacher opens the class, from `LIVE_START_WINDOW_MINUTES` before its start until its end.
   * Returns what to push to the booked classrooms.
   */
  async start(actor: AuthUser, sessionId: number, now = new Date()): Promise<{ result: StartClassResult; notify: number[]; event: SessionLiveEvent }> {
    const core = await this.requireSession(sessionId);
    if (!(actor.role === 'teacher' && actor.id === core.teacherId)) throw new ForbiddenException('Only the teacher of this session can start it');
    if (core.status === 'cancelled') throw new ConflictException(`Session ${sessionId} is cancelled`);
    if (core.status === 'ended') throw new ConflictException(`Session ${sessionId} has already ended`);
    if (core.status !== 'live') {
      const opens = core.startsAt.getTime() - this.startWindowMs;
      if (now.getTime() < opens || now >= core.endsAt) {
        throw new ConflictException(
          `Session ${sessionId} can be started from ${Math.round(this.startWindowMs / 60000)} minutes before ${localSpan(core.startsAt, core.endsAt, core.timezone)}`,
        );
      }
      await this.sessions.transaction((m) => this.sessions.setStatus(m, [sessionId], 'live'));
    }
    await this.rooms.open(sessionId);
    const notify = (await this.sessions.bookingsOf(sessionId)).map((b) => b.classroomId);
    return {
      result: { sessionId, status: 'live' },
      notify,
      event: { sessionId, title: core.title, startsAt: core.startsAt.toISOString(), endsAt: core.endsAt.toISOString() },
    };
  }

  /** Who may be in the class: its teacher, the classrooms booked on it, admins as observers. */
  async join(actor: AuthUser, sessionId: number): Promise<JoinResult> {
    const core = await this.requireSession(sessionId);
    const role = await this.roleIn(actor, core);
    if (core.status !== 'live') {
      throw new ConflictException(core.status === 'scheduled' ? `Session ${sessionId} has not started yet` : `Session ${sessionId} is ${core.status}`);
    }
    const room = await this.rooms.open(sessionId);
    return { sessionId, role, routerRtpCapabilities: room.rtpCapabilities };
  }

  async end(actor: AuthUser, sessionId: number): Promise<{ notify: number[] }> {
    const core = await this.requireSession(sessionId);
    if (!(actor.role === 'admin' || (actor.role === 'teacher' && actor.id === core.teacherId))) {
      throw new ForbiddenException('Only the teacher of this session or an admin can end it');
    }
    if (core.status !== 'live') throw new ConflictException(`Session ${sessionId} is not live`);
    await this.sessions.transaction((m) => this.sessions.setStatus(m, [sessionId], 'ended'));
    await this.rooms.close(sessionId);
    return { notify: (await this.sessions.bookingsOf(sessionId)).map((b) => b.classroomId) };
  }

  /** The classroom a device account stands for (its socket joins that classroom's channel). */
  classroomOfDevice(userId: number): Promise<number | null> {
    return this.sessions.classroomOfDevice(userId);
  }

  private async roleIn(actor: AuthUser, core: SessionCore): Promise<LiveRole> {
    if (actor.role === 'teacher' && actor.id === core.teacherId) return 'teacher';
    if (actor.role === 'admin') return 'observer';
    if (actor.role === 'classroom') {
      const own = await this.sessions.classroomOfDevice(actor.id);
      if (own !== null && (await this.sessions.isBooked(core.id, own))) return 'classroom';
      throw new ForbiddenException(`This classroom is not booked on session ${core.id}`);
    }
    throw new ForbiddenException(`Only the session's teacher, its booked classrooms and admins may join session ${core.id}`);
  }

  private async requireSession(id: number): Promise<SessionCore> {
    const core = await this.sessions.findCore(id);
    if (!core) throw new NotFoundException(`Session ${id} does not exist`);
    return core;
  }
}
