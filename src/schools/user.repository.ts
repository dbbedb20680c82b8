import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Role } from '../contracts/api.js';
import { UserEntity } from './user.entity.js';

export interface UserFilter {
  role?: Role;
  schoolId?: number;
  page: number;
  pageSize: number;
}

@Injectable()
export class UserRepository {
  private readonly repo: Repository<UserEntity>;
  private readonly revocations = new EventEmitter();

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(UserEntity);
  }

  /** The classroom a device account stands for (null for any other account, or a device not yet assigned). */
  async classroomOfDevice(userId: number): Promise<number | null> {
    const rows = (await this.dataSource.query('SELECT id FROM classroom WHERE device_user_id = $1', [userId])) as { id: number }[];
    return rows[0]?.id ?? null;
  }

  findActiveById(id: number): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id, isActive: true });
  }

  findById(id: number): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The only query that reads the password hash. */
  findByEmailWithHash(email: string): Promise<UserEntity | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  existsWithRole(role: Role): Promise<boolean> {
    return this.repo.existsBy({ role });
  }

  list(filter: UserFilter): Promise<[UserEntity[], number]> {
    return this.repo.findAndCount({
      where: {
        ...(filter.role ? { role: filter.role } : {}),
        ...(filter.schoolId ? { schoolId: filter.schoolId } : {}),
      },
      order: { id: 'ASC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
  }

  async insert(user: Partial<UserEntity>, manager?: EntityManager): Promise<UserEntity> {
    const repo = manager ? manager.getRepository(UserEntity) : this.repo;
    const saved = await repo.save(repo.create(user));
    return (await repo.findOneBy({ id: saved.id }))!;
  }

  /**
   * Ends every session of the account: tokens issued before stop working at the next request, and whoever
   * listens (the live gateway, for open sockets) hears it at once.
   */
  async revokeTokens(id: number): Promise<void> {
    await this.repo.increment({ id }, 'tokenVersion', 1);
    this.revocations.emit('revoked', id);
  }

  onTokensRevoked(listener: (userId: number) => void): () => void {
    this.revocations.on('revoked', listener);
    return () => this.revocations.off('revoked', listener);
  }

  async update(id: number, changes: Partial<UserEntity>): Promise<UserEntity> {
    await this.repo.update({ id }, changes);
    return (await this.repo.findOneBy({ id }))!;
  }
}
