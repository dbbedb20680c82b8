import { Injectable } from '@nestjs/common';
import { returnedRows } from '../database/returning.js';
import { Transactions } from '../database/transactions.js';
import { UserRepository, type NewUser } from './user.repository.js';
import { updateSet } from '../database/updates.js';

/** A classroom with its school's name and its device account's e-mail (null while it has none). */
export interface ClassroomRow {
  id: number;
  schoolId: number;
  schoolName: string;
  name: string;
  gradeId: number;
  deviceUserId: number | null;
  deviceEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_CLASSROOMS = `
  SELECT r.id, r.school_id AS "schoolId", s.name AS "schoolName", r.name, r.grade_id AS "gradeId",
         r.device_user_id AS "deviceUserId", d.email AS "deviceEmail", r.created_at AS "createdAt", r.updated_at AS "updatedAt"
  FROM classroom r
  JOIN school s ON s.id = r.school_id
  LEFT JOIN app_user d ON d.id = r.device_user_id`;

@Injectable()
export class ClassroomRepository {
  constructor(
    private readonly tx: Transactions,
    private readonly users: UserRepository,
  ) {}

  listBySchool(schoolId: number): Promise<ClassroomRow[]> {
    return this.tx.db.query(`${SELECT_CLASSROOMS} WHERE r.school_id = $1 ORDER BY r.grade_id, r.name`, [schoolId]) as Promise<ClassroomRow[]>;
  }

  async findById(id: number): Promise<ClassroomRow | null> {
    const rows = (await this.tx.db.query(`${SELECT_CLASSROOMS} WHERE r.id = $1`, [id])) as ClassroomRow[];
    return rows[0] ?? null;
  }

  async findByDevice(userId: number): Promise<ClassroomRow | null> {
    const rows = (await this.tx.db.query(`${SELECT_CLASSROOMS} WHERE r.device_user_id = $1`, [userId])) as ClassroomRow[];
    return rows[0] ?? null;
  }

  /** The room and its device login in one transaction: either both exist or neither. */
  async insertWithDevice(classroom: { schoolId: number; name: string; gradeId: number }, device: NewUser): Promise<number> {
    return this.tx.run(async () => {
      const user = await this.users.insert(device);
      const [{ id }] = (await this.tx.db.query(
        'INSERT INTO classroom (school_id, name, grade_id, device_user_id) VALUES ($1, $2, $3, $4) RETURNING id',
        [classroom.schoolId, classroom.name, classroom.gradeId, user.id],
      )) as { id: number }[];
      return id;
    });
  }

  /** Sets the fields given; undefined ones stay as they are. */
  async update(id: number, changes: { name?: string; gradeId?: number }): Promise<void> {
    const { set, params } = updateSet(id, {
      name: changes.name,
      grade_id: changes.gradeId,
    });
    await this.tx.db.query(`UPDATE classroom SET ${set} WHERE id = $1`, params);
  }

  /** Removes the room and its device login. */
  async delete(id: number): Promise<boolean> {
    return this.tx.run(async () => {
      const result: unknown = await this.tx.db.query('DELETE FROM classroom WHERE id = $1 RETURNING device_user_id AS "deviceUserId"', [id]);
      const [room] = returnedRows<{ deviceUserId: number | null }>(result);
      if (!room) return false;
      if (room.deviceUserId) await this.tx.db.query(`DELETE FROM app_user WHERE id = $1 AND role = 'classroom'`, [room.deviceUserId]);
      return true;
    });
  }
}
