import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type FeedOwner = { kind: 'classroom'; id: number } | { kind: 'teacher'; id: number };

@Injectable()
export class CalendarRepository {
  constructor(private readonly dataSource: DataSource) {}

  async token(owner: FeedOwner): Promise<string | null> {
    const rows = (await this.dataSource.query(`SELECT token FROM calendar_feed WHERE ${owner.kind}_id = $1`, [owner.id])) as { token: string }[];
    return rows[0]?.token ?? null;
  }

  /** Sets a new token (creating the feed on first use); the old URL stops working at once. */
  async rotate(owner: FeedOwner, token: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calendar_feed (${owner.kind}_id, token) VALUES ($1, $2)
       ON CONFLICT (${owner.kind}_id) DO UPDATE SET token = EXCLUDED.token, rotated_at = now()`,
      [owner.id, token],
    );
  }

  /** The feed's owner; none for a deactivated teacher, whose feed then answers 404 like an unknown one. */
  async ownerOf(token: string): Promise<(FeedOwner & { name: string; timezone: string }) | null> {
    const rows = (await this.dataSource.query(
      `SELECT f.classroom_id, f.teacher_id, coalesce(r.name, u.display_name) AS name,
              coalesce(rs.timezone, user_timezone(f.teacher_id)) AS timezone
       FROM calendar_feed f
       LEFT JOIN classroom r ON r.id = f.classroom_id LEFT JOIN school rs ON rs.id = r.school_id
       LEFT JOIN app_user u ON u.id = f.teacher_id
       WHERE f.token = $1 AND (f.teacher_id IS NULL OR u.is_active)`,
      [token],
    )) as { classroom_id: number | null; teacher_id: number | null; name: string; timezone: string }[];
    const row = rows[0];
    if (!row) return null;
    return row.classroom_id
      ? { kind: 'classroom', id: row.classroom_id, name: row.name, timezone: row.timezone }
      : { kind: 'teacher', id: row.teacher_id!, name: row.name, timezone: row.timezone };
  }
}
