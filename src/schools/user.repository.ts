import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Role } from '../contracts/api.js';
import { returnedRows } from '../database/returning.js';
import { Transactions } from '../database/transactions.js';
import { updateSet } from '../database/updates.js';

/** An account as stored, without its password hash. */
export interface UserRow {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
  isActive: boolean;
  /** Tokens carry the version they were issued under; moving it on revokes them all (revokeTokens). */
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
}

export type UserChanges = Partial<Pick<UserRow, 'displayName' | 'schoolId' | 'isActive'> & { passwordHash: string }>;

export interface UserFilter {
  role?: Role;
  schoolId?: number;
  page: number;
  pageSize: number;
}

const USER_COLUMNS = `id, email, display_name AS "displayName", role, school_id AS "schoolId", is_active AS "isActive",
  token_version AS "tokenVersion", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class UserRepository {
  private readonly revocations = new EventEmitter();

  constructor(private readonly tx: Transactions) {}

  /** The classroom a device account stands for (null for any other account, or a device not yet assigned). */
  async classroomOfDevice(userId: number): Promise<number | null> {
    const rows = (await this.tx.db.query('SELECT id FROM classroom WHERE device_user_id = $1', [userId])) as { id: number }[];
    return rows[0]?.id ?? null;
  }

  async findActiveById(id: number): Promise<UserRow | null> {
    const rows = (await this.tx.db.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1 AND is_active`, [id])) as UserRow[];
    return rows[0] ?? null;
  }

  async findById(id: number): Promise<UserRow | null> {
    const rows = (await this.tx.db.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`, [id])) as UserRow[];
    return rows[0] ?? null;
  }

  /** The only query that reads the password hash. */
  async findByEmailWithHash(email: string): Promise<(UserRow & { passwordHash: string }) | null> {
    const rows = (await this.tx.db.query(`SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM app_user WHERE email = $1`, [
      email.toLowerCase(),
    ])) as (UserRow & { passwordHash: string })[];
    return rows[0] ?? null;
  }

  async existsWithRole(role: Role): Promise<boolean> {
    const [{ exists }] = (await this.tx.db.query('SELECT EXISTS (SELECT 1 FROM app_user WHERE role = $1) AS "exists"', [role])) as { exists: boolean }[];
    return exists;
  }

  async list(filter: UserFilter): Promise<[UserRow[], number]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = ['true'];
    if (filter.role) where.push(`role = ${p(filter.role)}`);
    if (filter.schoolId) where.push(`school_id = ${p(filter.schoolId)}`);
    const from = `FROM app_user WHERE ${where.join(' AND ')}`;
    const count = this.tx.db.query(`SELECT count(*)::int AS total ${from}`, [...params]);
    const page = this.tx.db.query(`SELECT ${USER_COLUMNS} ${from} ORDER BY id LIMIT ${p(filter.pageSize)} OFFSET ${p((filter.page - 1) * filter.pageSize)}`, params);
    const [rows, [{ total }]] = (await Promise.all([page, count])) as [UserRow[], { total: number }[]];
    return [rows, total];
  }

  /** Inside a transaction (Transactions.run) when there is one, as for a classroom's device account. */
  async insert(user: NewUser): Promise<UserRow> {
    const [row] = (await this.tx.db.query(
      `INSERT INTO app_user (email, password_hash, display_name, role, school_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
      [user.email, user.passwordHash, user.displayName, user.role, user.schoolId],
    )) as UserRow[];
    return row;
  }

  /**
   * Ends every session of the account: tokens issued before stop working at the next request, and whoever
   * listens (the live gateway, for open sockets) hears it at once.
   */
  async revokeTokens(id: number): Promise<void> {
    await this.tx.db.query('UPDATE app_user SET token_version = token_version + 1, updated_at = now() WHERE id = $1', [id]);
    this.revocations.emit('revoked', id);
  }

  onTokensRevoked(listener: (userId: number) => void): () => void {
    this.revocations.on('revoked', listener);
    return () => this.revocations.off('revoked', listener);
  }

  /** Sets the fields given (undefined ones stay as they are); the account as it is now, or null if there is none. */
  async update(id: number, changes: UserChanges): Promise<UserRow | null> {
    const { set, params } = updateSet(id, {
      display_name: changes.displayName,
      password_hash: changes.passwordHash,
      school_id: changes.schoolId,
      is_active: changes.isActive,
    });
    const result: unknown = await this.tx.db.query(`UPDATE app_user SET ${set} WHERE id = $1 RETURNING ${USER_COLUMNS}`, params);
    return returnedRows<UserRow>(result)[0] ?? null;
  }
}
