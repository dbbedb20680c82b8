import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../contracts/api.js';
import type { AuthUser } from './auth-user.js';
import { AUTH_COOKIE } from './auth.cookie.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import { Authenticator } from './authenticator.js';

/**
 * Global guard: every route needs a valid access token unless marked @Public(), and @Roles() narrows who may
 * call it. The user is re-read from the database on each request (Authenticator), so a deactivated or logged-out account stops at once.
 * The token comes from the Authorization header, or, for GET/HEAD only (downloads and images opened by the
 * browser), from the HttpOnly cookie set at login; state-changing requests never trust the cookie.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);

    const { token, fromCookie } = extractToken(req);
    if (token) {
      const user = await this.authenticator.authenticate(token);
      if (user) {
        req.user = user;
      } else if (!fromCookie || !isPublic) {
        // A stale cookie must not lock anyone out of public pages; a stale header token is the caller's error.
        throw new UnauthorizedException('Your session is invalid or has expired; please log in again');
      }
    }
    if (!req.user) {
      if (isPublic) return true;
      throw new UnauthorizedException('Please log in first');
    }
    if (roles && !roles.includes(req.user.role)) {
      throw new ForbiddenException(`This action is for ${roles.join(' or ')} accounts only`);
    }
    return true;
  }
}

function extractToken(req: Request): { token?: string; fromCookie: boolean } {
  const header = req.headers.authorization;
  if (header) {
    const [scheme, value] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !value) {
      throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
    }
    return { token: value, fromCookie: false };
  }
  if (req.method === 'GET' || req.method === 'HEAD') return { token: readCookie(req.headers.cookie, AUTH_COOKIE), fromCookie: true };
  return { fromCookie: false };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}
