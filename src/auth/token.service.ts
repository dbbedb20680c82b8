import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../contracts/api.js';

interface TokenClaims {
  sub: string;
  role: Role;
}

@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(userId: number, role: Role): Promise<string> {
    return this.jwt.signAsync({ sub: String(userId), role } satisfies TokenClaims);
  }

  /** The user id in a valid, unexpired token; null otherwise. */
  async verify(token: string): Promise<number | null> {
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token);
      const id = Number(claims.sub);
      return Number.isInteger(id) && id > 0 ? id : null;
    } catch {
      return null;
    }
  }
}
