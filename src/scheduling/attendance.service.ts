import { Injectable } from '@nestjs/common';
import type { AttendanceDto, AttendanceReportRowDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
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

  report(q: AttendanceReportQuery): Promise<AttendanceReportRowDto[]> {
    return this.attendance.report(q.groupBy, q.from, q.to, q.schoolId);
  }
}
