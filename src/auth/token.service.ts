import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../contracts/api.js';
import type { UserRow } from '../schools/user.repository.js';
import { UsersService } from '../schools/users.service.js';

interface TokenClaims {
  sub: string;
  role: Role;
  /** The account's token version when issued (tokens from before versions have none: version 0). */
  ver?: number;
}

export interface VerifiedToken {
  userId: number;
  version: number;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  /**
   * The active account a token stands for, or null: also null when the token was issued before the account
   * logged out, changed its password or was deactivated (its token version has moved on since).
   */
  async userFor(token: string): Promise<UserRow | null> {
    const verified = await this.verify(token);
    const user = verified ? await this.users.findActiveById(verified.userId) : null;
    return user && user.tokenVersion === verified!.version ? user : null;
  }

  issue(userId: number, role: Role, version: number): Promise<string> {
    return this.jwt.signAsync({ sub: String(userId), role, ver: version } satisfies TokenClaims);
  }

  /** The user id and token version in a valid, unexpired token; null otherwise. */
  async verify(token: string): Promise<VerifiedToken | null> {
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token);
      const id = Number(claims.sub);
      const version = claims.ver ?? 0;
      return Number.isInteger(id) && id > 0 && Number.isInteger(version) ? { userId: id, version } : null;
    } catch {
      return null;
    }
  }
}
