import { Injectable } from '@nestjs/common';
import type { AttendanceDto, AttendanceReportRowDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { LinkQuality } from '../contracts/live.js';
import { AttendanceRepository } from './attendance.repository.js';
import { AttendanceReportQuery } from './scheduling.dto.js';
import { SessionRepository } from './session.repository.js';
import { SessionsService } from './sessions.service.js';

/** Attendance per session and classroom (filled by the live classes) and its reports. */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly sessions: SessionRepository,
    private readonly single: SessionsService,
  ) {}

  /** Admins and the teacher see every booked classroom; a classroom's device only its own row. */
  async forSession(actor: AuthUser, sessionId: number): Promise<AttendanceDto[]> {
    await this.single.get(actor, sessionId);
    const own = actor.role === 'classroom' ? (actor.classroomId ?? -1) : undefined;
    return this.attendance.forSession(sessionId, own);
  }

  // ---- what the live classes report ----

  markJoined(sessionId: number, joins: { classroomId: number; at: Date }[]): Promise<void> {
    return this.attendance.markJoined(sessionId, joins);
  }

  markLeft(sessionId: number, classroomId: number, at: Date): Promise<void> {
    return this.attendance.markLeft(sessionId, classroomId, at);
  }

  setQuality(sessionId: number, classroomId: number, quality: LinkQuality): Promise<void> {
    return this.attendance.setQuality(sessionId, classroomId, quality);
  }

  report(q: AttendanceReportQuery): Promise<AttendanceReportRowDto[]> {
    return this.attendance.report(q.groupBy, q.from, q.to, q.schoolId);
  }
}
