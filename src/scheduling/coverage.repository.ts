import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CoverageRowDto, CurriculumRequirementDto } from '../contracts/api.js';
import type { CoverageQueryParams } from './scheduling.dto.js';

@Injectable()
export class CoverageRepository {
  constructor(private readonly dataSource: DataSource) {}

  async requirements(): Promise<CurriculumRequirementDto[]> {
    return (await this.dataSource.query(
      `SELECT grade_id AS "gradeId", subject_id AS "subjectId", periods_per_week AS "periodsPerWeek"
       FROM curriculum_requirement ORDER BY grade_id, subject_id`,
    )) as CurriculumRequirementDto[];
  }

  async setRequirement(r: CurriculumRequirementDto): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO curriculum_requirement (grade_id, subject_id, periods_per_week) VALUES ($1, $2, $3)
       ON CONFLICT (grade_id, subject_id) DO UPDATE SET periods_per_week = EXCLUDED.periods_per_week`,
      [r.gradeId, r.subjectId, r.periodsPerWeek],
    );
  }

  /**
   * For every classroom and every subject its grade requires: periods required in [from, to] (local dates in
   * each school's own zone) against sessions booked, gaps first.
   */
  async report(q: CoverageQueryParams, days: number): Promise<CoverageRowDto[]> {
    const params: unknown[] = [q.from, q.to, days];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (q.province) where.push(`sc.province = ${p(q.province)}`);
    if (q.city) where.push(`sc.city = ${p(q.city)}`);
    if (q.county) where.push(`sc.county = ${p(q.county)}`);
    if (q.schoolId) where.push(`sc.id = ${p(q.schoolId)}`);
    if (q.gradeId) where.push(`r.grade_id = ${p(q.gradeId)}`);
    if (q.subjectId) where.push(`cr.subject_id = ${p(q.subjectId)}`);
    const rows = (await this.dataSource.query(
      `SELECT r.id AS "classroomId", r.name AS "classroomName", sc.id AS "schoolId", sc.name AS "schoolName", r.grade_id AS "gradeId",
              sub.id AS "subjectId", sub.code AS "subjectCode", sub.name_zh AS "subjectNameZh", sub.name_en AS "subjectNameEn",
              round(cr.periods_per_week * $3::numeric / 7)::int AS required,
              (SELECT count(*)::int FROM session_classroom b
                 JOIN class_session se ON se.id = b.session_id JOIN course c ON c.id = se.course_id
                WHERE b.classroom_id = r.id AND b.active AND c.subject_id = sub.id
                  AND se.starts_at >= ($1::date)::timestamp AT TIME ZONE sc.timezone
                  AND se.starts_at < ($2::date + 1)::timestamp AT TIME ZONE sc.timezone) AS booked
       FROM classroom r
       JOIN school sc ON sc.id = r.school_id
       JOIN curriculum_requirement cr ON cr.grade_id = r.grade_id AND cr.periods_per_week > 0
       JOIN subject sub ON sub.id = cr.subject_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    )) as Omit<CoverageRowDto, 'gap'>[];
    return rows
      .map((r) => ({ ...r, gap: Math.max(0, r.required - r.booked) }))
      .sort(
        (a, b) =>
          b.gap - a.gap ||
          a.schoolName.localeCompare(b.schoolName, 'zh') ||
          a.classroomName.localeCompare(b.classroomName, 'zh') ||
          a.subjectId - b.subjectId,
      );
  }

  /**
   * Sessions a classroom could join to close a gap in a subject: the subject and the classroom's grade,
   * scheduled, not yet started, in the range, and free of any clash with the classroom's other bookings.
   * Best first: the sessions that already serve the most classrooms (one city teacher, many rural rooms).
   */
  async suggestions(classroomId: number, subjectId: number, from: string, to: string): Promise<{ id: number; booked: number }[]> {
    return (await this.dataSource.query(
      `SELECT se.id, (SELECT count(*)::int FROM session_classroom x WHERE x.session_id = se.id AND x.active) AS booked
       FROM classroom r JOIN school sc ON sc.id = r.school_id
       JOIN course c ON c.subject_id = $2 AND c.grade_id = r.grade_id
       JOIN class_session se ON se.course_id = c.id
       WHERE r.id = $1 AND se.status = 'scheduled' AND se.starts_at > now()
         AND se.starts_at >= ($3::date)::timestamp AT TIME ZONE sc.timezone
         AND se.starts_at < ($4::date + 1)::timestamp AT TIME ZONE sc.timezone
         AND NOT EXISTS (SELECT 1 FROM session_classroom b WHERE b.session_id = se.id AND b.classroom_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM session_classroom b WHERE b.classroom_id = r.id AND b.active AND b.during && se.during)
       ORDER BY booked DESC, se.starts_at, se.id
       LIMIT 20`,
      [classroomId, subjectId, from, to],
    )) as { id: number; booked: number }[];
  }
}
