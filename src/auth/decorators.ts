import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../contracts/api.js';
import type { AuthUser } from './auth-user.js';

export const PUBLIC_KEY = 'tongke:public';
export const ROLES_KEY = 'tongke:roles';

/** Reachable without logging in; a valid token, when sent, still identifies the caller. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (403 for the others). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller (undefined on a public route called anonymously). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});
