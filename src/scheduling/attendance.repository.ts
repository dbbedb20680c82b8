import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AttendanceDto, AttendanceReportRowDto } from '../contracts/api.js';

@Injectable()
export class AttendanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Classrooms entered a live class (first time, or back after leaving): one statement for a whole join storm. */
  async markJoined(sessionId: number, joins: { classroomId: number; at: Date }[]): Promise<void> {
    if (joins.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO attendance (session_id, classroom_id, joined_at, present_since)
       SELECT $1, j.classroom_id, min(j.at), min(j.at) FROM unnest($2::int[], $3::timestamptz[]) AS j (classroom_id, at) GROUP BY j.classroom_id
       ON CONFLICT (session_id, classroom_id) DO UPDATE
         SET joined_at = coalesce(attendance.joined_at, EXCLUDED.joined_at),
             present_since = coalesce(attendance.present_since, EXCLUDED.present_since), left_at = NULL`,
      [sessionId, joins.map((j) => j.classroomId), joins.map((j) => j.at)],
    );
  }

  /** A classroom left (for good, after the reconnection grace): its time present is added up. */
  async markLeft(sessionId: number, classroomId: number, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE attendance SET left_at = $3,
              seconds_present = seconds_present + greatest(0, extract(epoch FROM $3 - present_since))::int,
              minutes_present = (seconds_present + greatest(0, extract(epoch FROM $3 - present_since))::int) / 60,
              present_since = NULL
       WHERE session_id = $1 AND classroom_id = $2 AND present_since IS NOT NULL`,
      [sessionId, classroomId, at],
    );
  }

  /** The latest link-quality summary a classroom's client reported. */
  async setQuality(sessionId: number, classroomId: number, quality: object): Promise<void> {
    await this.dataSource.query('UPDATE attendance SET quality = $3 WHERE session_id = $1 AND classroom_id = $2', [sessionId, classroomId, quality]);
  }

  /** Every booked classroom of a session with what is known of its attendance (none yet: zero minutes). */
  async forSession(sessionId: number, classroomId?: number): Promise<AttendanceDto[]> {
    const rows = (await this.dataSource.query(
      `SELECT b.session_id AS "sessionId", r.id AS "classroomId", r.name AS "classroomName",
              a.joined_at AS "joinedAt", a.left_at AS "leftAt", coalesce(a.minutes_present, 0) AS "minutesPresent", a.quality
       FROM session_classroom b JOIN classroom r ON r.id = b.classroom_id
       LEFT JOIN attendance a ON a.session_id = b.session_id AND a.classroom_id = b.classroom_id
       WHERE b.session_id = $1 AND ($2::int IS NULL OR r.id = $2) ORDER BY r.name`,
      [sessionId, classroomId ?? null],
    )) as (Omit<AttendanceDto, 'joinedAt' | 'leftAt'> & { joinedAt: Date | null; leftAt: Date | null })[];
    return rows.map((r) => ({ ...r, joinedAt: r.joinedAt?.toISOString() ?? null, leftAt: r.leftAt?.toISOString() ?? null }));
  }

  /**
   * Booked vs attended sessions and minutes present, per session, classroom or school, for sessions that
   * started in [from, to] (local dates in the classroom's school zone). Cancelled sessions don't count.
   */
  async report(groupBy: 'session' | 'classroom' | 'school', from: string, to: string, schoolId?: number): Promise<AttendanceReportRowDto[]> {
    const key = { session: ['se.id', 'se.title'], classroom: ['r.id', "sc.name || ' ' || r.name"], school: ['sc.id', 'sc.name'] }[groupBy];
    return (await this.dataSource.query(
      `SELECT ${key[0]} AS id, ${key[1]} AS name, count(*)::int AS sessions,
              count(a.joined_at)::int AS attended, coalesce(sum(a.minutes_present), 0)::int AS "minutesPresent"
       FROM session_classroom b
       JOIN class_session se ON se.id = b.session_id
       JOIN classroom r ON r.id = b.classroom_id JOIN school sc ON sc.id = r.school_id
       LEFT JOIN attendance a ON a.session_id = b.session_id AND a.classroom_id = b.classroom_id
       WHERE b.active AND se.starts_at >= ($1::date)::timestamp AT TIME ZONE sc.timezone
         AND se.starts_at < ($2::date + 1)::timestamp AT TIME ZONE sc.timezone
         AND ($3::int IS NULL OR sc.id = $3)
       GROUP BY 1, 2 ORDER BY 2`,
      [from, to, schoolId ?? null],
    )) as AttendanceReportRowDto[];
  }
}
