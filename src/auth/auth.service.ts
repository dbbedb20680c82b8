import { randomBytes } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { LoginResponse, UserDto } from '../contracts/api.js';
import { toUserDto } from '../schools/schools.dto.js';
import { UsersService } from '../schools/users.service.js';
import type { AuthUser } from './auth-user.js';
import { LoginBody } from './auth.dto.js';
import { LoginAttempts } from './login-attempts.js';
import { PasswordHasher } from './password.hasher.js';
import { TokenService } from './token.service.js';

@Injectable()
export class AuthService {
  // Verifying against a real hash when the email is unknown keeps the answer time the same either way.
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly attempts: LoginAttempts,
    private readonly ttlSeconds: number,
  ) {
    this.dummyHash = hasher.hash(randomBytes(16).toString('hex'));
  }

  async login(body: LoginBody, ip: string): Promise<LoginResponse> {
    const attempt = await this.attempts.begin(ip, body.email);
    const user = await this.users.findByEmailWithHash(body.email);
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), body.password);
    if (!user || !ok || !user.isActive) throw new UnauthorizedException('Wrong email or password');
    await attempt.succeeded();
    return {
      accessToken: await this.tokens.issue(user.id, user.role, user.tokenVersion),
      tokenType: 'Bearer',
      expiresIn: this.ttlSeconds,
      user: toUserDto(user),
    };
  }

  async logout(actor: AuthUser): Promise<void> {
    await this.users.revokeTokens(actor.id);
  }

  async me(actor: AuthUser): Promise<UserDto> {
    const user = await this.users.findActiveById(actor.id);
    if (!user) throw new UnauthorizedException('Please log in first');
    return toUserDto(user);
  }
}
