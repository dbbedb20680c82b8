import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RecordingChapterDto, RecordingStatus, Role } from '../contracts/api.js';
import { returnedRows } from '../database/returning.js';

/** A recording as stored, with its session's course, teacher and time, and the viewer's saved position. */
export interface RecordingRow {
  id: number;
  session_id: number;
  course_id: number;
  course_title: string;
  course_status: 'draft' | 'published';
  lesson_id: number | null;
  lesson_title: string | null;
  title: string;
  teacher_id: number;
  teacher_name: string;
  starts_at: Date;
  ends_at: Date;
  timezone: string;
  status: RecordingStatus;
  parts: number;
  duration_seconds: string | null;
  size_bytes: string;
  progress: number;
  error: string | null;
  has_mp4: boolean;
  has_poster: boolean;
  chapters: RecordingChapterDto[];
  created_at: Date;
  position_seconds: string | null;
}

/** Who is asking: the visibility rule and "where I stopped" depend on it. */
export interface Viewer {
  id: number;
  role: Role;
  schoolId: number | null;
}

export interface RecordingFilter {
  id?: number;
  sessionId?: number;
  courseId?: number;
  status?: RecordingStatus;
}

const SELECT = `
  SELECT r.*, s.course_id, c.title AS course_title, c.status AS course_status, s.lesson_id, l.title AS lesson_title, s.title,
         s.teacher_id, u.display_name AS teacher_name, s.starts_at, s.ends_at, user_timezone(s.teacher_id) AS timezone,
         p.position_seconds
  FROM recording r
  JOIN class_session s ON s.id = r.session_id
  JOIN course c ON c.id = s.course_id
  JOIN app_user u ON u.id = s.teacher_id
  LEFT JOIN lesson l ON l.id = s.lesson_id
  LEFT JOIN recording_progress p ON p.recording_id = r.id AND p.user_id = $1`;

/**
 * Who may see a recording: admins and the session's teacher always; otherwise the course must be published and
 * the viewer must be its teacher, a classroom booked on the session, or a student of a school with a classroom
 * booked on it. ($1 viewer id, $2 role, $3 school.)
 */
const VISIBLE = `(
  $2 = 'admin' OR s.teacher_id = $1 OR (c.status = 'published' AND (
    c.teacher_id = $1 OR EXISTS (
      SELECT 1 FROM session_classroom b JOIN classroom cl ON cl.id = b.classroom_id
      WHERE b.session_id = s.id AND b.active AND (cl.device_user_id = $1 OR ($2 = 'student' AND cl.school_id = $3))))))`;

export interface RecordingState {
  id: number;
  sessionId: number;
  status: RecordingStatus;
  parts: number;
}

@Injectable()
export class RecordingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The recordings `viewer` may see (deleted ones only for admins and their teacher), newest class first. */
  async find(viewer: Viewer, f: RecordingFilter, page = 1, pageSize = 50): Promise<{ items: RecordingRow[]; total: number }> {
    const { sql, params } = this.visible(viewer, f);
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::int AS count FROM (${sql}) x`, params)) as { count: number }[];
    const rows = (await this.dataSource.query(`${sql} ORDER BY s.starts_at DESC, r.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      pageSize,
      (page - 1) * pageSize,
    ])) as RecordingRow[];
    return { items: rows, total: count };
  }

  /** One recording, if `viewer` may see it: a single query (every playlist and segment request asks this). */
  async findVisible(viewer: Viewer, id: number): Promise<RecordingRow | null> {
    const { sql, params } = this.visible(viewer, { id });
    const rows = (await this.dataSource.query(sql, params)) as RecordingRow[];
    return rows[0] ?? null;
  }

  private visible(viewer: Viewer, f: RecordingFilter): { sql: string; params: unknown[] } {
    const params: unknown[] = [viewer.id, viewer.role, viewer.schoolId];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = [VISIBLE];
    if (f.id !== undefined) where.push(`r.id = ${p(f.id)}`);
    if (f.sessionId !== undefined) where.push(`r.session_id = ${p(f.sessionId)}`);
    if (f.courseId !== undefined) where.push(`s.course_id = ${p(f.courseId)}`);
    if (f.status !== undefined) where.push(`r.status = ${p(f.status)}`);
    if (f.id === undefined && f.sessionId === undefined) where.push(`(r.status <> 'deleted' OR $2 = 'admin' OR s.teacher_id = $1)`);
    return { sql: `${SELECT} WHERE ${where.join(' AND ')}`, params };
  }

  /** The session's recording, made on its first live start; `created` is false when it already existed. */
  async open(sessionId: number): Promise<RecordingState & { created: boolean }> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO recording (session_id) VALUES ($1) ON CONFLICT (session_id) DO NOTHING RETURNING id, session_id AS "sessionId", status, parts`,
      [sessionId],
    )) as RecordingState[];
    if (inserted[0]) return { ...inserted[0], created: true };
    const rows = (await this.dataSource.query(`SELECT id, session_id AS "sessionId", status, parts FROM recording WHERE session_id = $1`, [sessionId])) as RecordingState[];
    return { ...rows[0], created: false };
  }

  async addPart(id: number): Promise<void> {
    await this.dataSource.query(`UPDATE recording SET parts = parts + 1, updated_at = now() WHERE id = $1`, [id]);
  }

  async setError(id: number, error: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE recording SET error = $2, updated_at = now() WHERE id = $1`, [id, error?.slice(0, 2000) ?? null]);
  }

  /** Moves a recording from one of `from` to `to`; false if it was in none of them (someone else moved it). */
  async transition(id: number, from: RecordingStatus[], to: RecordingStatus, extra: { error?: string | null; endedAt?: Date } = {}): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE recording SET status = $3, progress = CASE WHEN $3 = 'processing' THEN 0 ELSE progress END,
         error = CASE WHEN $4::boolean THEN $5 ELSE error END, ended_at = coalesce($6, ended_at), updated_at = now()
       WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
      [id, from, to, extra.error !== undefined, extra.error?.slice(0, 2000) ?? null, extra.endedAt ?? null],
    );
    return returnedRows(result).length > 0;
  }

  async setProgress(id: number, progress: number): Promise<void> {
    await this.dataSource.query(`UPDATE recording SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'processing'`, [id, progress]);
  }

  async markReady(id: number, r: { durationSeconds: number; sizeBytes: number; chapters: RecordingChapterDto[] }): Promise<void> {
    await this.dataSource.query(
      `UPDATE recording SET status = 'ready', progress = 100, duration_seconds = $2, size_bytes = $3, chapters = $4::jsonb,
         has_mp4 = true, has_poster = true, updated_at = now() WHERE id = $1`,
      [id, r.durationSeconds, r.sizeBytes, JSON.stringify(r.chapters)],
    );
  }

  async setSize(id: number, sizeBytes: number): Promise<void> {
    await this.dataSource.query(`UPDATE recording SET size_bytes = $2, updated_at = now() WHERE id = $1`, [id, sizeBytes]);
  }

  async markDeleted(id: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE recording SET status = 'deleted', deleted_at = now(), size_bytes = 0, has_mp4 = false, has_poster = false, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** Recordings in one of `statuses`, oldest first, with their session's state. */
  async idsIn(statuses: RecordingStatus[]): Promise<{ id: number; sessionId: number; sessionStatus: string; endsAt: Date }[]> {
    return (await this.dataSource.query(
      `SELECT r.id, r.session_id AS "sessionId", s.status AS "sessionStatus", s.ends_at AS "endsAt"
       FROM recording r JOIN class_session s ON s.id = r.session_id WHERE r.status = ANY($1::text[]) ORDER BY r.id`,
      [statuses],
    )) as { id: number; sessionId: number; sessionStatus: string; endsAt: Date }[];
  }

  /** Finished recordings of classes that ended more than `days` days ago. */
  async expired(days: number): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT r.id FROM recording r JOIN class_session s ON s.id = r.session_id
       WHERE r.status IN ('ready', 'failed') AND s.ends_at < now() - make_interval(days => $1)`,
      [days],
    )) as { id: number }[];
    return rows.map((r) => r.id);
  }

  async usage(): Promise<{ recordings: number; bytesUsed: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS recordings, coalesce(sum(size_bytes), 0)::bigint AS bytes FROM recording WHERE status <> 'deleted'`,
    )) as { recordings: number; bytes: string }[];
    return { recordings: row.recordings, bytesUsed: Number(row.bytes) };
  }

  async saveProgress(recordingId: number, userId: number, positionSeconds: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO recording_progress (recording_id, user_id, position_seconds) VALUES ($1, $2, $3)
       ON CONFLICT (recording_id, user_id) DO UPDATE SET position_seconds = EXCLUDED.position_seconds, updated_at = now()`,
      [recordingId, userId, positionSeconds],
    );
  }

}
