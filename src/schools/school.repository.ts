import { Injectable } from '@nestjs/common';
import type { SchoolKind } from '../contracts/api.js';
import { returnedRows } from '../database/returning.js';
import { Transactions } from '../database/transactions.js';
import { updateSet } from '../database/updates.js';

/** A school with how many classrooms it has. */
export interface SchoolRow {
  id: number;
  name: string;
  kind: SchoolKind;
  province: string;
  city: string;
  county: string;
  timezone: string;
  classroomCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** `timezone` left out takes the column's default. */
export interface NewSchool {
  name: string;
  kind: SchoolKind;
  province: string;
  city: string;
  county: string;
  timezone?: string;
}

const SELECT_SCHOOLS = `
  SELECT s.id, s.name, s.kind, s.province, s.city, s.county, s.timezone,
         (SELECT count(*)::int FROM classroom c WHERE c.school_id = s.id) AS "classroomCount",
         s.created_at AS "createdAt", s.updated_at AS "updatedAt"
  FROM school s`;

@Injectable()
export class SchoolRepository {
  constructor(private readonly tx: Transactions) {}

  list(): Promise<SchoolRow[]> {
    return this.tx.db.query(`${SELECT_SCHOOLS} ORDER BY s.province, s.city, s.county, s.kind, s.name`) as Promise<SchoolRow[]>;
  }

  async findById(id: number): Promise<SchoolRow | null> {
    const rows = (await this.tx.db.query(`${SELECT_SCHOOLS} WHERE s.id = $1`, [id])) as SchoolRow[];
    return rows[0] ?? null;
  }

  async insert(school: NewSchool): Promise<number> {
    const params: unknown[] = [school.name, school.kind, school.province, school.city, school.county];
    const orDefault = (v: unknown) => (v === undefined ? 'DEFAULT' : `$${params.push(v)}`);
    const [{ id }] = (await this.tx.db.query(
      `INSERT INTO school (name, kind, province, city, county, timezone) VALUES ($1, $2, $3, $4, $5, ${orDefault(school.timezone)}) RETURNING id`,
      params,
    )) as { id: number }[];
    return id;
  }

  /** Sets the fields given; undefined ones stay as they are. */
  async update(id: number, changes: Partial<NewSchool>): Promise<void> {
    const { set, params } = updateSet(id, {
      name: changes.name,
      kind: changes.kind,
      province: changes.province,
      city: changes.city,
      county: changes.county,
      timezone: changes.timezone,
    });
    await this.tx.db.query(`UPDATE school SET ${set} WHERE id = $1`, params);
  }

  /** Deletes the school and its classrooms; refused by the database while users or courses depend on it. */
  async delete(id: number): Promise<boolean> {
    return this.tx.run(async () => {
      const devices = (await this.tx.db.query('SELECT device_user_id AS "deviceUserId" FROM classroom WHERE school_id = $1', [id])) as {
        deviceUserId: number | null;
      }[];
      const deleted = returnedRows(await this.tx.db.query('DELETE FROM school WHERE id = $1 RETURNING id', [id]));
      const ids = devices.map((d) => d.deviceUserId).filter((x): x is number => x !== null);
      if (ids.length) await this.tx.db.query('DELETE FROM app_user WHERE id = ANY($1) AND role = $2', [ids, 'classroom']);
      return deleted.length > 0;
    });
  }
}
