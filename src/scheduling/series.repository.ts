import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions.js';
import type { SeriesDto } from '../contracts/api.js';

export interface SeriesRow {
  id: number;
  course_id: number;
  teacher_id: number;
  title: string;
  weekdays: number[];
  period_start: string;
  period_end: string;
  term_start: string;
  term_end: string;
  holidays: string[];
  timezone: string;
  session_count: number;
}

@Injectable()
export class SeriesRepository {
  constructor(private readonly tx: Transactions) {}

  async insert(
    s: Omit<SeriesDto, 'id' | 'sessionCount'>,
  ): Promise<number> {
    const [{ id }] = (await this.tx.db.query(
      `INSERT INTO class_series (course_id, teacher_id, title, weekdays, period_start, period_end, term_start, term_end, holidays, timezone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date[], $10) RETURNING id`,
      [s.courseId, s.teacherId, s.title, s.weekdays, s.periodStart, s.periodEnd, s.termStart, s.termEnd, s.holidays, s.timezone],
    )) as { id: number }[];
    return id;
  }

  async find(id: number): Promise<SeriesRow | null> {
    const rows = (await this.tx.db.query(
      `SELECT s.id, s.course_id, s.teacher_id, s.title, s.weekdays, s.period_start::text, s.period_end::text,
              s.term_start::text, s.term_end::text, s.holidays::text[] AS holidays, s.timezone,
              (SELECT count(*)::int FROM class_session cs WHERE cs.series_id = s.id AND cs.status <> 'cancelled') AS session_count
       FROM class_series s WHERE s.id = $1`,
      [id],
    )) as SeriesRow[];
    return rows[0] ?? null;
  }

  async updatePattern(id: number, changes: { title?: string; periodStart?: string; periodEnd?: string }): Promise<void> {
    await this.tx.db.query(
      `UPDATE class_series SET title = coalesce($2, title), period_start = coalesce($3::time, period_start),
              period_end = coalesce($4::time, period_end) WHERE id = $1`,
      [id, changes.title ?? null, changes.periodStart ?? null, changes.periodEnd ?? null],
    );
  }
}
