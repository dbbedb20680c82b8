import { Injectable } from '@nestjs/common';
import { UsersService } from '../schools/users.service.js';
import type { AuthUser } from './auth-user.js';
import { TokenService } from './token.service.js';

/**
 * Who a token stands for, the same way for every door: the HTTP guard, the live socket's handshake and the
 * operators' pages. The account is re-read on each call, so one that logged out, changed its password or was
 * deactivated stops at once; a device account comes with its classroom, looked up here and nowhere else.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {}

  async authenticate(token: string): Promise<AuthUser | null> {
    const user = await this.tokens.userFor(token);
    if (!user) return null;
    const classroomId = user.role === 'classroom' ? await this.users.classroomOfDevice(user.id) : null;
    return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, schoolId: user.schoolId, classroomId };
  }
}
