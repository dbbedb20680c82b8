import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Page, UserDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { PasswordHasher } from '../auth/password.hasher.js';
import { CreateUserBody, toUserDto, UpdateUserBody, UserQuery } from './schools.dto.js';
import { UserRepository, type UserRow } from './user.repository.js';

/** Accounts, managed by admins. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  // ---- for logging in and checking who calls (auth, the live socket) ----

  findByEmailWithHash(email: string): Promise<(UserRow & { passwordHash: string }) | null> {
    return this.users.findByEmailWithHash(email);
  }

  findActiveById(id: number): Promise<UserRow | null> {
    return this.users.findActiveById(id);
  }

  /** The classroom a device account stands for, or null. */
  classroomOfDevice(userId: number): Promise<number | null> {
    return this.users.classroomOfDevice(userId);
  }

  /** Every token issued to the account so far stops working (logout, a new password, deactivation). */
  revokeTokens(id: number): Promise<void> {
    return this.users.revokeTokens(id);
  }

  onTokensRevoked(listener: (userId: number) => void): () => void {
    return this.users.onTokensRevoked(listener);
  }

  async list(query: UserQuery): Promise<Page<UserDto>> {
    const [rows, total] = await this.users.list(query);
    return { items: rows.map(toUserDto), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: number): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`User ${id} does not exist`);
    return toUserDto(user);
  }

  async create(body: CreateUserBody): Promise<UserDto> {
    if (body.role === 'classroom') {
      throw new BadRequestException('Classroom accounts are created together with their classroom (POST /api/schools/:id/classrooms)');
    }
    const user = await this.users.insert({
      email: body.email,
      passwordHash: await this.hasher.hash(body.password),
      displayName: body.displayName,
      role: body.role,
      schoolId: body.schoolId ?? null,
    });
    return toUserDto(user);
  }

  async update(actor: AuthUser, id: number, body: UpdateUserBody): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`User ${id} does not exist`);
    if (actor.id === id && body.isActive === false) throw new BadRequestException('You cannot deactivate your own account');
    if (user.role === 'classroom' && body.schoolId !== undefined && body.schoolId !== user.schoolId) {
      throw new BadRequestException("A classroom account stays with its classroom's school");
    }
    const { password, ...rest } = body;
    const changes = { ...rest, ...(password ? { passwordHash: await this.hasher.hash(password) } : {}) };
    const updated = await this.users.update(id, changes);
    if (!updated) throw new NotFoundException(`User ${id} does not exist`);
    // A new password or deactivation ends the account's sessions everywhere, at once.
    if (password || body.isActive === false) await this.users.revokeTokens(id);
    return toUserDto(updated);
  }

  hasAdmin(): Promise<boolean> {
    return this.users.existsWithRole('admin');
  }

  /** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when there is none yet. */
  async ensureAdmin(email: string, password: string): Promise<'created' | 'exists'> {
    if (await this.users.existsWithRole('admin')) return 'exists';
    try {
      await this.users.insert({
        email: email.toLowerCase(),
        passwordHash: await this.hasher.hash(password),
        displayName: '管理员 Admin',
        role: 'admin',
        schoolId: null,
      });
    } catch (e) {
      // Another node starting at the same moment created it first.
      if ((e as { driverError?: { code?: string } }).driverError?.code === '23505' && (await this.users.existsWithRole('admin'))) return 'exists';
      throw e;
    }
    return 'created';
  }
}
